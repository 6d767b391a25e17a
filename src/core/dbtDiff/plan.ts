/**
 * The rules of `datafold-ci diff dbt`, as data-diff's `--dbt --cloud` applies them:
 * which models the last dbt command built, where each lives in production
 * (`vars.data_diff` of `dbt_project.yml`) and in the PR's build (the manifest), and
 * which columns are its primary key. One diff is planned per model that has all three;
 * every other model is listed with why it is not diffed.
 *
 * @since 0.3.0
 */
import type { DataDiffVars, DbtManifest, DbtNode, DbtRunResult } from "./artifacts.ts"

/**
 * The tag (on a column) or `meta` key (on a model or a column) that marks primary-key
 * columns: data-diff's convention.
 *
 * @since 0.3.0
 * @category constants
 */
export const PRIMARY_KEY_TAG = "primary-key"

/**
 * Where a model's primary key was found.
 *
 * - `model-meta`: the model's `meta: {primary-key: [...]}`;
 * - `column-meta`: columns with `primary-key` in their `meta`;
 * - `column-tag`: columns tagged `primary-key`;
 * - `unique-test`: `unique` tests (a `concat(a, b)` or `a || b` expression gives each
 *   documented column) and dbt_utils' `unique_combination_of_columns`;
 * - `constraint`: a `primary_key` constraint on the model or its columns (dbt 1.5+).
 *
 * The first that gives any column wins, in this order (data-diff's, with constraints,
 * which it does not read, last).
 *
 * @since 0.3.0
 * @category models
 */
export type PrimaryKeySource = "model-meta" | "column-meta" | "column-tag" | "unique-test" | "constraint"

/**
 * A model's primary key: its columns, and where they were found.
 *
 * @since 0.3.0
 * @category models
 */
export interface PrimaryKey {
  readonly columns: ReadonlyArray<string>
  readonly source: PrimaryKeySource
}

/**
 * Why a model is not diffed.
 *
 * @since 0.3.0
 * @category models
 */
export type SkipReason =
  | { readonly _tag: "NotBuilt"; readonly status: string }
  | { readonly _tag: "NotInManifest" }
  | { readonly _tag: "Ephemeral" }
  | { readonly _tag: "NoPrimaryKey" }
  | { readonly _tag: "NoProdPath"; readonly why: string }
  | { readonly _tag: "SamePath" }

/**
 * A model that is not diffed, and why.
 *
 * @since 0.3.0
 * @category models
 */
export interface SkippedModel {
  readonly uniqueId: string
  readonly name: string
  readonly reason: SkipReason
}

/**
 * One diff to create: production (table 1) against the PR's build (table 2).
 *
 * @since 0.3.0
 * @category models
 */
export interface PlannedDiff {
  readonly uniqueId: string
  readonly name: string
  readonly prodPath: ReadonlyArray<string>
  readonly devPath: ReadonlyArray<string>
  readonly primaryKey: PrimaryKey
  /** `meta.datafold.datadiff.filter`: the same `WHERE` for both sides. */
  readonly filter: string | null
  readonly includeColumns: ReadonlyArray<string>
  readonly excludeColumns: ReadonlyArray<string>
}

/**
 * The plan: the diffs to create and the models left out.
 *
 * @since 0.3.0
 * @category models
 */
export interface DbtDiffPlan {
  readonly diffs: ReadonlyArray<PlannedDiff>
  readonly skipped: ReadonlyArray<SkippedModel>
  /** Whether paths and keys were upper-cased (a Snowflake project). */
  readonly upperCased: boolean
  /** How many models the last dbt command built (`success`), diffed or not. */
  readonly built: number
}

/**
 * A skip reason in words, for the report.
 *
 * @since 0.3.0
 * @category rules
 */
export const describeSkip = (reason: SkipReason): string => {
  switch (reason._tag) {
    case "NotBuilt":
      return `not built by the last dbt command (status ${reason.status})`
    case "NotInManifest":
      return "in run_results.json but not in manifest.json (artifacts of different runs?)"
    case "Ephemeral":
      return "ephemeral: dbt builds no table for it"
    case "NoPrimaryKey":
      return `no primary key: tag its key columns ${PRIMARY_KEY_TAG}, add a unique test, or a primary_key constraint`
    case "NoProdPath":
      return `no production path: ${reason.why}`
    case "SamePath":
      return "its production path is the PR build's own: set vars.data_diff.prod_database or prod_schema"
  }
}

const unique = (names: ReadonlyArray<string>): ReadonlyArray<string> => [...new Set(names)]

/**
 * The columns of a `unique` test's `column_name`: `a`, `concat(a, b)` or `a || '-' || b`
 * (quotes and parentheses stripped; literals are left for the caller to drop).
 *
 * @since 0.3.0
 * @category rules
 */
export const columnsOfUniqueExpression = (expression: string): ReadonlyArray<string> => {
  const text = expression.trim()
  const parts = text.toLowerCase().startsWith("concat(") && text.endsWith(")")
    ? text.slice("concat(".length, -1).split(",")
    : text.split("||")
  return parts.map((part) => part.trim().replace(/^[\s"()`]+|[\s"()`]+$/g, "")).filter((part) => part !== "")
}

/**
 * The columns the model's `unique` and `unique_combination_of_columns` tests cover, in
 * the manifest's order (for `unique`, only documented columns: a string literal in a
 * `concat` is not one).
 *
 * @since 0.3.0
 * @category rules
 */
export const uniqueTestColumns = (manifest: DbtManifest, model: DbtNode): ReadonlyArray<string> => {
  const documented = new Set(model.columns.map((column) => column.name))
  const found: Array<string> = []
  for (const node of manifest.nodes.values()) {
    if (node.resourceType !== "test" || node.testedNode !== model.uniqueId) continue
    if (node.testName === "unique") {
      const expression = node.testKwargs["column_name"]
      if (typeof expression !== "string") continue
      found.push(...columnsOfUniqueExpression(expression).filter((column) => documented.has(column)))
    } else if (node.testName === "unique_combination_of_columns") {
      const columns = node.testKwargs["combination_of_columns"]
      if (Array.isArray(columns)) {
        found.push(...columns.filter((column): column is string => typeof column === "string"))
      }
    }
  }
  return unique(found)
}

const metaKeyColumns = (value: unknown): ReadonlyArray<string> =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : []

/**
 * A model's primary key, found as data-diff finds it (see {@link PrimaryKeySource});
 * `undefined` when none is declared.
 *
 * @since 0.3.0
 * @category rules
 */
export const primaryKeyOf = (manifest: DbtManifest, model: DbtNode): PrimaryKey | undefined => {
  const documented = new Set(model.columns.map((column) => column.name))
  const candidates: ReadonlyArray<readonly [PrimaryKeySource, () => ReadonlyArray<string>]> = [
    ["model-meta", () => metaKeyColumns(model.meta[PRIMARY_KEY_TAG]).filter((column) => documented.has(column))],
    [
      "column-meta",
      () => model.columns.filter((column) => PRIMARY_KEY_TAG in column.meta).map((column) => column.name)
    ],
    ["column-tag", () => model.columns.filter((column) => column.tags.includes(PRIMARY_KEY_TAG)).map((c) => c.name)],
    ["unique-test", () => uniqueTestColumns(manifest, model)],
    ["constraint", () => [
      ...model.constraints.filter((constraint) => constraint.type === "primary_key").flatMap((c) => c.columns),
      ...model.columns.filter((column) => column.constraints.some((c) => c.type === "primary_key")).map((c) => c.name)
    ]]
  ]
  for (const [source, columns] of candidates) {
    const found = unique(columns())
    if (found.length > 0) return { columns: found, source }
  }
  return undefined
}

/**
 * A model's production database and schema from `vars.data_diff`, as data-diff builds
 * them: the model's custom database, else `prod_database`, else the PR build's; with
 * `prod_schema` set, a model with a custom schema goes to `prod_custom_schema` (its
 * `<custom_schema>` replaced), any other to `prod_schema`; without it, the PR build's
 * schema. Neither `prod_database` nor `prod_schema` set is no production path at all.
 *
 * @since 0.3.0
 * @category rules
 */
export const prodLocationOf = (
  vars: DataDiffVars,
  model: DbtNode
):
  | { readonly ok: true; readonly database: string | null; readonly schema: string | null }
  | { readonly ok: false; readonly why: string } => {
  if (vars.prodDatabase === null && vars.prodSchema === null) {
    return {
      ok: false,
      why: "dbt_project.yml has no vars: data_diff: prod_database or prod_schema"
    }
  }
  const database = model.customDatabase ?? vars.prodDatabase ?? model.database
  if (vars.prodSchema === null) return { ok: true, database, schema: model.schema }
  if (model.customSchema === null) return { ok: true, database, schema: vars.prodSchema }
  if (vars.prodCustomSchema === null) {
    return {
      ok: false,
      why: `the model has a custom schema (${model.customSchema}) but dbt_project.yml has no ` +
        'vars: data_diff: prod_custom_schema (e.g. "<custom_schema>" or "prod_<custom_schema>")'
    }
  }
  return { ok: true, database, schema: vars.prodCustomSchema.replaceAll("<custom_schema>", model.customSchema) }
}

/** `[database, schema, table]` without the parts that are not set. */
const pathOf = (database: string | null, schema: string | null, model: DbtNode): ReadonlyArray<string> =>
  [database, schema, model.alias ?? model.name].filter((part): part is string => part !== null && part !== "")

/**
 * Whether identifiers are upper-cased: data-diff does it for Snowflake data sources; here
 * the manifest's `adapter_type` stands for the data source's type (no data-source lookup).
 *
 * @since 0.3.0
 * @category rules
 */
export const upperCases = (adapterType: string | null): boolean => adapterType?.toLowerCase() === "snowflake"

const datadiffConfig = (model: DbtNode) => {
  const config = (() => {
    const datafold = model.meta["datafold"]
    if (typeof datafold !== "object" || datafold === null) return {}
    const datadiff = (datafold as Record<string, unknown>)["datadiff"]
    return typeof datadiff === "object" && datadiff !== null ? datadiff as Record<string, unknown> : {}
  })()
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []
  return {
    filter: typeof config["filter"] === "string" && config["filter"].trim() !== "" ? config["filter"] : null,
    includeColumns: strings(config["include_columns"]),
    excludeColumns: strings(config["exclude_columns"])
  }
}

/**
 * The plan for the last dbt command's results: every model result (`model.` ids; tests,
 * seeds and snapshots are not models) is diffed when it was built (`success`), is in the
 * manifest, is not ephemeral, has a primary key and a production path other than its
 * own; each other model is skipped with the first reason that applies. Diffs and skips
 * keep run_results' order, each model once.
 *
 * @since 0.3.0
 * @category rules
 */
export const planDbtDiffs = (
  manifest: DbtManifest,
  runResults: ReadonlyArray<DbtRunResult>,
  vars: DataDiffVars
): DbtDiffPlan => {
  const upper = upperCases(manifest.adapterType)
  const cased = (names: ReadonlyArray<string>) => (upper ? names.map((name) => name.toUpperCase()) : names)
  const diffs: Array<PlannedDiff> = []
  const skipped: Array<SkippedModel> = []
  const seen = new Set<string>()
  let built = 0
  for (const result of runResults) {
    const node = manifest.nodes.get(result.uniqueId)
    const isModel = node === undefined ? result.uniqueId.startsWith("model.") : node.resourceType === "model"
    if (!isModel || seen.has(result.uniqueId)) continue
    seen.add(result.uniqueId)
    const skip = (reason: SkipReason) =>
      skipped.push({ uniqueId: result.uniqueId, name: node?.name ?? result.uniqueId, reason })
    if (node === undefined) {
      skip({ _tag: "NotInManifest" })
      continue
    }
    if (result.status !== "success") {
      skip({ _tag: "NotBuilt", status: result.status })
      continue
    }
    built += 1
    if (node.materialized === "ephemeral") {
      skip({ _tag: "Ephemeral" })
      continue
    }
    const location = prodLocationOf(vars, node)
    if (!location.ok) {
      skip({ _tag: "NoProdPath", why: location.why })
      continue
    }
    const primaryKey = primaryKeyOf(manifest, node)
    if (primaryKey === undefined) {
      skip({ _tag: "NoPrimaryKey" })
      continue
    }
    const prodPath = cased(pathOf(location.database, location.schema, node))
    const devPath = cased(pathOf(node.database, node.schema, node))
    if (prodPath.join(".") === devPath.join(".")) {
      skip({ _tag: "SamePath" })
      continue
    }
    diffs.push({
      uniqueId: node.uniqueId,
      name: node.name,
      prodPath,
      devPath,
      primaryKey: { columns: cased(primaryKey.columns), source: primaryKey.source },
      ...datadiffConfig(node)
    })
  }
  return { diffs, skipped, upperCased: upper, built }
}
