/**
 * The Effect 4 entry traces as the Effect 3 one does: a span per call with the config id,
 * PR number, attempt count and outcome, a span per attempt, and never the key, even when
 * the server echoes it in its body and headers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Tracer from "effect/Tracer"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../../testing.ts"
import { clientLayer, DatafoldClient, listCiRuns, triggerCiRun } from "../index.ts"

const apiKey = "dfk_effect4_tracing_0123456789"
const details = {
  pr_number: 42,
  pr_branch: "feature/orders-rollup",
  base_branch: "main",
  pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
}

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer({ apiKey })
})
afterAll(() => server.close())
beforeEach(() => server.reset())

/** `effect` run under a tracer that keeps every span it starts. */
const traced = <A, E>(effect: Effect.Effect<A, E, DatafoldClient>, retries = 3) => {
  const spans: Array<Tracer.NativeSpan> = []
  const tracer = Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  const client = clientLayer({
    apiKey: Redacted.make(apiKey),
    host: server.url,
    retries,
    retryBase: "1 millis"
  }).pipe(Layer.provide(FetchHttpClient.layer))
  return Effect.exit(Effect.withTracer(Effect.provide(effect, client), tracer)).pipe(
    Effect.map((exit) => ({ exit, spans }))
  )
}

const attributesOf = (spans: ReadonlyArray<Tracer.NativeSpan>, name: string) =>
  Object.fromEntries(spans.find((span) => span.name === name)?.attributes ?? [])

describe("tracing (Effect 4)", () => {
  it.live("a trigger: one call span with id, PR number, attempts and outcome, one attempt span", () =>
    Effect.gen(function* () {
      const { exit, spans } = yield* traced(triggerCiRun(9, details))
      expect(exit._tag).toBe("Success")
      expect(attributesOf(spans, "DatafoldClient.trigger")).toMatchObject({
        "datafold.ci_config_id": 9,
        "datafold.pr_number": 42,
        "datafold.attempts": 1,
        "datafold.outcome": "triggered"
      })
      expect(spans.filter((span) => span.name === "DatafoldClient.http POST")).toHaveLength(1)
      expect(spans.every((span) => span.status._tag === "Ended")).toBe(true)
    }))

  it.live("retries: every attempt is a span and the call span counts them", () =>
    Effect.gen(function* () {
      server.inject(Fault.serverError(503), { times: 2 })
      const { exit, spans } = yield* traced(triggerCiRun(9, details))
      expect(exit._tag).toBe("Success")
      expect(attributesOf(spans, "DatafoldClient.trigger")["datafold.attempts"]).toBe(3)
      expect(spans.filter((span) => span.name === "DatafoldClient.http POST")).toHaveLength(3)
    }))

  it.live("listing runs is a span of its own", () =>
    Effect.gen(function* () {
      const { spans } = yield* traced(listCiRuns(9, { prNumber: 42 }))
      expect(attributesOf(spans, "DatafoldClient.listRuns")["datafold.ci_config_id"]).toBe(9)
    }))

  it.live("a server echoing the key in body and headers: no span, attribute or event holds it", () =>
    Effect.gen(function* () {
      server.inject(Fault.respond(500, JSON.stringify({ detail: `bad key ${apiKey}` }), { "x-echo": apiKey }))
      const { exit, spans } = yield* traced(triggerCiRun(9, details), 0)
      expect(exit._tag).toBe("Failure")
      expect(attributesOf(spans, "DatafoldClient.trigger")["datafold.outcome"]).toBe("DatafoldServerError")
      const seen = JSON.stringify(
        spans.map((span) => ({
          name: span.name,
          attributes: [...span.attributes],
          events: span.events.map(([name, , attributes]) => [name, attributes]),
          exit: span.status._tag === "Ended" ? String(span.status.exit) : ""
        }))
      )
      expect(seen).toContain("DatafoldServerError")
      expect(seen).not.toContain(apiKey)
    }))
})
