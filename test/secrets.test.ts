/**
 * The API key never leaves `Redacted`: not in an error's message, string, JSON or
 * `Cause.pretty` rendering, not in a log line (debug included), not in a span.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, type ConfigError, Effect, Inspectable, Redacted } from "effect"
import { afterAll, beforeAll } from "vitest"
import { DatafoldClient, type DatafoldError, triggerCiRun } from "../src/index.ts"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"
import { details, fastClient } from "./support/fixtures.ts"
import { everyTransport } from "./support/transports.ts"
import { observed } from "./support/recording.ts"

const KEY = "dfk_live_SECRET_b9f1c2d3e4f5a6b7c8d9"

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer({ apiKey: KEY, ciConfigIds: [7] })
})
afterAll(() => server.close())

const faults: ReadonlyArray<[string, Fault.Fault]> = [
  ["401", Fault.unauthorized()],
  ["403", Fault.forbidden()],
  ["404", Fault.notFound()],
  ["422", Fault.validation()],
  ["429", Fault.rateLimited(1)],
  ["500", Fault.serverError(500)],
  ["502", Fault.serverError(502)],
  ["malformed", Fault.malformedBody()],
  ["dropped", Fault.dropConnection()],
  ["lost answer", Fault.loseAnswer()],
  ["reset mid-body", Fault.resetMidBody()],
  ["redirect", Fault.redirect(`https://elsewhere.example/?echo=${KEY}`)],
  // A proxy that echoes the request headers back into its error page.
  ["echoed key (500)", Fault.respond(500, `<pre>Authorization: Key ${KEY}</pre>`, { "content-type": "text/html" })],
  ["echoed key (200)", Fault.respond(200, JSON.stringify({ ci_run_id: `Key ${KEY}` }))],
  ["echoed key (422)", Fault.respond(422, JSON.stringify({ detail: `bad key ${KEY}` }))]
]

const renderings = (error: DatafoldError | ConfigError.ConfigError): Array<string> => [
  "message" in error ? error.message : "",
  String(error),
  JSON.stringify(error),
  Inspectable.format(error),
  Cause.pretty(Cause.fail(error)),
  Cause.pretty(Cause.die(error))
]

describe.each(everyTransport)("over $name", (transport) => {
  describe("the key stays secret", () => {
    for (const [name, fault] of faults) {
      it.live(`in every rendering of the error, the logs and the spans: ${name}`, () =>
        Effect.gen(function* () {
          server.reset()
          server.inject(fault, { times: 10 })
          const { lines, spans, value: exit } = yield* observed(
            Effect.exit(
              triggerCiRun(7, details).pipe(
                Effect.provide(fastClient(server, { retries: 1, timeout: "200 millis" }, transport.layer))
              )
            )
          )
          const texts: Array<string> = [...lines]
          if (exit._tag === "Failure") {
            texts.push(Cause.pretty(exit.cause))
            const failure = Cause.failureOption(exit.cause)
            if (failure._tag === "Some") texts.push(...renderings(failure.value))
          } else {
            texts.push(JSON.stringify(exit.value))
          }
          for (const span of spans) {
            texts.push(JSON.stringify([...span.attributes]), JSON.stringify(span.events))
          }
          expect(spans.length).toBeGreaterThan(0)
          expect(server.requests().length).toBeGreaterThan(0)
          for (const text of texts) expect(text).not.toContain(KEY)
        }))
    }

    it.live("each attempt has its own span with the URL and status, and the request carried the key", () =>
      Effect.gen(function* () {
        server.reset()
        const { spans } = yield* observed(
          triggerCiRun(7, details).pipe(Effect.provide(fastClient(server, {}, transport.layer)))
        )
        const attempt = spans.find((span) => span.name === "DatafoldClient.http POST")
        expect(attempt?.parentName).toBe("DatafoldClient.trigger")
        expect(attempt?.attributes.get("url.full")).toBe(`${server.url}/api/v1/ci/7/trigger`)
        expect(attempt?.attributes.get("http.response.status_code")).toBe(200)
        expect(spans.some((span) => [...span.attributes.keys()].some((key) => key.includes("header")))).toBe(false)
        expect(server.requests()[0]?.headers.authorization).toBe(`Key ${KEY}`)
      }))

    it.live("prepareTrigger and printed options show no key", () =>
      Effect.gen(function* () {
        const client = yield* Effect.provide(DatafoldClient, fastClient(server, {}, transport.layer))
        const prepared = yield* client.prepareTrigger(7, details)
        expect(JSON.stringify(prepared)).not.toContain(KEY)
        expect(prepared.headers.authorization).toBe("Key <redacted>")
        expect(Inspectable.format({ apiKey: Redacted.make(KEY) })).not.toContain(KEY)
        expect(String(server.apiKey)).not.toContain(KEY)
      }))
  })
})
