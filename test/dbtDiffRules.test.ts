/**
 * The rules of `datafold-ci diff dbt` (`src/core/dbtDiff/`), table by table: decoding the
 * artifacts and `vars.data_diff`, the production path (custom database and schema,
 * `<custom_schema>`), the primary key in data-diff's order, and the plan: which models
 * are diffed and why the others are not.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  type DataDiffVars,
  type DbtManifest,
  type DbtNode,
  decodeDataDiffVars,
  decodeManifest,
  decodeRunResults
} from "../src/core/dbtDiff/artifacts.ts"
import {
  columnsOfUniqueExpression,
  describeSkip,
  planDbtDiffs,
  primaryKeyOf,
  prodLocationOf
} from "../src/core/dbtDiff/plan.ts"

const node = (overrides: Partial<DbtNode> & { readonly name: string }): DbtNode => ({
  uniqueId: `model.shop.${overrides.name}`,
  resourceType: "model",
  database: "ANALYTICS",
  schema: "PR_45",
  alias: overrides.name,
  materialized: "table",
  customDatabase: null,
  customSchema: null,
  meta: {},
  columns: [],
  constraints: [],
  testName: null,
  testKwargs: {},
  testedNode: null,
  ...overrides
})

const column = (name: string, extra: Partial<DbtNode["columns"][number]> = {}) => ({
  name,
  tags: [],
  meta: {},
  constraints: [],
  ...extra
})

const testNode = (name: string, model: string, testName: string, kwargs: Record<string, unknown>): DbtNode =>
  node({ name, uniqueId: `test.shop.${name}`, resourceType: "test", testName, testKwargs: kwargs, testedNode: model })

const manifestOf = (nodes: ReadonlyArray<DbtNode>, adapterType: string | null = "postgres"): DbtManifest => ({
  adapterType,
  dbtVersion: "1.8.0",
  nodes: new Map(nodes.map((n) => [n.uniqueId, n]))
})

const vars = (overrides: Partial<DataDiffVars> = {}): DataDiffVars => ({
  prodDatabase: null,
  prodSchema: "PROD",
  prodCustomSchema: null,
  datasourceId: null,
  ...overrides
})

describe("decoding", () => {
  it("the manifest: nodes with their columns, config and tests; a wrong type reads as absent", () => {
    const decoded = decodeManifest({
      metadata: { adapter_type: "snowflake", dbt_version: "1.7.4" },
      nodes: {
        "model.shop.orders": {
          name: "orders",
          resource_type: "model",
          database: "DEV",
          schema: "PR_1",
          alias: "orders_v2",
          config: { materialized: "incremental", schema: "finance", database: null, meta: { owner: "x" } },
          meta: { "primary-key": ["id"] },
          columns: { id: { name: "id", tags: ["primary-key"], meta: 3, constraints: [{ type: "not_null" }] } }
        },
        "test.shop.t": {
          resource_type: "test",
          test_metadata: { name: "unique", kwargs: { column_name: "id" } },
          depends_on: { nodes: ["model.shop.orders"] }
        }
      }
    })
    expect(decoded.ok).toBe(true)
    if (!decoded.ok) return
    expect(decoded.value.adapterType).toBe("snowflake")
    expect(decoded.value.nodes.get("model.shop.orders")).toMatchObject({
      alias: "orders_v2",
      materialized: "incremental",
      customSchema: "finance",
      customDatabase: null,
      meta: { owner: "x", "primary-key": ["id"] },
      columns: [{ name: "id", tags: ["primary-key"], meta: {}, constraints: [{ type: "not_null", columns: [] }] }]
    })
    expect(decoded.value.nodes.get("test.shop.t")).toMatchObject({
      name: "t",
      testName: "unique",
      testedNode: "model.shop.orders"
    })
  })

  const refused: ReadonlyArray<readonly [unknown, RegExp]> = [
    [[], /not a JSON object/],
    [null, /not a JSON object/],
    [{ metadata: {} }, /no "nodes"/],
    [{ nodes: [] }, /no "nodes"/]
  ]
  for (const [json, problem] of refused) {
    it(`a manifest ${JSON.stringify(json)} is refused`, () => {
      const decoded = decodeManifest(json)
      expect(decoded.ok).toBe(false)
      if (!decoded.ok) expect(decoded.problem).toMatch(problem)
    })
  }

  it("run_results: each result's id and status; entries without an id left out; no results list refused", () => {
    expect(decodeRunResults({ results: [{ unique_id: "model.a.b", status: "success" }, { status: "x" }, 4] }))
      .toEqual({ ok: true, value: [{ uniqueId: "model.a.b", status: "success" }] })
    expect(decodeRunResults({ results: {} }).ok).toBe(false)
  })

  const varCases: ReadonlyArray<readonly [unknown, Partial<DataDiffVars>]> = [
    [undefined, { prodDatabase: null, prodSchema: null, prodCustomSchema: null, datasourceId: null }],
    [{ vars: { data_diff: { prod_database: "DB", prod_schema: "S" } } }, { prodDatabase: "DB", prodSchema: "S" }],
    [{ vars: { data_diff: { prod_custom_schema: "P_<custom_schema>" } } }, { prodCustomSchema: "P_<custom_schema>" }],
    [{ vars: { data_diff: { datasource_id: 42 } } }, { datasourceId: 42 }],
    [{ vars: { data_diff: { datasource_id: "42" } } }, { datasourceId: 42 }],
    [{ vars: { data_diff: { datasource_id: -1 } } }, { datasourceId: null }],
    [{ vars: { data_diff: { prod_schema: "" } } }, { prodSchema: null }],
    [{ vars: { other: 1 } }, { prodSchema: null }],
    [{ vars: "nope" }, { prodSchema: null }]
  ]
  for (const [project, expected] of varCases) {
    it(`vars.data_diff of ${JSON.stringify(project)}`, () => {
      expect(decodeDataDiffVars(project)).toMatchObject(expected)
    })
  }
})

describe("production path", () => {
  const cases: ReadonlyArray<
    readonly [what: string, vars: DataDiffVars, model: Partial<DbtNode>, expected: unknown]
  > = [
    ["prod_schema only: the PR build's database", vars(), {}, { ok: true, database: "ANALYTICS", schema: "PROD" }],
    [
      "prod_database only: the PR build's schema",
      vars({ prodDatabase: "PRODDB", prodSchema: null }),
      {},
      { ok: true, database: "PRODDB", schema: "PR_45" }
    ],
    [
      "a custom database wins over prod_database",
      vars({ prodDatabase: "PRODDB" }),
      { customDatabase: "RAW" },
      { ok: true, database: "RAW", schema: "PROD" }
    ],
    [
      "a custom schema goes to prod_custom_schema with <custom_schema> replaced",
      vars({ prodCustomSchema: "PROD_<custom_schema>" }),
      { customSchema: "finance" },
      { ok: true, database: "ANALYTICS", schema: "PROD_finance" }
    ],
    [
      "a plain <custom_schema> template is the custom schema itself",
      vars({ prodCustomSchema: "<custom_schema>" }),
      { customSchema: "finance" },
      { ok: true, database: "ANALYTICS", schema: "finance" }
    ],
    [
      "a custom schema without prod_custom_schema has no production path",
      vars(),
      { customSchema: "finance" },
      { ok: false, why: expect.stringMatching(/custom schema \(finance\).*prod_custom_schema/) }
    ],
    [
      "a custom schema without prod_schema keeps the PR build's schema",
      vars({ prodDatabase: "PRODDB", prodSchema: null }),
      { customSchema: "finance", schema: "PR_45_finance" },
      { ok: true, database: "PRODDB", schema: "PR_45_finance" }
    ],
    [
      "neither prod_database nor prod_schema: no production path",
      vars({ prodSchema: null }),
      {},
      { ok: false, why: expect.stringMatching(/no vars: data_diff: prod_database or prod_schema/) }
    ]
  ]
  for (const [what, given, model, expected] of cases) {
    it(what, () => {
      expect(prodLocationOf(given, node({ name: "orders", ...model }))).toEqual(expected)
    })
  }
})

describe("primary key", () => {
  const orders = "model.shop.orders"
  const cases: ReadonlyArray<
    readonly [what: string, model: Partial<DbtNode>, tests: ReadonlyArray<DbtNode>, expected: unknown]
  > = [
    [
      "the model's meta primary-key, only documented columns",
      { meta: { "primary-key": ["id", "ghost"] }, columns: [column("id"), column("b", { tags: ["primary-key"] })] },
      [],
      { columns: ["id"], source: "model-meta" }
    ],
    [
      "a model meta primary-key as one string",
      { meta: { "primary-key": "id" }, columns: [column("id")] },
      [],
      { columns: ["id"], source: "model-meta" }
    ],
    [
      "columns with primary-key in their meta, before tags",
      { columns: [column("a", { meta: { "primary-key": true } }), column("b", { tags: ["primary-key"] })] },
      [],
      { columns: ["a"], source: "column-meta" }
    ],
    [
      "columns tagged primary-key, composite in column order",
      { columns: [column("a", { tags: ["primary-key"] }), column("x"), column("b", { tags: ["primary-key"] })] },
      [testNode("u", orders, "unique", { column_name: "x" })],
      { columns: ["a", "b"], source: "column-tag" }
    ],
    [
      "a unique test",
      { columns: [column("id"), column("x")] },
      [testNode("u", orders, "unique", { column_name: "id" }), testNode("n", orders, "not_null", { column_name: "x" })],
      { columns: ["id"], source: "unique-test" }
    ],
    [
      "a unique test on concat(a, b): each documented column",
      { columns: [column("a"), column("b")] },
      [testNode("u", orders, "unique", { column_name: "concat(a, '-', b)" })],
      { columns: ["a", "b"], source: "unique-test" }
    ],
    [
      "a unique test on a || b",
      { columns: [column("a"), column("b")] },
      [testNode("u", orders, "unique", { column_name: "a || '-' || \"b\"" })],
      { columns: ["a", "b"], source: "unique-test" }
    ],
    [
      "dbt_utils unique_combination_of_columns",
      { columns: [] },
      [testNode("u", orders, "unique_combination_of_columns", { combination_of_columns: ["a", "b"] })],
      { columns: ["a", "b"], source: "unique-test" }
    ],
    [
      "another model's unique test does not count",
      { columns: [column("id")] },
      [testNode("u", "model.shop.other", "unique", { column_name: "id" })],
      undefined
    ],
    [
      "a model-level primary_key constraint",
      { columns: [column("a")], constraints: [{ type: "primary_key", columns: ["a", "b"] }] },
      [],
      { columns: ["a", "b"], source: "constraint" }
    ],
    [
      "a column-level primary_key constraint",
      { columns: [column("a", { constraints: [{ type: "primary_key", columns: [] }] }), column("b")] },
      [],
      { columns: ["a"], source: "constraint" }
    ],
    [
      "a not_null constraint is not a key",
      { columns: [column("a", { constraints: [{ type: "not_null", columns: [] }] })] },
      [],
      undefined
    ],
    ["nothing declared", { columns: [column("a")] }, [], undefined]
  ]
  for (const [what, model, tests, expected] of cases) {
    it(what, () => {
      const subject = node({ name: "orders", ...model })
      expect(primaryKeyOf(manifestOf([subject, ...tests]), subject)).toEqual(expected)
    })
  }

  it("unique expressions split as data-diff splits them", () => {
    expect(columnsOfUniqueExpression(" id ")).toEqual(["id"])
    expect(columnsOfUniqueExpression("CONCAT(a,b)")).toEqual(["a", "b"])
    expect(columnsOfUniqueExpression("(a) || (b)")).toEqual(["a", "b"])
  })
})

describe("the plan", () => {
  const keyed = (name: string, extra: Partial<DbtNode> = {}) =>
    node({ name, columns: [column("id", { tags: ["primary-key"] })], ...extra })

  it("diffs built models in run_results' order, skips each other model once with the first reason", () => {
    const manifest = manifestOf([
      keyed("a"),
      keyed("eph", { materialized: "ephemeral" }),
      node({ name: "nokey" }),
      keyed("failed"),
      keyed("custom", { customSchema: "finance" }),
      node({ name: "seed", uniqueId: "seed.shop.seed", resourceType: "seed" }),
      keyed("b", { meta: { datafold: { datadiff: { filter: "x > 1", include_columns: ["x"] } } } })
    ])
    const plan = planDbtDiffs(manifest, [
      { uniqueId: "seed.shop.seed", status: "success" },
      { uniqueId: "model.shop.b", status: "success" },
      { uniqueId: "model.shop.a", status: "success" },
      { uniqueId: "model.shop.a", status: "success" },
      { uniqueId: "model.shop.eph", status: "success" },
      { uniqueId: "model.shop.nokey", status: "success" },
      { uniqueId: "model.shop.failed", status: "error" },
      { uniqueId: "model.shop.custom", status: "success" },
      { uniqueId: "model.shop.gone", status: "success" },
      { uniqueId: "test.shop.t", status: "pass" }
    ], vars())
    expect(plan.diffs.map((diff) => [diff.name, diff.prodPath.join("."), diff.devPath.join(".")])).toEqual([
      ["b", "ANALYTICS.PROD.b", "ANALYTICS.PR_45.b"],
      ["a", "ANALYTICS.PROD.a", "ANALYTICS.PR_45.a"]
    ])
    expect(plan.diffs[0]).toMatchObject({ filter: "x > 1", includeColumns: ["x"], excludeColumns: [] })
    expect(plan.skipped.map((skip) => [skip.name, skip.reason._tag])).toEqual([
      ["eph", "Ephemeral"],
      ["nokey", "NoPrimaryKey"],
      ["failed", "NotBuilt"],
      ["custom", "NoProdPath"],
      ["model.shop.gone", "NotInManifest"]
    ])
    expect(plan.built).toBe(5)
    for (const skip of plan.skipped) expect(describeSkip(skip.reason)).not.toBe("")
  })

  it("a production path equal to the PR build's is skipped, not diffed against itself", () => {
    const plan = planDbtDiffs(manifestOf([keyed("a")]), [{ uniqueId: "model.shop.a", status: "success" }], {
      ...vars({ prodSchema: null, prodDatabase: "ANALYTICS" })
    })
    expect(plan.diffs).toEqual([])
    expect(plan.skipped.map((skip) => skip.reason._tag)).toEqual(["SamePath"])
  })

  it("a Snowflake project is upper-cased: paths and keys, as data-diff does for Snowflake", () => {
    const plan = planDbtDiffs(
      manifestOf([keyed("orders", { database: "analytics", schema: "pr_45", alias: "orders_v2" })], "snowflake"),
      [{ uniqueId: "model.shop.orders", status: "success" }],
      vars({ prodSchema: "prod" })
    )
    expect(plan.upperCased).toBe(true)
    expect(plan.diffs[0]).toMatchObject({
      prodPath: ["ANALYTICS", "PROD", "ORDERS_V2"],
      devPath: ["ANALYTICS", "PR_45", "ORDERS_V2"],
      primaryKey: { columns: ["ID"], source: "column-tag" }
    })
  })

  it("a model without a database (some adapters) has a two-part path", () => {
    const plan = planDbtDiffs(
      manifestOf([keyed("a", { database: null, alias: null })]),
      [{ uniqueId: "model.shop.a", status: "success" }],
      vars()
    )
    expect(plan.diffs[0]).toMatchObject({ prodPath: ["PROD", "a"], devPath: ["PR_45", "a"] })
  })
})
