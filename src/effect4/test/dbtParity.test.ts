/**
 * The two entries side by side on the dbt calls: the same folder uploaded by Effect 3
 * (over its own `fetch` wire and over `@effect/platform`'s `HttpClient`) and by Effect 4
 * reaches the server as the same bytes, headers included (only the random multipart
 * boundary differs); the checks and the wait's listing send the same requests; and every
 * refusal, answer and outcome gives the same tag, fields and message.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { randomBytes } from "node:crypto"
import { rm } from "node:fs/promises"
import { join } from "node:path"
import type { Outcome, PlainOptions } from "../../../test/support/effect3Calls.ts"
import * as effect3 from "../../../test/support/effect3DbtCalls.ts"
import {
  type Answer,
  boundaryOf,
  type DbtRecorder,
  type RecordedRequest,
  startDbtRecorder,
  wireRun
} from "../../../test/support/dbtRecorder.ts"
import { makeTarget, type TargetFixture } from "../../../test/support/dbtTarget.ts"
import {
  CiRun,
  clientLayer,
  DatafoldArtifactsError,
  DatafoldClient,
  type DatafoldClientService,
  DatafoldRunCancelledError,
  DatafoldRunFailedError,
  DatafoldRunNotFoundError,
  DatafoldRunTimeoutError
} from "../index.ts"

const apiKey = "dfk_effect4_dbt_parity_0123456789"
const commitSha = "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3"

let recorder: DbtRecorder
/** With a file past 1 MiB, so the streamed-file path is compared too. */
let fixture: TargetFixture
/** Without it, for the refusals and faults: lighter. */
let small: TargetFixture
beforeAll(async () => {
  recorder = await startDbtRecorder()
  fixture = makeTarget({ "random.bin": randomBytes(1024 * 1024 + 4097) })
  small = makeTarget()
})
afterAll(async () => {
  await recorder.close()
  fixture.remove()
  small.remove()
})

const options = (): PlainOptions => ({ apiKey, host: recorder.url, retryBase: "10 millis" })

/** A call on the Effect 4 entry, as the same plain data the Effect 3 helpers give. */
const effect4 = (
  call: (client: DatafoldClientService) => Effect.Effect<unknown, { readonly message: string }>
): Promise<Outcome> =>
  Effect.runPromise(
    DatafoldClient.use(call).pipe(
      Effect.match({
        onFailure: (error): Outcome => ({
          _tag: "Failure",
          error: JSON.parse(JSON.stringify(error)),
          message: error.message
        }),
        onSuccess: (value): Outcome => ({ _tag: "Success", value: JSON.parse(JSON.stringify(value)) })
      }),
      Effect.provide(
        clientLayer({ apiKey: Redacted.make(apiKey), host: recorder.url, retryBase: "10 millis" }).pipe(
          Layer.provide(FetchHttpClient.layer)
        )
      )
    )
  )

/**
 * A request as bytes to compare: the boundary replaced, the port-bearing `host` left out,
 * headers by name (their order differs: Effect 4 sets `content-type` before the fixed
 * headers, as on every POST of that entry; HTTP gives the order of distinct names no meaning).
 */
const comparable = (request: RecordedRequest) => {
  const contentType = request.headers["content-type"]
  const boundary = contentType?.startsWith("multipart/") === true ? boundaryOf(contentType) : undefined
  const unbound = (text: string) => boundary === undefined ? text : text.replaceAll(boundary, "BOUNDARY")
  const { host: _host, ...headers } = request.headers
  return {
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, unbound(String(value))]).sort(([a], [b]) =>
        a! < b! ? -1 : 1
      )
    ),
    body: boundary === undefined ? request.body : Buffer.from(unbound(request.body.toString("latin1")), "latin1")
  }
}

/** What one call sent, and how it ended, with `answers` scripted for its endpoint (a listing: one run, done). */
const sent = async (
  endpoint: Parameters<DbtRecorder["script"]>[0],
  answers: ReadonlyArray<Answer>,
  call: () => Promise<Outcome>
) => {
  recorder.reset()
  recorder.script(endpoint, ...answers)
  recorder.listRuns(() => [wireRun(5, "done", commitSha)])
  const outcome = await call()
  await recorder.settled()
  return { outcome, requests: recorder.requests().map(comparable) }
}

const upload = { runType: "pull_request", commitSha, runId: "prod-77" } as const

describe("the same bytes on the wire", () => {
  it.live("an upload: the same multipart body, ZIP and headers from Effect 3 (wire, platform) and Effect 4", () =>
    Effect.gen(function* () {
      const target = { ...upload, targetFolder: fixture.dir }
      const four = yield* Effect.promise(() =>
        sent("submit", [], () => effect4((client) => client.uploadDbtArtifacts(7, target)))
      )
      expect(four.outcome._tag).toBe("Success")
      expect(four.requests).toHaveLength(1)
      for (const path of ["wire", "platform"] as const) {
        const three = yield* Effect.promise(() =>
          sent("submit", [], () => effect3.uploadDbtArtifacts(options(), path, 7, target))
        )
        expect(three.requests).toStrictEqual(four.requests)
        expect(three.outcome).toStrictEqual(four.outcome)
      }
    }))

  it.live("the post-upload check, the primary-key check and the wait's listing", () =>
    Effect.gen(function* () {
      const check = { runType: "production", branch: "main", commitSha: commitSha.toUpperCase() } as const
      const manifest = join(fixture.dir, "manifest.json")
      const pairs: ReadonlyArray<
        readonly [Parameters<DbtRecorder["script"]>[0], () => Promise<Outcome>, () => Promise<Outcome>]
      > = [
        [
          "check",
          () => effect4((client) => client.checkDbtArtifacts(7, check)),
          () => effect3.checkDbtArtifacts(options(), "wire", 7, check)
        ],
        [
          "keys",
          () => effect4((client) => client.checkPrimaryKeys(7, manifest)),
          () => effect3.checkPrimaryKeys(options(), "platform", 7, manifest)
        ],
        [
          "runs",
          () => effect4((client) => client.waitForRun(7, { prSha: commitSha, prNumber: 42 })),
          () => effect3.waitForRun(options(), 7, { prSha: commitSha, prNumber: 42 })
        ]
      ]
      for (const [endpoint, four, three] of pairs) {
        const fromFour = yield* Effect.promise(() => sent(endpoint, [], four))
        const fromThree = yield* Effect.promise(() => sent(endpoint, [], three))
        expect(fromFour.outcome._tag).toBe("Success")
        expect(fromThree).toStrictEqual(fromFour)
      }
    }))

  it.live("prepareDbtUpload shows the same request", () =>
    Effect.gen(function* () {
      const target = { ...upload, targetFolder: fixture.dir }
      const four = yield* Effect.promise(() => effect4((client) => client.prepareDbtUpload(7, target)))
      const three = yield* Effect.promise(() => effect3.prepareDbtUpload(options(), 7, target))
      expect(four._tag).toBe("Success")
      expect(three).toStrictEqual(four)
    }))
})

describe("the same errors and messages", () => {
  const folder = () => small.dir
  const uploads: ReadonlyArray<readonly [string, number, () => Record<string, unknown>, ReadonlyArray<Answer>]> = [
    ["bad input", 0, () => ({ runType: "nightly", targetFolder: "", commitSha: "abc", runId: -1 }), []],
    ["a missing folder", 7, () => ({ ...upload, targetFolder: "no/such/target" }), []],
    ["a file as the folder", 7, () => ({ ...upload, targetFolder: join(folder(), "manifest.json") }), []],
    ["no manifest.json", 7, () => ({ ...upload, targetFolder: join(folder(), "compiled") }), []],
    ["a bad deadline", 7, () => ({ ...upload, targetFolder: folder(), deadline: "-5 seconds" }), []],
    ["a 413", 7, () => ({ ...upload, targetFolder: folder() }), [{
      _tag: "Answer",
      status: 413,
      body: '{"detail":"too large"}'
    }]],
    ["a 401", 7, () => ({ ...upload, targetFolder: folder() }), [{
      _tag: "Answer",
      status: 401,
      body: '{"detail":"Not authenticated"}'
    }]],
    ["a 422", 7, () => ({ ...upload, targetFolder: folder() }), [{
      _tag: "Answer",
      status: 422,
      body: '{"detail":[{"loc":["body","commit_sha"],"msg":"field required","type":"value_error.missing"}]}'
    }]],
    ["a reset once all was sent", 7, () => ({ ...upload, targetFolder: folder() }), [{ _tag: "ResetAtEnd" }]],
    ["a 503, then done", 7, () => ({ ...upload, targetFolder: folder() }), [{ _tag: "Answer", status: 503, body: "" }]]
  ]
  for (const [name, id, make, answers] of uploads) {
    it.live(`uploadDbtArtifacts, ${name}`, () =>
      Effect.gen(function* () {
        const four = yield* Effect.promise(() =>
          sent("submit", answers, () => effect4((client) => client.uploadDbtArtifacts(id, make() as never)))
        )
        for (const path of ["wire", "platform"] as const) {
          const three = yield* Effect.promise(() =>
            sent("submit", answers, () => effect3.uploadDbtArtifacts(options(), path, id, make()))
          )
          expect(three).toStrictEqual(four)
        }
      }))
  }

  it.live("uploadDbtArtifacts, a file removed mid-upload: ReadFailed on every path", () =>
    Effect.gen(function* () {
      const outcomes: Array<Outcome> = []
      for (const call of ["four", "wire", "platform"] as const) {
        // "z-last.sql" is read last; the server holds the upload after its first bytes while it is removed.
        const target = makeTarget({ "random.bin": randomBytes(1024 * 1024 + 4097), "z-last.sql": "select 1\n" })
        const pause: Answer = { _tag: "PauseAfter", bytes: 1, then: () => rm(join(target.dir, "z-last.sql")) }
        const options_ = { ...upload, targetFolder: target.dir }
        const { outcome } = yield* Effect.promise(() =>
          sent("submit", [pause], () =>
            call === "four"
              ? effect4((client) =>
                client.uploadDbtArtifacts(7, options_)
              )
              : effect3.uploadDbtArtifacts(options(), call, 7, options_))
        )
        target.remove()
        // The folder's name differs from run to run: the rest must not.
        outcomes.push(JSON.parse(JSON.stringify(outcome).replaceAll(target.dir, "<target>")))
      }
      expect(outcomes[0]).toMatchObject({
        _tag: "Failure",
        error: { _tag: "DatafoldArtifactsError", reason: "ReadFailed", path: "z-last.sql", detail: "ENOENT" }
      })
      expect(outcomes[1]).toStrictEqual(outcomes[0])
      expect(outcomes[2]).toStrictEqual(outcomes[0])
    }))

  const otherCalls: ReadonlyArray<
    readonly [string, Parameters<DbtRecorder["script"]>[0], () => Promise<Outcome>, () => Promise<Outcome>]
  > = [
    [
      "checkDbtArtifacts, bad input",
      "check",
      () => effect4((client) => client.checkDbtArtifacts(0, { runType: "x", branch: "-x", commitSha: 5 } as never)),
      () => effect3.checkDbtArtifacts(options(), "wire", 0, { runType: "x", branch: "-x", commitSha: 5 })
    ],
    [
      "checkPrimaryKeys, a missing manifest",
      "keys",
      () => effect4((client) => client.checkPrimaryKeys(7, "no/such/manifest.json")),
      () => effect3.checkPrimaryKeys(options(), "wire", 7, "no/such/manifest.json")
    ],
    [
      "checkPrimaryKeys, a folder as the manifest",
      "keys",
      () => effect4((client) => client.checkPrimaryKeys(7, small.dir)),
      () => effect3.checkPrimaryKeys(options(), "wire", 7, small.dir)
    ],
    [
      "checkPrimaryKeys, bad input",
      "keys",
      () => effect4((client) => client.checkPrimaryKeys(1.5, "" as never)),
      () => effect3.checkPrimaryKeys(options(), "wire", 1.5, "")
    ],
    [
      "waitForRun, a bad target and bad limits",
      "runs",
      () =>
        effect4((client) =>
          client.waitForRun(7, { ciRunId: -2, prSha: "xyz" } as never, { timeout: 0, maxPollEvery: "soon" as never })
        ),
      () => effect3.waitForRun(options(), 7, { ciRunId: -2, prSha: "xyz" }, { timeout: 0, maxPollEvery: "soon" })
    ],
    [
      "waitForRun, no target",
      "runs",
      () => effect4((client) => client.waitForRun(7, {} as never)),
      () => effect3.waitForRun(options(), 7, {})
    ]
  ]
  for (const [name, endpoint, four, three] of otherCalls) {
    it.live(name, () =>
      Effect.gen(function* () {
        const fromFour = yield* Effect.promise(() => sent(endpoint, [], four))
        expect(fromFour.outcome._tag).toBe("Failure")
        expect(fromFour.requests).toStrictEqual([])
        expect(yield* Effect.promise(() => sent(endpoint, [], three))).toStrictEqual(fromFour)
      }))
  }

  it("every dbt error class: the same JSON and message from the same fields", () => {
    const run = wireRun(31, "failed", commitSha)
    const cases: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
      ["DatafoldArtifactsError", { reason: "TooLarge", location: "./target/", detail: "70000 files" }],
      ["DatafoldArtifactsError", { reason: "Unreadable", location: "./target/", path: "run/x.sql", detail: "EACCES" }],
      ["DatafoldArtifactsError", { reason: "ReadFailed", location: "t", path: "a.json", detail: "EIO" }],
      ["DatafoldRunFailedError", { ciConfigId: 7, run, elapsedMillis: 185_000 }],
      ["DatafoldRunCancelledError", { ciConfigId: 7, run: { ...run, status: "cancelled" }, elapsedMillis: 900 }],
      ["DatafoldRunNotFoundError", { ciConfigId: 7, prSha: commitSha, waitedMillis: 60_000 }],
      ["DatafoldRunNotFoundError", { ciConfigId: 7, ciRunId: 31, waitedMillis: 61_500 }],
      ["DatafoldRunTimeoutError", { ciConfigId: 7, run: { ...run, status: "running" }, waitedMillis: 3_600_000 }]
    ]
    const effect4Error = (tag: string, fields: Record<string, unknown>) => {
      const withRun = fields["run"] === undefined ? fields : { ...fields, run: new CiRun(fields["run"] as never) }
      const error = tag === "DatafoldArtifactsError"
        ? new DatafoldArtifactsError(withRun as never)
        : tag === "DatafoldRunFailedError"
        ? new DatafoldRunFailedError(withRun as never)
        : tag === "DatafoldRunCancelledError"
        ? new DatafoldRunCancelledError(withRun as never)
        : tag === "DatafoldRunNotFoundError"
        ? new DatafoldRunNotFoundError(withRun as never)
        : new DatafoldRunTimeoutError(withRun as never)
      return { json: JSON.parse(JSON.stringify(error)), message: error.message }
    }
    for (const [tag, fields] of cases) {
      const four = effect4Error(tag, fields)
      expect(four.json).toMatchObject({ _tag: tag })
      expect(effect3.dbtError(tag, fields)).toStrictEqual(four)
    }
  })
})
