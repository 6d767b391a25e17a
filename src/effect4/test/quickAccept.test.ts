/**
 * The Effect 4 entry's trigger check takes the same schema-free path for valid input
 * (`core/quickAccept.ts`, held to the Effect 3 schema by property tests in `test/`), and
 * it never changes a result: over valid details and each kind of broken one, the check
 * gives exactly what the Effect 4 schema alone gives.
 */
import { describe, expect, it } from "@effect/vitest"
import { acceptTrigger } from "../../core/quickAccept.ts"
import { checkTrigger, checkTriggerWithSchema } from "../internal/requests.ts"

const HOST = "https://app.datafold.com"
const valid = {
  pr_number: 42,
  pr_branch: "feature/orders-rollup",
  base_branch: "main",
  pr_sha: "8F14E45FCEEA167A5A36DEDD4BEA2543C0A1B2C3",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5bc9f0f895fb98ab9159f51fd0"
}

const odd: ReadonlyArray<unknown> = [
  0,
  -1,
  1.5,
  Number.NaN,
  Infinity,
  2 ** 53,
  "1",
  null,
  undefined,
  true,
  [],
  {},
  "8f14e45",
  "g".repeat(40),
  " main",
  "a..b",
  "topic.lock",
  "-x",
  "a//b",
  "release/1.2",
  "é",
  ""
]
const fields = ["pr_number", "pr_branch", "base_branch", "pr_sha", "base_sha"] as const

/** Valid details, then each field in turn removed or set to each odd value, and a few wholes. */
const inputs: ReadonlyArray<readonly [unknown, unknown]> = [
  [7, valid],
  [7, { ...valid, extra: "ignored" }],
  ...odd.map((id) => [id, valid] as const),
  ...fields.flatMap((field) => {
    const { [field]: _, ...without } = valid
    return [[7, without] as const, ...odd.map((value) => [7, { ...valid, [field]: value }] as const)]
  }),
  [7, null],
  [7, "details"],
  [7, Object.create(valid)]
]

describe("the Effect 4 trigger check", () => {
  it("takes the quick path for valid details", () => {
    expect(acceptTrigger(7, valid)).toBeDefined()
  })

  it(`gives what the schema alone gives, for ${inputs.length} valid and broken inputs`, () => {
    for (const [id, details] of inputs) {
      const quick = checkTrigger(HOST, id as number, details as never)
      const schema = checkTriggerWithSchema(HOST, id as number, details as never)
      expect(JSON.parse(JSON.stringify(quick)), JSON.stringify([id, details])).toStrictEqual(
        JSON.parse(JSON.stringify(schema))
      )
    }
  })
})
