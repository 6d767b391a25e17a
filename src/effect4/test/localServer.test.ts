/**
 * `effect-datafold/effect4/testing` answers as `effect-datafold/testing` does. The Effect 3
 * server's API is built from the declarative `DatafoldApi`; the Effect 4 one answers in
 * plain TypeScript behind the same front door. Both get the same requests in the same
 * order (valid, unauthenticated, invalid in every way the FastAPI rules know, unknown
 * configs and routes, uploads, listings), and every answer must match byte for byte, as
 * must what each server recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { startLocalDatafoldServer as startEffect3Server } from "../../testing.ts"
import { listCiRuns, submitCiDiffs, triggerCiRun } from "../index.ts"
import { clientLayerFor, Fault, LocalDatafold, makeLocalDatafoldServer, startLocalDatafoldServer } from "../testing.ts"

const apiKey = "dfk_test_0123456789abcdef0123456789abcdef"
const key = `Key ${apiKey}`
const json = { "content-type": "application/json" }
const details = { pr_number: 42, pr_branch: "feature/ß", base_branch: "main", pr_sha: "a1b2c3", base_sha: "d4e5f6" }

/** What the client accepts: full commit SHAs. */
const clientDetails = {
  ...details,
  pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
}

type Case = readonly [method: string, path: string, headers: Record<string, string>, body?: string]

const cases: ReadonlyArray<Case> = [
  ["POST", "/api/v1/ci/7/trigger", { authorization: key, ...json }, JSON.stringify(details)],
  ["POST", "/api/v1/ci/7/trigger", { authorization: key }, JSON.stringify({ ...details, pr_number: 43 })],
  ["POST", "/api/v1/ci/7/trigger", { authorization: key, "content-type": "application/json; charset=utf-8" }, "{}"],
  ["POST", "/api/v1/ci/7/trigger", json, JSON.stringify(details)],
  ["POST", "/api/v1/ci/7/trigger", { authorization: "Key nope", ...json }, JSON.stringify(details)],
  ["POST", "/api/v1/ci/7/trigger", { authorization: `Bearer ${apiKey}`, ...json }, JSON.stringify(details)],
  ["POST", "/api/v1/ci/7/trigger", json, "{broken"],
  ["POST", "/api/v1/ci/8/trigger", { authorization: key, ...json }, JSON.stringify(details)],
  ["POST", "/api/v1/ci/x/trigger", { authorization: key, ...json }, "{}"],
  ["POST", "/api/v1/ci/8/trigger", { authorization: key, ...json }, "{}"],
  ["POST", "/api/v1/ci/7/trigger", { authorization: key, ...json }, JSON.stringify({ ...details, pr_number: "4x" })],
  ["POST", "/api/v1/ci/7/trigger", { authorization: key, ...json }, JSON.stringify({ ...details, pr_number: 4.5 })],
  ["POST", "/api/v1/ci/7/trigger", { authorization: key, ...json }, JSON.stringify({ ...details, pr_sha: 7 })],
  ["POST", "/api/v1/ci/7/trigger", { authorization: key, ...json }, JSON.stringify({ ...details, extra: true })],
  ["POST", "/api/v1/ci/7/trigger", { authorization: key, ...json }, "null"],
  ["POST", "/api/v1/ci/7/trigger", { authorization: key, ...json }, "[1]"],
  ["POST", "/api/v1/ci/7/trigger", { authorization: key, ...json }, "{oops"],
  ["POST", "/api/v1/ci/7/trigger", { authorization: key, ...json }, ""],
  ["POST", "/api/v1/ci/7/trigger", { authorization: key, "content-type": "text/plain" }, JSON.stringify(details)],
  ["POST", "/api/v1/ci/7/trigger?x=1", { authorization: key, ...json }, JSON.stringify(details)],
  ["GET", "/api/v1/ci/7/runs", { authorization: key }],
  ["GET", "/api/v1/ci/7/runs", {}],
  ["GET", "/api/v1/ci/7/runs?pr_sha=a1b2c3&pr_num=42", { authorization: key }],
  ["GET", "/api/v1/ci/7/runs?pr_num=43&limit=1&offset=0", { authorization: key }],
  ["GET", "/api/v1/ci/7/runs?limit=1&offset=1", { authorization: key }],
  ["GET", "/api/v1/ci/7/runs?limit=0&offset=-1", { authorization: key }],
  ["GET", "/api/v1/ci/7/runs?limit=1001", { authorization: key }],
  ["GET", "/api/v1/ci/7/runs?limit=ten", { authorization: key }],
  ["GET", "/api/v1/ci/8/runs", { authorization: key }],
  ["GET", "/api/v1/ci/y/runs?limit=0", { authorization: key }],
  ["POST", "/api/v1/ci/7/42", { authorization: key, ...json }, JSON.stringify([{ prod: "a.b", pr: "a.c" }])],
  ["POST", "/api/v1/ci/7/42", { authorization: key, ...json }, JSON.stringify([{ prod: "a.b", pr: "a.c" }])],
  [
    "POST",
    "/api/v1/ci/7/43",
    { authorization: key, ...json },
    JSON.stringify([{ pr: "x.y", prod: "x.z", pk: ["id"], exclude_columns: ["at"], unknown: 1 }, {
      prod: "p",
      pr: "q",
      pk: null,
      include_columns: ["a"]
    }])
  ],
  ["POST", "/api/v1/ci/7/42", { authorization: key, ...json }, JSON.stringify({})],
  ["POST", "/api/v1/ci/7/42", { authorization: key, ...json }, JSON.stringify([{ prod: 1, pk: "id" }, "x"])],
  ["POST", "/api/v1/ci/7/4z", { authorization: key, ...json }, "[]"],
  ["POST", "/api/v1/ci/8/42", { authorization: key, ...json }, "[]"],
  ["POST", "/api/v1/ci/7/runs", { authorization: key, ...json }, "[]"],
  ["POST", "/api/v1/ci/7/42", {}, "[]"],
  ["GET", "/api/v1/ci/7/trigger", { authorization: key }],
  ["DELETE", "/api/v1/ci/7/trigger", { authorization: key }],
  ["GET", "/api/v1/other", {}],
  ["GET", "/api/v1/ci/7/runs/", { authorization: key }],
  ["GET", "/api/v1/ci/7/runs?pr_sha=a1b2c3", { authorization: key }]
]

interface Seen {
  readonly status: number
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: string
}

const send = async (url: string, [method, path, headers, body]: Case): Promise<Seen> => {
  const response = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) })
  return {
    status: response.status,
    // Date and connection handling are the runtime's, not the server's.
    headers: [...response.headers].filter(([name]) => !["date", "connection", "keep-alive"].includes(name)),
    body: await response.text()
  }
}

/** What a server recorded, with its own port taken out. */
const books = (server: {
  readonly url: string
  readonly requests: () => ReadonlyArray<{ readonly headers: Readonly<Record<string, string>> }>
  readonly runs: () => ReadonlyArray<unknown>
  readonly uploads: () => ReadonlyArray<unknown>
}) =>
  JSON.stringify({
    requests: server.requests().map((request) => ({ ...request, headers: { ...request.headers, host: "" } })),
    runs: server.runs().map((run) => ({ ...(run as object) })),
    uploads: server.uploads()
  })

describe("the Effect 4 local server answers as the Effect 3 one", () => {
  const options = { apiKey, ciConfigIds: [7] }
  let effect3: Awaited<ReturnType<typeof startEffect3Server>>
  let effect4: Awaited<ReturnType<typeof startLocalDatafoldServer>>
  beforeAll(async () => {
    effect3 = await startEffect3Server(options)
    effect4 = await startLocalDatafoldServer(options)
  })
  afterAll(async () => {
    await effect3.close()
    await effect4.close()
  })

  it(`the same ${cases.length} requests get the same answers, byte for byte, and leave the same books`, async () => {
    for (const request of cases) {
      const expected = await send(effect3.url, request)
      expect(await send(effect4.url, request), `${request[0]} ${request[1]} ${request[3] ?? ""}`).toEqual(expected)
    }
    expect(effect4.runs().length).toBeGreaterThan(1)
    expect(effect4.uploads().length).toBe(2)
    expect(books(effect4)).toBe(books(effect3))
  })

  it("a fault is played the same way, and reset forgets the same things", async () => {
    for (const server of [effect3, effect4]) {
      server.inject(Fault.rateLimited(3), { endpoint: "runs" })
      server.inject(Fault.validation())
    }
    for (const request of cases.slice(0, 4)) {
      expect(await send(effect4.url, request)).toEqual(await send(effect3.url, request))
    }
    expect(books(effect4)).toBe(books(effect3))
    effect3.reset()
    effect4.reset()
    expect(books(effect4)).toBe(books(effect3))
    expect(effect4.requests()).toEqual([])
  })

  it("acceptAnyKey takes any `Key <key>`, and still refuses a missing header", async () => {
    const any3 = await startEffect3Server({ acceptAnyKey: true })
    const any4 = await startLocalDatafoldServer({ acceptAnyKey: true })
    try {
      for (const authorization of ["Key whatever-key-at-all", "Key ", "Bearer x", undefined]) {
        const request: Case = [
          "POST",
          "/api/v1/ci/1/trigger",
          { ...json, ...(authorization === undefined ? {} : { authorization }) },
          JSON.stringify(details)
        ]
        expect(await send(any4.url, request)).toEqual(await send(any3.url, request))
      }
      expect(any4.runs()).toHaveLength(1)
    } finally {
      await any3.close()
      await any4.close()
    }
  })
})

describe("effect-datafold/effect4/testing as Effect 4 code", () => {
  it.effect("LocalDatafold.layer starts a server for the layer's lifetime; its key is an Effect 4 Redacted", () =>
    Effect.gen(function* () {
      const server = yield* LocalDatafold
      expect(String(server.apiKey)).toBe("<redacted>")
      const answer = yield* Effect.promise(() =>
        fetch(`${server.url}/api/v1/ci/1/trigger`, {
          method: "POST",
          headers: { ...json, authorization: `Key ${Redacted.value(server.apiKey)}` },
          body: JSON.stringify(details)
        })
      )
      expect(answer.status).toBe(200)
      expect(yield* Effect.promise(() => answer.json())).toEqual({ ci_run_id: 1, run_id: 100_001 })
      expect(server.runs()).toMatchObject([{ id: 1, pr_num: "42", status: "pending" }])
    }).pipe(Effect.provide(LocalDatafold.layer())))

  it("the layer closes the server when it is released", async () => {
    const url = await Effect.runPromise(
      Effect.provide(LocalDatafold.use((server) => Effect.succeed(server.url)), LocalDatafold.layer())
    )
    await expect(fetch(`${url}/api/v1/ci/1/runs`)).rejects.toThrow()
  })

  it.effect("clientLayerFor points the Effect 4 client at the server: trigger, list, upload, a fault by tag", () =>
    Effect.gen(function* () {
      const server = yield* makeLocalDatafoldServer({ ciConfigIds: [7] })
      const client = clientLayerFor(server, { retries: 0 })
      const job = yield* triggerCiRun(7, clientDetails).pipe(Effect.provide(client))
      expect(job.ci_run_id).toBe(1)
      expect(yield* listCiRuns(7).pipe(Effect.provide(client))).toHaveLength(1)
      yield* submitCiDiffs(7, 42, [{ prod: "db.prod.orders", pr: "db.pr_42.orders" }]).pipe(Effect.provide(client))
      expect(server.uploads()).toMatchObject([{ ciRunId: 1, diffs: [{ prod: "db.prod.orders", pk: null }] }])
      server.inject(Fault.validation())
      const failure = yield* Effect.flip(triggerCiRun(7, clientDetails).pipe(Effect.provide(client)))
      expect(failure._tag).toBe("DatafoldValidationError")
      expect(server.requests().map((request) => request.headers["authorization"])).not.toContain(undefined)
    }).pipe(Effect.scoped))

  it("onRequest reports each answer without any header", async () => {
    const entries: Array<unknown> = []
    const server = await startLocalDatafoldServer({ onRequest: (entry) => entries.push(entry) })
    try {
      server.inject(Fault.serverError(503))
      await fetch(`${server.url}/api/v1/ci/1/trigger`, { method: "POST", headers: json, body: "{}" })
      await expect.poll(() => entries).toEqual([
        { method: "POST", url: "/api/v1/ci/1/trigger", endpoint: "trigger", status: 503, fault: "Respond" }
      ])
    } finally {
      await server.close()
    }
  })
})
