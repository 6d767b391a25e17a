/**
 * The same input sends the same request from both entries: method, path and query,
 * every header, and the body bytes, as the local server recorded them.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as effect3 from "../../../test/support/effect3Calls.ts"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../testing.ts"
import { clientLayer, DatafoldClient, type DatafoldClientService } from "../index.ts"

const apiKey = "dfk_wire_identity_0123456789"
const details = {
  pr_number: 42,
  pr_branch: "feature/orders-rollup",
  base_branch: "main",
  pr_sha: "8F14E45FCEEA167A5A36DEDD4BEA2543C0A1B2C3",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
}
const diffs = [
  { prod: "analytics.prod.orders", pr: "analytics.pr_42.orders", pk: ["id"], exclude_columns: ["updated_at"] },
  { prod: "analytics.prod.users", pr: "analytics.pr_42.users" }
]

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer({ apiKey })
})
afterAll(() => server.close())

/** What reached the server, byte for byte where it matters. */
const recorded = () =>
  server.requests().map(({ body, headers, method, url }) => ({
    method,
    url,
    headers,
    body: [...new TextEncoder().encode(body)]
  }))

/** Run `use` with a fresh server state on the Effect 4 entry and give what it sent. */
const sentByEffect4 = (use: (client: DatafoldClientService) => Effect.Effect<unknown, unknown>) =>
  Effect.gen(function* () {
    server.reset()
    yield* Effect.ignore(DatafoldClient.use(use))
    return recorded()
  }).pipe(
    Effect.provide(
      clientLayer({ apiKey: Redacted.make(apiKey), host: server.url }).pipe(
        Layer.provide(FetchHttpClient.layer)
      )
    )
  )

/** The same on the Effect 3 entry. */
const sentByEffect3 = (send: (options: effect3.PlainOptions) => Promise<unknown>) =>
  Effect.promise(async () => {
    server.reset()
    await send({ apiKey, host: server.url })
    return recorded()
  })

describe("the wire request is the same from both entries", () => {
  it.live("trigger", () =>
    Effect.gen(function* () {
      const four = yield* sentByEffect4((client) => client.trigger(7, details))
      const three = yield* sentByEffect3((options) => effect3.trigger(options, 7, details))
      expect(four).toHaveLength(1)
      expect(four[0]?.headers["authorization"]).toBe(`Key ${apiKey}`)
      expect(four).toStrictEqual(three)
    }))

  it.live("listRuns with every filter", () =>
    Effect.gen(function* () {
      const query = { prSha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3", prNumber: 42, limit: 5, offset: 10 }
      const four = yield* sentByEffect4((client) => client.listRuns(7, query))
      const three = yield* sentByEffect3((options) => effect3.listRuns(options, 7, query))
      expect(four).toHaveLength(1)
      expect(four[0]?.url).toBe(
        "/api/v1/ci/7/runs?pr_sha=8f14e45fceea167a5a36dedd4bea2543c0a1b2c3&pr_num=42&limit=5&offset=10"
      )
      expect(four).toStrictEqual(three)
    }))

  it.live("submitDiffs (defaults written out)", () =>
    Effect.gen(function* () {
      const four = yield* sentByEffect4((client) => client.submitDiffs(7, 42, diffs))
      const three = yield* sentByEffect3((options) => effect3.submitDiffs(options, 7, 42, diffs))
      expect(four).toHaveLength(1)
      expect(four).toStrictEqual(three)
    }))

  it.live("prepareTrigger and prepareSubmit show the same requests", () =>
    Effect.gen(function* () {
      const options = { apiKey, host: server.url }
      const client = DatafoldClient.use((c) =>
        Effect.all([c.prepareTrigger(7, details), c.prepareSubmit(7, 42, diffs)])
      )
      const [trigger, submit] = yield* client.pipe(
        Effect.provide(
          clientLayer({ apiKey: Redacted.make(apiKey), host: server.url }).pipe(
            Layer.provide(FetchHttpClient.layer)
          )
        )
      )
      const plain = (value: unknown) => JSON.parse(JSON.stringify(value))
      expect(yield* Effect.promise(() => effect3.prepareTrigger(options, 7, details))).toStrictEqual({
        _tag: "Success",
        value: plain(trigger)
      })
      expect(yield* Effect.promise(() => effect3.prepareSubmit(options, 7, 42, diffs))).toStrictEqual({
        _tag: "Success",
        value: plain(submit)
      })
    }))
})
