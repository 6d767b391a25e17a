/**
 * The schema-free checks of the common case (`src/core/quickAccept.ts`) never change a
 * result: over generated inputs and answers, valid and broken, the client's check gives
 * exactly what the schema alone gives, and every valid input takes the quick path.
 */
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import { acceptJobIds, acceptTrigger } from "../src/core/quickAccept.ts"
import { decodeSubmitCiJob } from "../src/internal/decodeAnswer.ts"
import { checkTrigger, checkTriggerWithSchema } from "../src/internal/requests.ts"
import { PrDetails, SubmitCiJob } from "../src/index.ts"

const HOST = "https://app.datafold.com"
const validDetails = Arbitrary.make(PrDetails).map((details) => Schema.encodeSync(PrDetails)(details))

/** A value near a rule's edge, or anything at all. */
const oddValue = fc.oneof(
  fc.anything(),
  fc.constantFrom(0, -1, 1.5, Number.NaN, Infinity, 2 ** 53, -0, "1", null, undefined, true, [], {}),
  fc.stringMatching(/^[0-9a-fA-F]{38,42}$/),
  fc.stringMatching(/^[0-9a-fA-FgG]{64}$/),
  fc.constantFrom(" main", "a..b", "topic.lock", "-x", "a//b", "a/", "x@{y", ".hidden", "ok/name", "f", "", "é"),
  fc.string()
)
const fieldNames = fc.constantFrom("pr_number", "pr_branch", "base_branch", "pr_sha", "base_sha", "extra")

/** Valid details with some fields replaced, removed or added. */
const brokenDetails = fc.tuple(validDetails, fc.array(fc.tuple(fieldNames, oddValue, fc.boolean()), { maxLength: 3 }))
  .map(([details, changes]) => {
    const copy: Record<string, unknown> = { ...details }
    for (const [name, value, remove] of changes) {
      if (remove) delete copy[name]
      else copy[name] = value
    }
    return copy
  })

const configIds = fc.oneof(fc.integer({ min: 1, max: 2 ** 31 }), oddValue)

describe("quick checks agree with the schemas", () => {
  it.prop(
    "checkTrigger gives what the schema alone gives, for valid and broken details",
    { id: configIds, details: fc.oneof(validDetails, brokenDetails, oddValue) },
    ({ details, id }) => {
      expect(checkTrigger(HOST, id as number, details as never)).toStrictEqual(
        checkTriggerWithSchema(HOST, id as number, details as never)
      )
    },
    // 3 000 runs take a few seconds alone, and far longer on a machine busy with the suite.
    { fastCheck: { numRuns: 3000 }, timeout: 180_000 }
  )

  it.prop(
    "every valid input takes the quick path",
    { id: fc.integer({ min: 1, max: 2 ** 31 }), details: validDetails },
    ({ details, id }) => {
      expect(acceptTrigger(id, details)).toBeDefined()
    },
    { fastCheck: { numRuns: 500 } }
  )

  it("an inherited field is missing for both, a getter is read once", () => {
    const valid = fc.sample(validDetails, 1)[0]!
    const inherited = Object.create(valid) as Record<string, unknown>
    expect(acceptTrigger(1, inherited)).toBeUndefined()
    expect(Either.isLeft(checkTriggerWithSchema(HOST, 1, inherited as never))).toBe(true)
    let reads = 0
    const withGetter = {
      ...valid,
      get pr_number() {
        reads += 1
        return reads === 1 ? 7 : -7
      }
    }
    expect(acceptTrigger(1, withGetter)?.pr_number).toBe(7)
  })

  const ids = fc.oneof(
    fc.integer(),
    fc.constantFrom(null, 1.5, 2 ** 53, -(2 ** 53), Number.NaN, "1", true, [], {}),
    fc.jsonValue()
  )
  const answers = fc.oneof(
    fc.record({ ci_run_id: ids, run_id: ids }, { requiredKeys: [] }),
    fc.record({ ci_run_id: ids, run_id: ids, other: fc.jsonValue() }),
    fc.jsonValue(),
    fc.anything()
  )

  it.prop(
    "decodeSubmitCiJob gives what the schema gives, for any answer",
    { answer: answers },
    ({ answer }) => {
      const quick = decodeSubmitCiJob(answer)
      const schema = Schema.decodeUnknownEither(SubmitCiJob)(answer)
      expect(quick._tag).toBe(schema._tag)
      if (Either.isRight(quick) && Either.isRight(schema)) {
        expect(quick.right).toBeInstanceOf(SubmitCiJob)
        expect({ ...quick.right }).toStrictEqual({ ...schema.right })
      }
      if (Either.isLeft(quick) && Either.isLeft(schema)) expect(quick.left.message).toBe(schema.left.message)
    },
    { fastCheck: { numRuns: 3000 }, timeout: 180_000 }
  )

  it("a well-formed answer takes the quick path; an unsafe integer does not", () => {
    expect(acceptJobIds({ ci_run_id: 1, run_id: null, extra: "x" })).toStrictEqual({ ci_run_id: 1, run_id: null })
    expect(acceptJobIds({})).toStrictEqual({ ci_run_id: null, run_id: null })
    expect(acceptJobIds({ ci_run_id: 2 ** 53 })).toBeUndefined()
    expect(acceptJobIds([])).toBeUndefined()
  })
})
