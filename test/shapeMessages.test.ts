/**
 * Messages speak the user's language: every answer shape the fault tables produce (wrong
 * types, a list for an object, an object for a list, a missing field, null, HTML, broken
 * JSON, an empty 2xx, a redirect, error statuses), on the trigger, the runs listing and
 * the dbt checks, gives a message with no Schema internals ("Encoded side",
 * "transformation", the tree's characters, class names). Where a field is wrong it names
 * the field and what was expected in plain words, then the start of the body.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { describeShapeIssues } from "../src/core/shapeIssue.ts"
import { checkDbtArtifacts, listCiRuns, triggerCiRun } from "../src/DatafoldClient.ts"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"
import { fastClient } from "./support/fixtures.ts"

/** What must never reach a user. */
export const INTERNALS =
  /Encoded side|transformation|Transformation|└|├|─|ParseError|SchemaError|<->|ReadonlyArray|ApiCiRun|Struct|Expected /

const json = (body: string) => Fault.respond(200, body, { "content-type": "application/json" })

/** Every shape of answer the fault tables name, with what the message must say of it. */
export const SHAPES: ReadonlyArray<readonly [string, () => Fault.Fault, Partial<Record<"trigger" | "runs", RegExp>>]> =
  [
    ["an id as text", () => json('{"ci_run_id": "12", "run_id": 5}'), {
      trigger: /field "ci_run_id" should be a (number|whole number) or null, but is the text "12"/
    }],
    ["a fractional id", () => json('{"ci_run_id": 1.5}'), { trigger: /field "ci_run_id" should be a whole number/ }],
    ["a list for an object", () => json("[1, 2]"), { trigger: /the body should be an object, but is a list/ }],
    ["an object for a list", () => json('{"runs": []}'), { runs: /the body should be a list, but is an object/ }],
    ["a run with wrong types", () => json('[{"id": 1, "pr_sha": 3, "status": null}]'), {
      runs: /of item 0 should be/
    }],
    ["null", () => json("null"), {}],
    ["a string", () => json('"ok"'), {}],
    ["malformed JSON", () => Fault.malformedBody(), {}],
    [
      "an HTML page",
      () => Fault.respond(200, "<html><body>Sign in</body></html>", { "content-type": "text/html" }),
      {}
    ],
    ["an empty 2xx", () => Fault.respond(204, ""), {}],
    ["a redirect", () => Fault.redirect("https://elsewhere.example/login"), {}],
    ["a 422", () => Fault.validation(), {}],
    ["a 500", () => Fault.serverError(500), {}],
    ["a 401", () => Fault.unauthorized(), {}]
  ]

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer({ ciConfigIds: [7] })
})
afterAll(() => server.close())

/** The failure's message, or `""` for an answer that decoded (`{"runs": []}` is a valid trigger answer). */
const failureOf = <A, E extends { readonly message: string }>(effect: Effect.Effect<A, E, never>) =>
  Effect.runPromise(Effect.either(effect)).then((result) => (result._tag === "Left" ? result.left.message : ""))

const details = {
  pr_number: 42,
  pr_branch: "feature",
  base_branch: "main",
  pr_sha: "ab".repeat(20),
  base_sha: "cd".repeat(20)
}

describe("no Schema internals in any message", () => {
  for (const [name, fault, says] of SHAPES) {
    it(`${name}: trigger, runs listing and dbt check speak plainly`, async () => {
      const client = fastClient(server, { retries: 0 })
      server.reset()
      server.inject(fault(), { endpoint: "trigger" })
      const trigger = await failureOf(triggerCiRun(7, details).pipe(Effect.provide(client)))
      server.inject(fault(), { endpoint: "runs" })
      const runs = await failureOf(listCiRuns(7).pipe(Effect.provide(client)))
      server.inject(fault(), { endpoint: "dbtCheck" })
      const check = await failureOf(
        checkDbtArtifacts(7, { runType: "production", branch: "main", commitSha: "ab".repeat(20) }).pipe(
          Effect.provide(client)
        )
      )
      for (const message of [trigger, runs, check]) expect(message).not.toMatch(INTERNALS)
      if (says.trigger) expect(trigger).toMatch(says.trigger)
      if (says.runs) expect(runs).toMatch(says.runs)
    })
  }
})

describe("describeShapeIssues", () => {
  it("names the field, what was expected and what came, at most three places", () => {
    expect(describeShapeIssues([{ path: ["ci_run_id"], expected: "number | null | undefined" }], { ci_run_id: "12" }))
      .toBe('field "ci_run_id" should be a number or null, but is the text "12"')
    expect(describeShapeIssues([{ path: [0, "id"], expected: "an integer" }], [{ id: 1.5 }]))
      .toBe('field "id" of item 0 should be a whole number, but is the number 1.5')
    expect(describeShapeIssues([{ path: [], expected: "ReadonlyArray<(ApiCiRun (Encoded side) <-> ApiCiRun)>" }], {}))
      .toBe("the body should be a list, but is an object")
    expect(describeShapeIssues([{ path: ["status"], expected: "present" }], {}))
      .toBe('field "status" should be present, but is missing')
    const many = ["a", "b", "c", "d", "e"].map((key) => ({ path: [key], expected: "string" }))
    expect(describeShapeIssues(many, {})).toMatch(/; and 2 more$/)
  })
})
