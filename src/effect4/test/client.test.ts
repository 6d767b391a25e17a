/**
 * The Effect 4 client against the local Datafold server over real loopback HTTP: the
 * whole workflow, and the same refusals, in the same words, as the Effect 3 entry.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as effect3 from "../../../test/support/effect3Calls.ts"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../testing.ts"
import {
  clientLayer,
  dataDiffsLayer,
  DatafoldClient,
  listCiRuns,
  organizationMeta,
  submitCiDiffs,
  triggerCiRun
} from "../index.ts"

const apiKey = "dfk_effect4_client_0123456789"
const details = {
  pr_number: 42,
  pr_branch: "feature/orders-rollup",
  base_branch: "main",
  pr_sha: "8F14E45FCEEA167A5A36DEDD4BEA2543C0A1B2C3",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
}

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer({ apiKey })
})
afterAll(() => server.close())

const layer = () =>
  clientLayer({ apiKey: Redacted.make(apiKey), host: server.url }).pipe(Layer.provide(FetchHttpClient.layer))

describe("the Effect 4 client", () => {
  it.live("triggers a run, lists it, and uploads diffs to it", () =>
    Effect.gen(function* () {
      server.reset()
      const job = yield* triggerCiRun(7, details)
      expect(job.ci_run_id).toBe(server.runs()[0]?.id)
      const runs = yield* listCiRuns(7, { prSha: details.pr_sha.toLowerCase() })
      expect(runs.map((run) => run.id)).toStrictEqual([job.ci_run_id])
      const upload = yield* submitCiDiffs(7, 42, [{ prod: "analytics.prod.orders", pr: "analytics.pr_42.orders" }])
      expect(upload.ci_run_id).toBe(job.ci_run_id)
      expect(server.requests().map((request) => request.endpoint)).toStrictEqual(["trigger", "runs", "upload"])
    }).pipe(Effect.provide(layer())))

  it.live("a wrong key: DatafoldAuthError with the Effect 3 entry's message", () =>
    Effect.gen(function* () {
      const wrong = clientLayer({ apiKey: Redacted.make("dfk_wrong_key_0123456789"), host: server.url })
      const error = yield* Effect.flip(
        triggerCiRun(7, details).pipe(
          Effect.provide(wrong.pipe(Layer.provide(FetchHttpClient.layer)))
        )
      )
      expect(error._tag).toBe("DatafoldAuthError")
      expect(error.message).toContain("DATAFOLD_API_KEY")
      expect(error.message).not.toContain("dfk_wrong_key_0123456789")
    }))
})

describe("over an HttpClient of your own: clientLayer and dataDiffsLayer", () => {
  const hook = HttpClient.mapRequest(HttpClientRequest.setHeader("x-datafold-hook", "applied"))

  it.live("clientLayer runs every request through transformClient, after the key is set", () =>
    Effect.gen(function* () {
      server.reset()
      yield* triggerCiRun(7, details)
      yield* listCiRuns(7)
      const requests = server.requests()
      expect(requests.map((request) => request.headers["x-datafold-hook"])).toStrictEqual(["applied", "applied"])
      expect(requests.map((request) => request.headers["authorization"])).toStrictEqual([
        `Key ${apiKey}`,
        `Key ${apiKey}`
      ])
    }).pipe(
      Effect.provide(
        clientLayer({ apiKey: Redacted.make(apiKey), host: server.url, transformClient: hook }).pipe(
          Layer.provide(FetchHttpClient.layer)
        )
      )
    ))

  it.live("without transformClient, no hook's header is sent", () =>
    Effect.gen(function* () {
      server.reset()
      yield* listCiRuns(7)
      expect(server.requests()[0]?.headers["x-datafold-hook"]).toBeUndefined()
    }).pipe(Effect.provide(layer())))

  it.live("dataDiffsLayer honours transformClient too", () =>
    Effect.gen(function* () {
      server.reset()
      yield* organizationMeta()
      expect(server.requests().map((request) => request.headers["x-datafold-hook"])).toStrictEqual(["applied"])
    }).pipe(
      Effect.provide(
        dataDiffsLayer({ apiKey: Redacted.make(apiKey), host: server.url, transformClient: hook }).pipe(
          Layer.provide(FetchHttpClient.layer)
        )
      )
    ))
})

describe("input refused the same way on both entries", () => {
  const cases: ReadonlyArray<readonly [string, number, unknown]> = [
    ["several bad fields", 0, { ...details, pr_sha: "abc", pr_branch: undefined }],
    ["a fractional PR number", 7, { ...details, pr_number: 4.5 }],
    ["a branch git refuses", 7, { ...details, base_branch: "a..b" }],
    ["a SHA of the wrong type", 7, { ...details, base_sha: 12 }],
    ["not an object", 7, "details"]
  ]
  for (const [name, id, input] of cases) {
    it.live(name, () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          DatafoldClient.use((client) => client.prepareTrigger(id, input as never)).pipe(Effect.provide(layer()))
        )
        const reference = yield* Effect.promise(() => effect3.prepareTrigger({ apiKey, host: server.url }, id, input))
        expect(error._tag).toBe("DatafoldInputError")
        expect(reference).toMatchObject({ _tag: "Failure", message: error.message })
      }))
  }
})
