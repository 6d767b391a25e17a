/**
 * The parts of dbt's `manifest.json` and `run_results.json` that `datafold-ci diff dbt`
 * reads, decoded leniently from parsed JSON: a field of the wrong type reads as absent,
 * so a newer dbt that adds or moves fields still works, and only a file that is not
 * an artifact at all (no `nodes`, no `results`) is refused, with a problem in words.
 * Plain TypeScript, shared by both Effect majors.
 *
 * @since 0.3.0
 */

/**
 * A constraint dbt declares on a model or a column (dbt 1.5+ model contracts).
 *
 * @since 0.3.0
 * @category models
 */
export interface DbtConstraint {
  /** `primary_key`, `unique`, `not_null`, … */
  readonly type: string
  /** The columns, for a model-level constraint. */
  readonly columns: ReadonlyArray<string>
}

/**
 * One documented column of a model.
 *
 * @since 0.3.0
 * @category models
 */
export interface DbtColumn {
  readonly name: string
  readonly tags: ReadonlyArray<string>
  readonly meta: Readonly<Record<string, unknown>>
  readonly constraints: ReadonlyArray<DbtConstraint>
}

/**
 * A node of the manifest (a model, seed, snapshot, test, …), as far as a diff needs it.
 *
 * @since 0.3.0
 * @category models
 */
export interface DbtNode {
  readonly uniqueId: string
  readonly name: string
  /** `model`, `seed`, `snapshot`, `test`, … */
  readonly resourceType: string
  /** Where this (dev/PR) build put it. */
  readonly database: string | null
  readonly schema: string | null
  /** The table's name; dbt sets it to the model's name unless configured. */
  readonly alias: string | null
  /** `config.materialized`: `table`, `view`, `incremental`, `ephemeral`, … */
  readonly materialized: string | null
  /** `config.database`: a custom database set on the model. */
  readonly customDatabase: string | null
  /** `config.schema`: a custom schema set on the model. */
  readonly customSchema: string | null
  /** The model's `meta` (config's merged over the node's own). */
  readonly meta: Readonly<Record<string, unknown>>
  /** The documented columns, in the manifest's order. */
  readonly columns: ReadonlyArray<DbtColumn>
  /** Model-level constraints. */
  readonly constraints: ReadonlyArray<DbtConstraint>
  /** A test's generic test (`unique`, `not_null`, `unique_combination_of_columns`, …); `null` for others. */
  readonly testName: string | null
  /** The generic test's arguments. */
  readonly testKwargs: Readonly<Record<string, unknown>>
  /** A test's model: `attached_node`, else the first of `depends_on.nodes`. */
  readonly testedNode: string | null
}

/**
 * The manifest as read.
 *
 * @since 0.3.0
 * @category models
 */
export interface DbtManifest {
  /** `metadata.adapter_type` (`snowflake`, `postgres`, …), when dbt wrote it. */
  readonly adapterType: string | null
  readonly dbtVersion: string | null
  /** Every node, by unique id. */
  readonly nodes: ReadonlyMap<string, DbtNode>
}

/**
 * One result of the last dbt command.
 *
 * @since 0.3.0
 * @category models
 */
export interface DbtRunResult {
  readonly uniqueId: string
  /** `success`, `error`, `skipped`, `pass`, `fail`, … */
  readonly status: string
}

/**
 * A decoded artifact, or what is wrong with it.
 *
 * @since 0.3.0
 * @category models
 */
export type Decoded<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly problem: string }

type Json = Readonly<Record<string, unknown>>

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)
const objectOf = (value: unknown): Json => (isObject(value) ? value : {})
const stringOf = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null)
const stringsOf = (value: unknown): ReadonlyArray<string> =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []

const constraintsOf = (value: unknown): ReadonlyArray<DbtConstraint> =>
  Array.isArray(value)
    ? value.flatMap((item) => {
      const type = stringOf(objectOf(item)["type"])
      return type === null ? [] : [{ type, columns: stringsOf(objectOf(item)["columns"]) }]
    })
    : []

const columnsOf = (value: unknown): ReadonlyArray<DbtColumn> =>
  Object.entries(objectOf(value)).map(([key, raw]) => {
    const column = objectOf(raw)
    return {
      name: stringOf(column["name"]) ?? key,
      tags: stringsOf(column["tags"]),
      meta: { ...objectOf(objectOf(column["config"])["meta"]), ...objectOf(column["meta"]) },
      constraints: constraintsOf(column["constraints"])
    }
  })

const nodeOf = (uniqueId: string, raw: unknown): DbtNode => {
  const node = objectOf(raw)
  const config = objectOf(node["config"])
  const test = objectOf(node["test_metadata"])
  const dependsOn = stringsOf(objectOf(node["depends_on"])["nodes"])
  return {
    uniqueId,
    name: stringOf(node["name"]) ?? uniqueId.split(".").slice(-1)[0] ?? uniqueId,
    resourceType: stringOf(node["resource_type"]) ?? uniqueId.split(".")[0] ?? "",
    database: stringOf(node["database"]),
    schema: stringOf(node["schema"]),
    alias: stringOf(node["alias"]),
    materialized: stringOf(config["materialized"]),
    customDatabase: stringOf(config["database"]),
    customSchema: stringOf(config["schema"]),
    meta: { ...objectOf(config["meta"]), ...objectOf(node["meta"]) },
    columns: columnsOf(node["columns"]),
    constraints: constraintsOf(node["constraints"]),
    testName: stringOf(test["name"]),
    testKwargs: objectOf(test["kwargs"]),
    testedNode: stringOf(node["attached_node"]) ?? dependsOn[0] ?? null
  }
}

/**
 * Reads a parsed `manifest.json`: refused when it is not an object with `nodes`.
 *
 * @since 0.3.0
 * @category decoding
 */
export const decodeManifest = (json: unknown): Decoded<DbtManifest> => {
  if (!isObject(json)) return { ok: false, problem: "it is not a JSON object" }
  if (!isObject(json["nodes"])) return { ok: false, problem: 'it has no "nodes" object, so it is not a dbt manifest' }
  const metadata = objectOf(json["metadata"])
  const nodes = new Map<string, DbtNode>()
  for (const [uniqueId, raw] of Object.entries(json["nodes"])) nodes.set(uniqueId, nodeOf(uniqueId, raw))
  return {
    ok: true,
    value: {
      adapterType: stringOf(metadata["adapter_type"]),
      dbtVersion: stringOf(metadata["dbt_version"]),
      nodes
    }
  }
}

/**
 * Reads a parsed `run_results.json`: refused when it is not an object with a `results` list.
 *
 * @since 0.3.0
 * @category decoding
 */
export const decodeRunResults = (json: unknown): Decoded<ReadonlyArray<DbtRunResult>> => {
  if (!isObject(json)) return { ok: false, problem: "it is not a JSON object" }
  const results = json["results"]
  if (!Array.isArray(results)) {
    return { ok: false, problem: 'it has no "results" list, so it is not dbt\'s run_results.json' }
  }
  return {
    ok: true,
    value: results.flatMap((raw) => {
      const result = objectOf(raw)
      const uniqueId = stringOf(result["unique_id"])
      return uniqueId === null ? [] : [{ uniqueId, status: stringOf(result["status"]) ?? "unknown" }]
    })
  }
}

/**
 * The `vars.data_diff` of `dbt_project.yml`, as data-diff reads them.
 *
 * @since 0.3.0
 * @category models
 */
export interface DataDiffVars {
  readonly prodDatabase: string | null
  readonly prodSchema: string | null
  /** A template: `<custom_schema>` stands for the model's custom schema. */
  readonly prodCustomSchema: string | null
  /** data-diff's `datasource_id`: the data source, when `--data-source-id` is not given. */
  readonly datasourceId: number | null
}

/**
 * `vars.data_diff` of a parsed `dbt_project.yml` (every field `null` when absent).
 *
 * @since 0.3.0
 * @category decoding
 */
export const decodeDataDiffVars = (project: unknown): DataDiffVars => {
  const vars = objectOf(objectOf(objectOf(project)["vars"])["data_diff"])
  const id = vars["datasource_id"]
  const scalar = (value: unknown): string | null =>
    typeof value === "number" ? String(value) : stringOf(typeof value === "string" ? value.trim() : value)
  return {
    prodDatabase: scalar(vars["prod_database"]),
    prodSchema: scalar(vars["prod_schema"]),
    prodCustomSchema: scalar(vars["prod_custom_schema"]),
    datasourceId: typeof id === "number" && Number.isSafeInteger(id) && id > 0
      ? id
      : typeof id === "string" && /^\d+$/.test(id.trim()) && Number(id) > 0
      ? Number(id)
      : null
  }
}
