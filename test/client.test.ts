import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, beforeEach } from "vitest"
import { listCiRuns, triggerCiRun, USER_AGENT } from "../src/index.ts"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"
import { details, fastClient, plain } from "./support/fixtures.ts"
import { clientLayer } from "../src/DatafoldHttpClient.ts"

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer({ ciConfigIds: [7] })
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const trigger = (id = 7, input = details, options = {}) =>
  triggerCiRun(id, input).pipe(Effect.provide(fastClient(server, options)))

describe("trigger: success", () => {
  it.live("returns the decoded SubmitCiJob and sends exactly the spec's request", () =>
    Effect.gen(function* () {
      const job = yield* trigger()
      expect(job.ci_run_id).toBe(1)
      expect(job.run_id).toBe(100_001)
      const [request] = server.requests()
      expect(server.requests()).toHaveLength(1)
      expect(request?.method).toBe("POST")
      expect(request?.url).toBe("/api/v1/ci/7/trigger")
      expect(request?.headers["authorization"]).toBe(`Key ${Redacted.value(server.apiKey)}`)
      expect(request?.headers["content-type"]).toBe("application/json")
      expect(request?.headers["accept"]).toBe("application/json")
      expect(request?.headers["user-agent"]).toBe(USER_AGENT)
      expect(JSON.parse(request?.body ?? "")).toStrictEqual(details)
    }))

  it.live("normalises SHAs to lower case before sending", () =>
    Effect.gen(function* () {
      yield* trigger(7, { ...details, pr_sha: details.pr_sha.toUpperCase() })
      expect(JSON.parse(server.requests()[0]?.body ?? "").pr_sha).toBe(details.pr_sha)
    }))

  it.live("accepts a host with a trailing slash", () =>
    Effect.gen(function* () {
      const job = yield* triggerCiRun(7, details).pipe(
        Effect.provide(
          clientLayer({ apiKey: server.apiKey, host: `${server.url}/` }).pipe(
            Layer.provide(FetchHttpClient.layer)
          )
        )
      )
      expect(job.ci_run_id).toBe(1)
      expect(server.requests()[0]?.url).toBe("/api/v1/ci/7/trigger")
    }))

  it.live("sends with a FetchHttpClient.Fetch of the user's own, and keeps redirects unfollowed", () =>
    Effect.gen(function* () {
      const seen: Array<RequestInit | undefined> = []
      const ownFetch: typeof fetch = (input, init) => {
        seen.push(init)
        return fetch(input, init)
      }
      const job = yield* triggerCiRun(7, details).pipe(
        Effect.provide(
          clientLayer({ apiKey: server.apiKey, host: server.url }).pipe(
            Layer.provide(FetchHttpClient.layer),
            Layer.provide(Layer.succeed(FetchHttpClient.Fetch, ownFetch))
          )
        )
      )
      expect(job.ci_run_id).toBe(1)
      expect(seen).toHaveLength(1)
      expect(seen[0]?.redirect).toBe("manual")
    }))
})

describe("trigger: every error from a real answer", () => {
  it.live("bad input fails with DatafoldInputError naming every field, and sends nothing", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        trigger(0, { pr_number: -3, pr_branch: " main", base_branch: "", pr_sha: "abc1234", base_sha: "main" })
      )
      expect(error._tag).toBe("DatafoldInputError")
      if (error._tag !== "DatafoldInputError") return
      expect(error.issues.map((issue) => issue.field).sort()).toStrictEqual(
        ["base_branch", "base_sha", "ci_config_id", "pr_branch", "pr_number", "pr_sha"]
      )
      expect(error.message).toContain("pr_sha must be a full commit SHA")
      expect(server.requests()).toHaveLength(0)
    }))

  it.live("missing fields and a non-object are input errors too", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(trigger(7, { pr_number: 1 } as never))
      expect(missing._tag).toBe("DatafoldInputError")
      expect(missing.message).toContain("pr_sha is missing")
      const notObject = yield* Effect.flip(trigger(7, null as never))
      expect(notObject._tag).toBe("DatafoldInputError")
      expect(server.requests()).toHaveLength(0)
    }))

  it.live("a wrong key is DatafoldAuthError 403 with the server's words", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        triggerCiRun(7, details).pipe(
          Effect.provide(
            clientLayer({ apiKey: Redacted.make("dfk_not_the_key_0123456789"), host: server.url }).pipe(
              Layer.provide(FetchHttpClient.layer)
            )
          )
        )
      )
      expect(plain(error)).toMatchObject({ _tag: "DatafoldAuthError", status: 403, detail: "Invalid API key" })
      expect(server.runs()).toHaveLength(0)
    }))

  it.live("401 and 403 answers are DatafoldAuthError", () =>
    Effect.gen(function* () {
      server.inject(Fault.unauthorized())
      const unauthorized = yield* Effect.flip(trigger())
      expect(plain(unauthorized)).toMatchObject({ _tag: "DatafoldAuthError", status: 401, detail: "Not authenticated" })
      expect(unauthorized.message).toContain("DATAFOLD_API_KEY")
      server.inject(Fault.forbidden())
      const forbidden = yield* Effect.flip(trigger())
      expect(plain(forbidden)).toMatchObject({ _tag: "DatafoldAuthError", status: 403 })
    }))

  it.live("an unknown CI config id is DatafoldNotFoundError naming the likely cause", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(trigger(8))
      expect(error._tag).toBe("DatafoldNotFoundError")
      expect(error.message).toContain("CI config id")
      expect(server.runs()).toHaveLength(0)
    }))

  it.live("422 is DatafoldValidationError with the decoded items, extra keys ignored", () =>
    Effect.gen(function* () {
      server.inject(Fault.respond(
        422,
        JSON.stringify({
          detail: [{
            loc: ["body", "pr_sha"],
            msg: "Field required",
            type: "missing",
            input: {},
            url: "https://errors"
          }]
        })
      ))
      const error = yield* Effect.flip(trigger())
      expect(error._tag).toBe("DatafoldValidationError")
      if (error._tag !== "DatafoldValidationError") return
      expect(error.detail).toHaveLength(1)
      expect(error.detail[0]).toMatchObject({ loc: ["body", "pr_sha"], msg: "Field required", type: "missing" })
      expect(error.message).toContain("body.pr_sha: Field required")
    }))

  it.live("a 422 that is not FastAPI-shaped keeps the raw message", () =>
    Effect.gen(function* () {
      server.inject(Fault.respond(422, "upstream says no", { "content-type": "text/plain" }))
      const error = yield* Effect.flip(trigger())
      expect(plain(error)).toMatchObject({
        _tag: "DatafoldValidationError",
        detail: [],
        rawMessage: "upstream says no"
      })
    }))

  it.live("429 is DatafoldRateLimitError with the Retry-After delay", () =>
    Effect.gen(function* () {
      server.inject(Fault.rateLimited(7))
      const error = yield* Effect.flip(trigger(7, details, { retries: 0 }))
      expect(plain(error)).toMatchObject({ _tag: "DatafoldRateLimitError", retryAfterMillis: 7000 })
    }))

  it.live("5xx is DatafoldServerError", () =>
    Effect.gen(function* () {
      server.inject(Fault.serverError(500))
      const error = yield* Effect.flip(trigger())
      expect(plain(error)).toMatchObject({ _tag: "DatafoldServerError", status: 500 })
    }))

  it.live("another 4xx is DatafoldRejectedError", () =>
    Effect.gen(function* () {
      server.inject(Fault.respond(409, JSON.stringify({ detail: "A run is already being set up" })))
      const error = yield* Effect.flip(trigger())
      expect(plain(error)).toMatchObject({
        _tag: "DatafoldRejectedError",
        status: 409,
        detail: "A run is already being set up"
      })
    }))

  it.live("a 200 whose body does not decode is DatafoldResponseError with an excerpt", () =>
    Effect.gen(function* () {
      server.inject(Fault.malformedBody())
      const malformed = yield* Effect.flip(trigger())
      expect(plain(malformed)).toMatchObject({
        _tag: "DatafoldResponseError",
        status: 200,
        problem: "the body is not JSON (content type application/json)"
      })
      server.inject(Fault.respond(200, JSON.stringify({ ci_run_id: "twelve" })))
      const wrongType = yield* Effect.flip(trigger())
      expect(wrongType._tag).toBe("DatafoldResponseError")
      if (wrongType._tag !== "DatafoldResponseError") return
      expect(wrongType.excerpt).toContain("twelve")
    }))
})

describe("listRuns", () => {
  it.live("lists the runs for a PR, and refuses a bad id before sending", () =>
    Effect.gen(function* () {
      yield* trigger()
      const runs = yield* listCiRuns(7, { prSha: details.pr_sha, prNumber: details.pr_number }).pipe(
        Effect.provide(fastClient(server))
      )
      expect(runs.map((run) => [run.id, run.pr_num, run.pr_sha])).toStrictEqual([[1, "42", details.pr_sha]])
      const error = yield* Effect.flip(listCiRuns(-1).pipe(Effect.provide(fastClient(server))))
      expect(plain(error)).toMatchObject({ _tag: "DatafoldInputError", issues: [{ field: "ci_config_id" }] })
      expect(server.requests()).toHaveLength(2)
    }))
})

describe("trigger: transport failures", () => {
  it.live("a closed port is DatafoldNetworkError ConnectionRefused", () =>
    Effect.gen(function* () {
      const port = yield* Effect.promise(() => freePort())
      const error = yield* Effect.flip(
        triggerCiRun(7, details).pipe(
          Effect.provide(
            fastClient({ ...server, url: `http://127.0.0.1:${port}` }, { retries: 0 })
          )
        )
      )
      expect(plain(error)).toMatchObject({ _tag: "DatafoldNetworkError", reason: "ConnectionRefused" })
      expect(error.message).toContain(`127.0.0.1:${port}`)
    }))

  it.live("a connection reset before any answer is DatafoldNetworkError ConnectionReset", () =>
    Effect.gen(function* () {
      server.inject(Fault.dropConnection())
      const error = yield* Effect.flip(trigger(7, details, { retries: 0 }))
      expect(plain(error)).toMatchObject({ _tag: "DatafoldNetworkError", reason: "ConnectionReset" })
      expect(server.requests()).toHaveLength(1)
    }))
})

describe("a server written here by hand from the published spec", () => {
  it.live("receives exactly the request the spec describes", () =>
    Effect.gen(function* () {
      const seen: Array<
        { method: string | undefined; url: string | undefined; headers: http.IncomingHttpHeaders; body: string }
      > = []
      const raw = http.createServer((request, response) => {
        let body = ""
        request.on("data", (chunk) => (body += chunk))
        request.on("end", () => {
          seen.push({ method: request.method, url: request.url, headers: request.headers, body })
          response.writeHead(200, { "content-type": "application/json" }).end('{"ci_run_id":5,"run_id":null}')
        })
      })
      yield* Effect.acquireRelease(
        Effect.promise(() => new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve))),
        () => Effect.promise(() => new Promise<void>((resolve) => raw.close(() => resolve())))
      )
      const { port } = raw.address() as AddressInfo
      const job = yield* triggerCiRun(123, details).pipe(
        Effect.provide(
          fastClient({ ...server, url: `http://127.0.0.1:${port}`, apiKey: Redacted.make("dfk_spec_key_0123456789") })
        )
      )
      expect(plain(job)).toMatchObject({ ci_run_id: 5, run_id: null })
      expect(seen).toHaveLength(1)
      const [request] = seen
      expect(request?.method).toBe("POST")
      expect(request?.url).toBe("/api/v1/ci/123/trigger")
      expect(request?.headers.authorization).toBe("Key dfk_spec_key_0123456789")
      const body = JSON.parse(request?.body ?? "")
      // APIPrDetails: exactly the five required fields, with their types.
      expect(Object.keys(body).sort()).toStrictEqual(["base_branch", "base_sha", "pr_branch", "pr_number", "pr_sha"])
      expect(Number.isInteger(body.pr_number)).toBe(true)
      for (const key of ["base_branch", "base_sha", "pr_branch", "pr_sha"]) expect(typeof body[key]).toBe("string")
    }).pipe(Effect.scoped))
})

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = http.createServer()
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
