/**
 * `effect-datafold/effect4/testing` answers as `effect-datafold/testing` does. The Effect 3
 * server's API is built from the declarative `DatafoldApi`; the Effect 4 one answers in
 * plain TypeScript behind the same front door. Both get the same requests in the same
 * order (valid, unauthenticated, invalid in every way the FastAPI rules know, unknown
 * configs and routes, uploads, listings, and dbt's three endpoints with real archives),
 * and every answer must match byte for byte, as must what each server recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { zipSync } from "fflate"
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

type Case = readonly [
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Uint8Array<ArrayBuffer>
]

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

const encoder = new TextEncoder()
const archive = zipSync({
  "manifest.json": encoder.encode(JSON.stringify({ nodes: {} })),
  "compiled/shop/orders.sql": encoder.encode("select 1 as id\n"),
  "run_results.json": encoder.encode("{}")
})
const noManifest = zipSync({ "target/manifest.json": encoder.encode("{}") })
const boundary = "parity-boundary-71"
const multipart = { "content-type": `multipart/form-data; boundary=${boundary}` }

/** A multipart body: text fields, then (when given) the file `artifacts`. */
const formBody = (fields: Record<string, string>, file?: Uint8Array): Uint8Array<ArrayBuffer> => {
  const parts: Array<Uint8Array> = Object.entries(fields).map(([name, value]) =>
    encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
  )
  if (file !== undefined) {
    parts.push(
      encoder.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="artifacts"; filename="artifacts.zip"\r\n` +
          "Content-Type: application/zip\r\n\r\n"
      ),
      file,
      encoder.encode("\r\n")
    )
  }
  parts.push(encoder.encode(`--${boundary}--\r\n`))
  const whole = new Uint8Array(parts.reduce((total, part) => total + part.length, 0))
  parts.reduce((offset, part) => (whole.set(part, offset), offset + part.length), 0)
  return whole
}

const upload = "/api/v1/dbt/submit_artifacts"
const check = "/api/v1/dbt/post_upload_check_artifacts"
const pks = (id: string) => `/api/internal/ci/${id}/check_pks_in_dbt_manifest`
const prFields = { commit_sha: "a1b2c3", run_type: "pull_request" }
const urlEncoded = { "content-type": "application/x-www-form-urlencoded" }
const manifest = JSON.stringify({
  nodes: {
    "model.p.b": {
      resource_type: "model",
      database: "db",
      schema: "s",
      name: "b",
      fqn: ["p", "b"],
      original_file_path: "models/b.sql",
      patch_path: null,
      config: { meta: { primary_key: ["id", "day"] } }
    },
    "model.p.a": {
      resource_type: "model",
      database: "db",
      schema: "s",
      name: "a",
      alias: "a_v2",
      fqn: ["p", "a"],
      original_file_path: "models/a.sql",
      patch_path: "p://models/a.yml",
      meta: { datafold: { datadiff: { primary_key: "id" } } }
    },
    "seed.p.c": { resource_type: "seed", name: "c" }
  }
})

const dbtCases: ReadonlyArray<Case> = [
  ["POST", `${upload}/7`, { authorization: key, ...multipart }, formBody({ ...prFields, run_id: "9" }, archive)],
  [
    "POST",
    `${upload}/7/`,
    { authorization: key, ...multipart },
    formBody({ ...prFields, run_type: "production" }, archive)
  ],
  ["POST", `${upload}/7`, { authorization: key, ...multipart }, formBody(prFields, encoder.encode("not a zip"))],
  ["POST", `${upload}/7`, { authorization: key, ...multipart }, formBody(prFields, noManifest)],
  ["POST", `${upload}/7`, { authorization: key, ...multipart }, formBody({ commit_sha: "", run_type: "nightly" })],
  ["POST", `${upload}/x`, { authorization: key, ...multipart }, formBody({ run_id: "1", artifacts: "PK" })],
  ["POST", `${upload}/8`, { authorization: key, ...multipart }, formBody(prFields, archive)],
  ["POST", `${upload}/7`, { ...multipart }, formBody(prFields, archive)],
  ["POST", `${upload}/7`, { authorization: "Key nope", ...multipart }, formBody(prFields, archive)],
  ["POST", `${upload}/7`, { authorization: key, ...json }, JSON.stringify(prFields)],
  ["POST", `${upload}/7`, { authorization: key, ...urlEncoded }, new URLSearchParams(prFields).toString()],
  ["POST", `${upload}/7`, { authorization: key, ...multipart }, `--${boundary}\r\nContent-Disposition: form-data`],
  ["POST", `${upload}/7`, { authorization: key, "content-type": "multipart/form-data" }, "x"],
  ["GET", `${upload}/7`, { authorization: key }],
  ["POST", "/api/v1/dbt/unknown/7", { authorization: key, ...multipart }, formBody(prFields, archive)],
  ["POST", `${check}/7`, { authorization: key, ...urlEncoded }, "commit_sha=a1b2c3&run_type=pull_request&branch=f"],
  ["POST", `${check}/7`, { authorization: key, ...multipart }, formBody({ ...prFields, branch: "f" })],
  ["POST", `${check}/7`, { authorization: key, ...urlEncoded }, "commit_sha=zzz&run_type=production&branch=f"],
  ["POST", `${check}/7`, { authorization: key, ...urlEncoded }, "run_type=other"],
  ["POST", `${check}/8`, { authorization: key, ...urlEncoded }, "commit_sha=a1b2c3&run_type=pull_request&branch=f"],
  ["POST", `${check}/7`, {}, "commit_sha=a1b2c3&run_type=pull_request&branch=f"],
  ["POST", pks("7"), { authorization: key, ...json }, manifest],
  ["POST", pks("7"), { authorization: key, ...json }, "{oops"],
  ["POST", pks("7"), { authorization: key, ...json }, ""],
  ["POST", pks("7"), { authorization: key, ...json }, '{"sources":{}}'],
  ["POST", pks("7"), { authorization: key, ...json }, '{"nodes":[]}'],
  ["POST", pks("y"), { authorization: key, ...json }, "[]"],
  ["POST", pks("8"), { authorization: key, ...json }, manifest],
  ["POST", pks("7"), { authorization: "Key nope", ...json }, manifest],
  ["GET", "/api/v1/ci/7/runs", { authorization: key }],
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
  readonly dbtUploads: () => ReadonlyArray<{ readonly archive: Uint8Array }>
}) =>
  JSON.stringify({
    requests: server.requests().map((request) => ({ ...request, headers: { ...request.headers, host: "" } })),
    runs: server.runs().map((run) => ({ ...(run as object) })),
    uploads: server.uploads(),
    dbtUploads: server.dbtUploads().map((upload) => ({
      ...upload,
      archive: Buffer.from(upload.archive).toString("base64")
    }))
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

  it(`dbt's endpoints: the same ${dbtCases.length} requests get the same answers and leave the same books`, async () => {
    const statuses: Array<number> = []
    for (const request of dbtCases) {
      const expected = await send(effect3.url, request)
      expect(await send(effect4.url, request), `${request[0]} ${request[1]}`).toEqual(expected)
      statuses.push(expected.status)
    }
    expect(statuses).toEqual([
      ...[200, 200, 400, 400, 422, 422, 404, 401, 403, 422, 422, 400, 400, 404, 404],
      ...[200, 200, 200, 422, 404, 401],
      ...[200, 422, 422, 422, 422, 422, 404, 403, 200, 200]
    ])
    expect(effect4.dbtUploads().map((received) => [received.runType, received.entries.length])).toEqual([
      ["pull_request", 3],
      ["production", 3]
    ])
    expect(Buffer.from(effect4.dbtUploads()[0]!.archive).equals(Buffer.from(archive))).toBe(true)
    expect(books(effect4)).toBe(books(effect3))
  })

  it("a fault is played the same way, and reset forgets the same things", async () => {
    for (const server of [effect3, effect4]) {
      server.inject(Fault.rateLimited(3), { endpoint: "runs" })
      server.inject(Fault.validation())
      server.inject(Fault.payloadTooLarge(), { endpoint: "dbtUpload" })
      server.inject(Fault.serverError(502), { endpoint: "checkPks" })
    }
    for (const request of [...cases.slice(0, 4), ...dbtCases.slice(0, 2), ...dbtCases.slice(21, 23)]) {
      expect(await send(effect4.url, request)).toEqual(await send(effect3.url, request))
    }
    expect(books(effect4)).toBe(books(effect3))
    effect3.reset()
    effect4.reset()
    expect(books(effect4)).toBe(books(effect3))
    expect(effect4.requests()).toEqual([])
  })

  it("runStatuses and dbtPullRequest: the same sequence of statuses, on triggered and dbt runs alike", async () => {
    const sequence = { ...options, runStatuses: ["running", "done"], dbtPullRequest: { prNumber: 5 } }
    const seq3 = await startEffect3Server(sequence)
    const seq4 = await startLocalDatafoldServer(sequence)
    try {
      const steps: ReadonlyArray<Case> = [
        cases[0]!,
        ["GET", "/api/v1/ci/7/runs", { authorization: key }],
        dbtCases[0]!,
        ["GET", "/api/v1/ci/7/runs?pr_sha=a1b2c3&limit=1", { authorization: key }],
        ["GET", "/api/v1/ci/7/runs", { authorization: key }],
        ["POST", "/api/v1/ci/7/42", { authorization: key, ...json }, JSON.stringify([{ prod: "a.b", pr: "a.c" }])],
        ["GET", "/api/v1/ci/7/runs", { authorization: key }]
      ]
      for (const request of steps) expect(await send(seq4.url, request)).toEqual(await send(seq3.url, request))
      expect(seq4.runs().map((run) => `${run.id} ${run.source} ${run.pr_num} ${run.status}`)).toEqual([
        "1 api 42 done",
        "2 dbt 5 done"
      ])
      expect(books(seq4)).toBe(books(seq3))
    } finally {
      await seq3.close()
      await seq4.close()
    }
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
