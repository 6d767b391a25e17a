/**
 * A synthetic dbt `target/` folder, written once per bench run: `manifest.json` (~80 MB of compact, repetitive
 * JSON with models, sources, macros and the parent/child maps), `catalog.json` (~20 MB), `run_results.json`
 * (~5 MB), `compiled/` and `run/` trees of small `.sql` files in nested folders, one incompressible binary,
 * one empty file and one file with a non-ASCII name. The same seed gives the same bytes, so output sizes
 * compare across runs.
 */
import { createCipheriv } from "node:crypto"
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs"
import { dirname, join } from "node:path"

/** How big the folder is made. */
export interface DbtTargetOptions {
  readonly manifestBytes: number
  readonly catalogBytes: number
  readonly runResultsBytes: number
  /** Files under `compiled/` and under `run/` together. */
  readonly sqlFiles: number
  readonly binaryBytes: number
}

/** About 139 MB (132 MiB) in 3 005 files, as a large dbt project's target folder. */
export const LARGE_TARGET: DbtTargetOptions = {
  manifestBytes: 80e6,
  catalogBytes: 20e6,
  runResultsBytes: 5e6,
  sqlFiles: 3000,
  binaryBytes: 30 * 1024 * 1024
}

/** About 2 MB with every kind of file (the manifest over 1 MiB, so large-file paths run too), for the smoke runs. */
export const SMALL_TARGET: DbtTargetOptions = {
  manifestBytes: 1.5e6,
  catalogBytes: 100e3,
  runResultsBytes: 50e3,
  sqlFiles: 40,
  binaryBytes: 64 * 1024
}

/** The file with a non-ASCII name, relative to the folder. */
export const NON_ASCII_FILE = "compiled/jaffle_shop/models/marts/finance/ventes_année_€_日本.sql"
/** The empty file, relative to the folder. */
export const EMPTY_FILE = "run/jaffle_shop/models/placeholder_empty.sql"

// mulberry32: small, fast and seedable, so that every run writes the same folder.
const makeRandom = (seed: number) => {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number): number => Math.floor(next() * n)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[int(xs.length)]!
  const hex = (n: number): string => {
    let s = ""
    while (s.length < n) s += (int(0x100000000) >>> 0).toString(16).padStart(8, "0")
    return s.slice(0, n)
  }
  return { next, int, pick, hex }
}
type Random = ReturnType<typeof makeRandom>

const ENTITIES = [
  "orders",
  "customers",
  "payments",
  "invoices",
  "subscriptions",
  "sessions",
  "events",
  "products",
  "inventory",
  "shipments",
  "refunds",
  "accounts",
  "campaigns",
  "leads",
  "opportunities",
  "tickets",
  "users",
  "devices",
  "stores",
  "suppliers"
]
const LAYERS = ["staging", "intermediate", "marts"]
const DOMAINS = ["finance", "marketing", "product", "ops", "sales", "support", "growth", "core"]
const COLUMN_WORDS = [
  "id",
  "created_at",
  "updated_at",
  "status",
  "amount",
  "currency",
  "country_code",
  "is_active",
  "customer_id",
  "order_id",
  "payment_method",
  "discount",
  "quantity",
  "unit_price",
  "email",
  "region",
  "channel",
  "source_system",
  "loaded_at",
  "deleted_at",
  "total_revenue",
  "first_seen_at",
  "last_seen_at",
  "plan_name",
  "seat_count"
]
const TYPES = ["varchar", "integer", "numeric(18,2)", "timestamp_ntz", "boolean", "date", "bigint", "variant"]
const WORDS =
  "the of model table source daily customer revenue order payment event status active deduplicated latest grain one row per key joined with filtered by excluding test internal accounts aggregated at level used downstream in reporting finance dashboards"
    .split(" ")

const sentence = (r: Random, words: number): string => {
  const out: Array<string> = []
  for (let i = 0; i < words; i++) out.push(r.pick(WORDS))
  const s = out.join(" ")
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`
}

interface Model {
  readonly id: string
  readonly name: string
  readonly layer: string
  readonly domain: string
  readonly path: string
  readonly columns: ReadonlyArray<string>
  readonly refs: ReadonlyArray<string>
}

const makeModels = (r: Random, count: number): Array<Model> => {
  const models: Array<Model> = []
  for (let i = 0; i < count; i++) {
    const layer = LAYERS[i % LAYERS.length]!
    const domain = r.pick(DOMAINS)
    const prefix = layer === "staging" ? "stg" : layer === "intermediate" ? "int" : r.pick(["fct", "dim"])
    const name = `${prefix}_${r.pick(ENTITIES)}_${String(i).padStart(5, "0")}`
    const columns = Array.from({ length: 6 + r.int(18) }, (_, k) => k === 0 ? "id" : r.pick(COLUMN_WORDS))
    const refs = i < 30 ? [] : Array.from({ length: 1 + r.int(3) }, () => models[r.int(models.length)]!.id)
    models.push({
      id: `model.jaffle_shop.${name}`,
      name,
      layer,
      domain,
      path: `${layer}/${domain}/${name}.sql`,
      columns: [...new Set(columns)],
      refs
    })
  }
  return models
}

const rawSql = (r: Random, model: Model, byId: ReadonlyMap<string, Model>): string => {
  const refs = model.refs.length === 0 ? [] : model.refs.map((id) => byId.get(id)!.name)
  const from = refs.length === 0
    ? `{{ source('${r.pick(ENTITIES)}_app', '${r.pick(ENTITIES)}') }}`
    : `{{ ref('${refs[0]}') }}`
  const lines = [
    `{{ config(materialized='${model.layer === "marts" ? "table" : "view"}', tags=['${model.domain}']) }}`,
    "",
    "with source as (",
    `    select * from ${from}`,
    "),",
    "",
    "renamed as (",
    "    select",
    model.columns.map((c) => `        ${c}${r.next() < 0.3 ? `::${r.pick(TYPES)}` : ""} as ${c}`).join(",\n"),
    "    from source",
    `    where ${r.pick(model.columns)} is not null`,
    ")"
  ]
  for (const [k, ref] of refs.slice(1).entries()) {
    lines.push(`, joined_${k} as (`, `    select r.*, j.${r.pick(COLUMN_WORDS)}`, "    from renamed r")
    lines.push(`    left join {{ ref('${ref}') }} j on r.id = j.${r.pick(COLUMN_WORDS)}`, ")")
  }
  lines.push("", `select * from ${refs.length > 1 ? `joined_${refs.length - 2}` : "renamed"}`, "")
  return lines.join("\n")
}

const compileSql = (sql: string): string =>
  sql.replace(/\{\{ config\([^}]*\}\}\n/, "")
    .replace(/\{\{ ref\('([^']+)'\) \}\}/g, '"analytics"."dbt_prod"."$1"')
    .replace(/\{\{ source\('([^']+)', '([^']+)'\) \}\}/g, '"raw"."$1"."$2"')

/** Writes through a 1 MiB buffer, so that large files are not held as one string. */
const bufferedFile = (path: string) => {
  mkdirSync(dirname(path), { recursive: true })
  const fd = openSync(path, "w")
  let parts: Array<string> = []
  let pending = 0
  let written = 0
  const flush = () => {
    const bytes = Buffer.from(parts.join(""), "utf8")
    writeSync(fd, bytes)
    written += bytes.byteLength
    parts = []
    pending = 0
  }
  return {
    write: (s: string) => {
      parts.push(s)
      pending += s.length
      if (pending >= 1 << 20) flush()
    },
    /** Bytes so far (pending characters counted as bytes: nearly all are ASCII). */
    size: () => written + pending,
    close: () => {
      flush()
      closeSync(fd)
    }
  }
}

const writeText = (path: string, text: string | Uint8Array): void => {
  mkdirSync(dirname(path), { recursive: true })
  const fd = openSync(path, "w")
  writeSync(fd, typeof text === "string" ? Buffer.from(text, "utf8") : text)
  closeSync(fd)
}

const nodeJson = (r: Random, model: Model, byId: ReadonlyMap<string, Model>, macros: ReadonlyArray<string>): string => {
  const raw = rawSql(r, model, byId)
  const columns: Record<string, unknown> = {}
  for (const c of model.columns) {
    columns[c] = {
      name: c,
      description: r.next() < 0.5 ? sentence(r, 6 + r.int(10)) : "",
      meta: {},
      data_type: r.pick(TYPES),
      constraints: [],
      quote: null,
      tags: [],
      granularity: null
    }
  }
  const materialized = model.layer === "marts" ? "table" : "view"
  return JSON.stringify({
    database: "analytics",
    schema: `dbt_prod_${model.layer}`,
    name: model.name,
    resource_type: "model",
    package_name: "jaffle_shop",
    path: model.path,
    original_file_path: `models/${model.path}`,
    unique_id: model.id,
    fqn: ["jaffle_shop", model.layer, model.domain, model.name],
    alias: model.name,
    checksum: { name: "sha256", checksum: r.hex(64) },
    config: {
      enabled: true,
      alias: null,
      schema: model.layer,
      database: null,
      tags: [model.domain],
      meta: {},
      group: null,
      materialized,
      incremental_strategy: null,
      batch_size: null,
      lookback: 1,
      begin: null,
      persist_docs: {},
      "post-hook": [],
      "pre-hook": [],
      quoting: {},
      column_types: {},
      full_refresh: null,
      unique_key: null,
      on_schema_change: "ignore",
      on_configuration_change: "apply",
      grants: {},
      packages: [],
      docs: { show: true, node_color: null },
      contract: { enforced: false, alias_types: true },
      event_time: null,
      concurrent_batches: null,
      access: "protected"
    },
    tags: [model.domain],
    description: sentence(r, 8 + r.int(20)),
    columns,
    meta: {},
    group: null,
    docs: { show: true, node_color: null },
    patch_path: `jaffle_shop://models/${model.layer}/${model.domain}/_${model.domain}__models.yml`,
    build_path: null,
    unrendered_config: { materialized, schema: model.layer, tags: [model.domain] },
    created_at: 1716900000 + r.next() * 1e5,
    relation_name: `"analytics"."dbt_prod_${model.layer}"."${model.name}"`,
    raw_code: raw,
    doc_blocks: [],
    language: "sql",
    refs: model.refs.map((id) => ({ name: byId.get(id)!.name, package: null, version: null })),
    sources: model.refs.length === 0 ? [[`${r.pick(ENTITIES)}_app`, r.pick(ENTITIES)]] : [],
    metrics: [],
    functions: [],
    depends_on: {
      macros: Array.from({ length: r.int(4) }, () => r.pick(macros)),
      nodes: [...model.refs]
    },
    compiled_path: `target/compiled/jaffle_shop/models/${model.path}`,
    compiled: true,
    compiled_code: compileSql(raw),
    extra_ctes_injected: true,
    extra_ctes: [],
    contract: { enforced: false, alias_types: true, checksum: null },
    access: "protected",
    constraints: [],
    version: null,
    latest_version: null,
    deprecation_date: null,
    primary_key: ["id"],
    time_spine: null
  })
}

const macroJson = (r: Random, name: string): string =>
  JSON.stringify({
    name,
    resource_type: "macro",
    package_name: r.next() < 0.7 ? "dbt" : "dbt_utils",
    path: `macros/${name}.sql`,
    original_file_path: `macros/${name}.sql`,
    unique_id: `macro.dbt.${name}`,
    macro_sql:
      `{% macro ${name}(relation, columns=none) -%}\n  {{ return(adapter.dispatch('${name}', 'dbt')(relation, columns)) }}\n{%- endmacro %}\n\n{% macro default__${name}(relation, columns=none) -%}\n  {%- set cols = columns or adapter.get_columns_in_relation(relation) -%}\n  {%- for col in cols %}\n    {{ col.name }}{% if not loop.last %},{% endif %}\n  {%- endfor %}\n{%- endmacro %}\n`,
    depends_on: { macros: [`macro.dbt.default__${name}`] },
    description: sentence(r, 5 + r.int(8)),
    meta: {},
    docs: { show: true, node_color: null },
    patch_path: null,
    arguments: [],
    created_at: 1716800000 + r.next() * 1e5,
    supported_languages: ["sql"]
  })

const writeManifest = (
  path: string,
  r: Random,
  models: ReadonlyArray<Model>,
  byId: ReadonlyMap<string, Model>,
  bytes: number
) => {
  const out = bufferedFile(path)
  // About 1 200 macros and 400 sources at 80 MB, as many a large project has.
  const macros = Array.from(
    { length: Math.max(10, Math.round(bytes / 65e3)) },
    (_, i) => `${r.pick(["get", "create", "drop", "alter"])}_${i}_relation`
  )
  out.write(
    `{"metadata":{"dbt_schema_version":"https://schemas.getdbt.com/dbt/manifest/v12.json","dbt_version":"1.9.4","generated_at":"2025-05-01T12:00:00.000000Z","invocation_id":"${
      r.hex(8)
    }-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${
      r.hex(12)
    }","env":{},"project_name":"jaffle_shop","adapter_type":"snowflake"},"nodes":{`
  )
  // Nodes until the file would pass about 85% of its size; the rest is macros, sources and the maps.
  let used = 0
  for (const [i, model] of models.entries()) {
    if (out.size() > bytes * 0.85) break
    out.write(`${i === 0 ? "" : ","}${JSON.stringify(model.id)}:${nodeJson(r, model, byId, macros)}`)
    used = i + 1
  }
  out.write(`},"sources":{`)
  for (let i = 0; i < Math.max(5, Math.round(bytes / 200e3)); i++) {
    const entity = r.pick(ENTITIES)
    const id = `source.jaffle_shop.${entity}_app.${entity}_${i}`
    out.write(
      `${i === 0 ? "" : ","}${JSON.stringify(id)}:${
        JSON.stringify({
          database: "raw",
          schema: `${entity}_app`,
          name: `${entity}_${i}`,
          resource_type: "source",
          unique_id: id,
          loader: "fivetran",
          freshness: { warn_after: { count: 12, period: "hour" }, error_after: { count: 24, period: "hour" } },
          loaded_at_field: "_fivetran_synced",
          description: sentence(r, 10),
          columns: {},
          relation_name: `"raw"."${entity}_app"."${entity}_${i}"`
        })
      }`
    )
  }
  out.write(`},"macros":{`)
  for (const [i, name] of macros.entries()) {
    out.write(`${i === 0 ? "" : ","}"macro.dbt.${name}":${macroJson(r, name)}`)
  }
  out.write(`},"docs":{},"exposures":{},"metrics":{},"groups":{},"selectors":{},"disabled":{},"parent_map":{`)
  const usedModels = models.slice(0, used)
  const children = new Map<string, Array<string>>()
  for (const [i, m] of usedModels.entries()) {
    out.write(`${i === 0 ? "" : ","}${JSON.stringify(m.id)}:${JSON.stringify(m.refs)}`)
    for (const ref of m.refs) children.set(ref, [...(children.get(ref) ?? []), m.id])
  }
  out.write(`},"child_map":{`)
  for (const [i, m] of usedModels.entries()) {
    out.write(`${i === 0 ? "" : ","}${JSON.stringify(m.id)}:${JSON.stringify(children.get(m.id) ?? [])}`)
  }
  // Padding macros' docs up to the size asked, so the file lands near it whatever the node sizes were.
  out.write(`},"semantic_models":{},"unit_tests":{},"saved_queries":{},"padding_docs":{`)
  for (let i = 0; out.size() < bytes - 200; i++) {
    out.write(
      `${i === 0 ? "" : ","}"doc.jaffle_shop.__${i}":${
        JSON.stringify({ name: `__${i}`, block_contents: sentence(r, 40 + r.int(40)) })
      }`
    )
  }
  out.write("}}")
  out.close()
  return usedModels
}

const writeCatalog = (path: string, r: Random, models: ReadonlyArray<Model>, bytes: number) => {
  const out = bufferedFile(path)
  out.write(
    `{"metadata":{"dbt_schema_version":"https://schemas.getdbt.com/dbt/catalog/v1.json","dbt_version":"1.9.4","generated_at":"2025-05-01T12:05:00.000000Z","invocation_id":"${
      r.hex(8)
    }","env":{}},"nodes":{`
  )
  for (let i = 0; out.size() < bytes - 500; i++) {
    const model = models[i % models.length]!
    const columns: Record<string, unknown> = {}
    const wide = [...model.columns, ...Array.from({ length: 10 + r.int(30) }, (_, k) => `${r.pick(COLUMN_WORDS)}_${k}`)]
    for (const [k, c] of wide.entries()) {
      const name = c.toUpperCase()
      columns[name] = { type: r.pick(TYPES).toUpperCase(), index: k + 1, name, comment: null }
    }
    const id = i < models.length ? model.id : `${model.id}_v${Math.floor(i / models.length)}`
    out.write(
      `${i === 0 ? "" : ","}${JSON.stringify(id)}:${
        JSON.stringify({
          metadata: {
            type: model.layer === "marts" ? "BASE TABLE" : "VIEW",
            schema: `DBT_PROD_${model.layer.toUpperCase()}`,
            name: model.name.toUpperCase(),
            database: "ANALYTICS",
            comment: null,
            owner: "TRANSFORMER"
          },
          columns,
          stats: {
            has_stats: { id: "has_stats", label: "Has Stats?", value: false, include: false, description: null }
          },
          unique_id: id
        })
      }`
    )
  }
  out.write(`},"sources":{},"errors":null}`)
  out.close()
}

const writeRunResults = (path: string, r: Random, models: ReadonlyArray<Model>, bytes: number) => {
  const out = bufferedFile(path)
  out.write(
    `{"metadata":{"dbt_schema_version":"https://schemas.getdbt.com/dbt/run-results/v6.json","dbt_version":"1.9.4","generated_at":"2025-05-01T12:10:00.000000Z","invocation_id":"${
      r.hex(8)
    }","env":{}},"results":[`
  )
  for (let i = 0; out.size() < bytes - 2000; i++) {
    const model = models[i % models.length]!
    const started = Date.UTC(2025, 4, 1, 12, 0, 0) + i * 731
    const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "000Z")
    out.write(
      `${i === 0 ? "" : ","}${
        JSON.stringify({
          status: r.next() < 0.97 ? "success" : "error",
          timing: [
            { name: "compile", started_at: iso(started), completed_at: iso(started + 40 + r.int(60)) },
            { name: "execute", started_at: iso(started + 120), completed_at: iso(started + 500 + r.int(9000)) }
          ],
          thread_id: `Thread-${1 + r.int(8)} (worker)`,
          execution_time: r.next() * 30,
          adapter_response: {
            _message: "SUCCESS 1",
            code: "SUCCESS",
            rows_affected: r.int(100000),
            query_id: `01b${r.hex(5)}-0000-${r.hex(4)}-0000-${r.hex(12)}`
          },
          message: "SUCCESS 1",
          failures: null,
          unique_id: model.id,
          compiled: true,
          compiled_code: r.next() < 0.3 ? `select * from "analytics"."dbt_prod"."${model.name}"` : "",
          relation_name: `"analytics"."dbt_prod_${model.layer}"."${model.name}"`,
          batch_results: null
        })
      }`
    )
  }
  out.write(`],"elapsed_time":1234.5,"args":{"which":"build","target":"prod","threads":8,"select":[],"exclude":[]}}`)
  out.close()
}

/** Write the synthetic target folder into `dir` (an empty folder). */
export const writeDbtTarget = (dir: string, options: DbtTargetOptions): void => {
  const r = makeRandom(20250501)
  // Enough models for the manifest (each node is 5 to 15 kB of JSON); the unused tail is never written.
  const models = makeModels(r, Math.ceil(options.manifestBytes / 4000) + 10)
  const byId = new Map(models.map((m) => [m.id, m]))
  const used = writeManifest(join(dir, "manifest.json"), r, models, byId, options.manifestBytes)
  writeCatalog(join(dir, "catalog.json"), r, used, options.catalogBytes)
  writeRunResults(join(dir, "run_results.json"), r, used, options.runResultsBytes)
  // compiled/ holds the SELECT; run/ the statement dbt ran (a create around it); half the files each.
  const half = Math.floor(options.sqlFiles / 2)
  for (let i = 0; i < half; i++) {
    const model = used[i % used.length]!
    const sql = compileSql(rawSql(r, model, byId))
    const rel = i < used.length ? model.path : model.path.replace(/\.sql$/, `_v${Math.floor(i / used.length)}.sql`)
    const compiled = i === 0 ? NON_ASCII_FILE : `compiled/jaffle_shop/models/${rel}`
    writeText(join(dir, compiled), sql)
    const ddl = `create or replace ${
      model.layer === "marts" ? "table" : "view"
    } "analytics"."dbt_prod"."${model.name}"\n  as (\n${sql}\n  );\n`
    writeText(join(dir, i === 1 ? EMPTY_FILE : `run/jaffle_shop/models/${rel}`), i === 1 ? "" : ddl)
  }
  // Key stream of AES-128-CTR over zeros: incompressible, fast, and the same every run.
  const cipher = createCipheriv("aes-128-ctr", Buffer.alloc(16, 7), Buffer.alloc(16, 0))
  writeText(join(dir, "incompressible.bin"), cipher.update(Buffer.alloc(options.binaryBytes)))
  writeText(join(dir, "graph_summary.json"), JSON.stringify({ _invocation_id: r.hex(8), linked: {} }))
}
