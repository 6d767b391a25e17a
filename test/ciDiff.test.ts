/**
 * The `CiDiff` schemas: the wire shape as published, and the strict one the client
 * accepts (non-blank table paths, each key column once, at least one diff).
 */
import { Either, JSONSchema, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { ApiCiDiff, type CiDiffInput, CiDiffs } from "../src/index.ts"
import { validateSubmit } from "../src/internal/uploadPolicy.ts"

describe("CiDiff", () => {
  it("fills the SDK's defaults: pk null, column lists empty", () => {
    expect(Schema.decodeUnknownSync(CiDiffs)([{ prod: "db.prod.t", pr: "db.pr.t" }])).toStrictEqual([
      { prod: "db.prod.t", pr: "db.pr.t", pk: null, include_columns: [], exclude_columns: [] }
    ])
  })

  it("accepts the SDK's example file as it is", () => {
    const sdk = [{
      prod: "analytics.prod.orders",
      pr: "analytics.pr_123.orders",
      pk: ["id"],
      include_columns: [],
      exclude_columns: ["updated_at"]
    }]
    expect(Schema.decodeUnknownSync(CiDiffs)(sdk)).toStrictEqual(sdk)
  })

  it("refuses an empty list, bad ids, blank paths and a repeated key column, all at once, before sending", () => {
    const issues = (ciConfigId: number, prNumber: number, diffs: ReadonlyArray<CiDiffInput>) =>
      Either.match(validateSubmit(ciConfigId, prNumber, diffs), {
        onLeft: (error) => error.issues.map((issue) => `${issue.field} ${issue.problem}`),
        onRight: () => []
      })
    expect(issues(1, 2, [])).toStrictEqual([
      "diffs must list at least one diff (an empty upload attaches nothing to the run)"
    ])
    expect(issues(0, 2.5, [{ prod: " ", pr: "db.pr.t ", pk: ["id", "k", "id"] }])).toStrictEqual([
      "ci_config_id must be a positive whole number (the id of a CI configuration in Datafold)",
      "pr_number must be a whole number",
      "diffs.0.prod must be a table path such as analytics.prod.orders, not blank",
      "diffs.0.pr must not start or end with white space",
      'diffs.0.pk must name each column once; repeated: "id"'
    ])
    expect(issues(1, 2, [{ prod: "a.b", pr: "a.c" }])).toStrictEqual([])
  })

  it("the wire schema is what Datafold publishes: pk unique items or null, and accepts what FastAPI accepts", () => {
    const json = (JSONSchema.make(ApiCiDiff) as unknown as {
      $defs: { CiDiff: { required: Array<string>; properties: { pk: { anyOf: Array<Record<string, unknown>> } } } }
    }).$defs.CiDiff
    expect(json.required).toStrictEqual(["prod", "pr"])
    expect(json.properties.pk.anyOf).toContainEqual({ type: "array", items: { type: "string" }, uniqueItems: true })
    expect(Schema.decodeUnknownSync(ApiCiDiff)({ prod: " ", pr: "" })).toMatchObject({ prod: " ", pk: null })
  })
})
