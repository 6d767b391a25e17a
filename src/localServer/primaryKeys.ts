/**
 * The local server's answer to `check_pks_in_dbt_manifest`: for each model in a dbt
 * manifest, the table it builds and the primary key Datafold would diff it by, read from
 * the model's `meta` the ways dbt projects declare it for Datafold.
 *
 * @since 0.2.0
 */

/**
 * One item of the answer, one per model (`resource_type` `model`), in `unique_id` order.
 * `sql_pks` and `dbt_pks` are the same list; `dbt_patch_path` is left out when the
 * manifest has none.
 *
 * @since 0.2.0
 * @category models
 */
export interface PrimaryKeyItem {
  readonly source: "dbt"
  readonly sql_table: ReadonlyArray<string>
  readonly sql_pks: ReadonlyArray<string>
  readonly dbt_fqn: ReadonlyArray<string>
  readonly dbt_pks: ReadonlyArray<string>
  readonly dbt_original_file_path: string | null
  readonly dbt_patch_path?: string
  readonly warnings: ReadonlyArray<string>
}

/**
 * The warning of a model whose `meta` names no primary key.
 *
 * @since 0.2.0
 * @category constants
 */
export const noPrimaryKeyWarning = "No primary key defined"

type Json = Record<string, unknown>

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

const at = (value: unknown, ...path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((here, key) => (isRecord(here) ? here[key] : undefined), value)

const strings = (value: unknown): ReadonlyArray<string> =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
    ? value.filter((entry): entry is string => typeof entry === "string")
    : []

/** `primary_key`, or Datafold's own `datafold.datadiff.primary_key`, in `config.meta`, then in `meta`. */
const primaryKeyOf = (node: Json): ReadonlyArray<string> => {
  for (const meta of [at(node, "config", "meta"), at(node, "meta")]) {
    for (const value of [at(meta, "primary_key"), at(meta, "datafold", "datadiff", "primary_key")]) {
      const keys = strings(value)
      if (keys.length > 0) return keys
    }
  }
  return []
}

/**
 * The answer's items for a manifest's `nodes`.
 *
 * @since 0.2.0
 * @category checks
 */
export const primaryKeyItems = (nodes: Json): ReadonlyArray<PrimaryKeyItem> =>
  Object.keys(nodes)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((id) => nodes[id])
    .filter((node): node is Json => isRecord(node) && node["resource_type"] === "model")
    .map((node) => {
      const pks = primaryKeyOf(node)
      const table = [node["database"], node["schema"], node["alias"] ?? node["name"]]
      const patchPath = node["patch_path"]
      const originalPath = node["original_file_path"]
      return {
        source: "dbt",
        sql_table: table.filter((part): part is string => typeof part === "string"),
        sql_pks: pks,
        dbt_fqn: strings(node["fqn"]),
        dbt_pks: pks,
        dbt_original_file_path: typeof originalPath === "string" ? originalPath : null,
        ...(typeof patchPath === "string" ? { dbt_patch_path: patchPath } : {}),
        warnings: pks.length === 0 ? [noPrimaryKeyWarning] : []
      }
    })
