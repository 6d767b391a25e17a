/**
 * Properties over generated inputs (fast-check through `it.prop`, arbitraries derived
 * from the schemas): valid details round-trip through the wire; any answer ends in a
 * value or a typed error, never a defect; invalid details are refused before sending.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, FastCheck as fc, Schema } from "effect"
import { afterAll, beforeAll } from "vitest"
import { ApiPrDetails, PrDetails, triggerCiRun } from "../src/index.ts"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"
import { details as validDetails, fastClient } from "./support/fixtures.ts"
import { everyTransport } from "./support/transports.ts"

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer()
})
afterAll(() => server.close())

const knownTags = new Set([
  "DatafoldInputError",
  "DatafoldAuthError",
  "DatafoldNotFoundError",
  "DatafoldValidationError",
  "DatafoldRateLimitError",
  "DatafoldServerError",
  "DatafoldRejectedError",
  "DatafoldNetworkError",
  "DatafoldResponseError"
])

describe.each(everyTransport)("over $name", (transport) => {
  describe("properties", () => {
    it.live.prop(
      "every valid set of details encodes to JSON the local server accepts and decodes back equal",
      { details: PrDetails },
      ({ details }) =>
        Effect.gen(function* () {
          server.reset()
          const encoded = Schema.encodeSync(PrDetails)(details)
          const job = yield* triggerCiRun(1, encoded).pipe(Effect.provide(fastClient(server, {}, transport.layer)))
          expect(job.ci_run_id).toBe(1)
          const received = Schema.decodeUnknownSync(ApiPrDetails)(JSON.parse(server.requests()[0]?.body ?? ""))
          expect(Schema.decodeSync(PrDetails)(received)).toStrictEqual(details)
        }),
      { fastCheck: { numRuns: 40 } }
    )

    const anyBody = fc.oneof(
      fc.json(),
      fc.jsonValue().map((value) => JSON.stringify({ ci_run_id: value, run_id: value, detail: value })),
      fc.uint8Array({ maxLength: 256 }).map((bytes) => new TextDecoder().decode(bytes)),
      fc.string()
    )
    const anyStatus = fc.constantFrom(200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503)

    it.live.prop(
      "any body with any status ends in success or a typed error, never a defect",
      { body: anyBody, status: anyStatus },
      ({ body, status }) =>
        Effect.gen(function* () {
          server.reset()
          server.inject(Fault.respond(status, body, { "content-type": "application/json" }))
          const exit = yield* Effect.exit(
            triggerCiRun(1, validDetails).pipe(Effect.provide(fastClient(server, { retries: 0 }, transport.layer)))
          )
          if (Exit.isFailure(exit)) {
            expect(Cause.isDie(exit.cause)).toBe(false)
            const failure = Cause.failureOption(exit.cause)
            expect(failure._tag).toBe("Some")
            if (failure._tag === "Some") expect(knownTags.has((failure.value as { _tag: string })._tag)).toBe(true)
          }
        }),
      { fastCheck: { numRuns: 150 } }
    )

    const badValue = {
      pr_number: fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }), fc.string(), fc.constant(null)),
      pr_branch: fc.oneof(fc.constant(""), fc.string().map((s) => ` ${s}`), fc.integer()),
      base_branch: fc.oneof(fc.constant(""), fc.string().map((s) => `${s}\n`), fc.constant(undefined)),
      pr_sha: fc.oneof(
        fc.stringMatching(/^[0-9a-f]{7,12}$/),
        fc.constantFrom("main", "HEAD", "refs/heads/main"),
        fc.stringMatching(/^[0-9a-f]{41}$/)
      ),
      base_sha: fc.oneof(fc.stringMatching(/^[g-z]{40}$/), fc.constant(""))
    }
    const invalidDetails = fc
      .subarray(Object.keys(badValue) as Array<keyof typeof badValue>, { minLength: 1 })
      .chain((fields) =>
        fc.record(Object.fromEntries(fields.map((field) => [field, badValue[field]]))).map((bad) => ({ fields, bad }))
      )

    it.live.prop(
      "invalid details are refused with DatafoldInputError naming each bad field, and nothing is sent",
      { invalid: invalidDetails },
      ({ invalid }) =>
        Effect.gen(function* () {
          server.reset()
          const input = { ...validDetails, ...invalid.bad }
          const error = yield* Effect.flip(
            triggerCiRun(1, input as never).pipe(Effect.provide(fastClient(server, {}, transport.layer)))
          )
          expect(error._tag).toBe("DatafoldInputError")
          if (error._tag === "DatafoldInputError") {
            expect(error.issues.map((issue) => issue.field).sort()).toStrictEqual([...invalid.fields].sort())
          }
          expect(server.requests()).toHaveLength(0)
        }),
      { fastCheck: { numRuns: 150 } }
    )
  })
})
