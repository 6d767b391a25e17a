/**
 * `uploadDbtArtifacts` on the Effect 4 entry, over real loopback HTTP and real folders:
 * the archive as Debian's `unzip` reads it, every refusal before anything is sent, a
 * file that becomes unreadable mid-upload, the retry policy (only what surely did not
 * arrive is sent again) and the attempt's limit on quiet time rather than on length.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { randomBytes } from "node:crypto"
import { rm } from "node:fs/promises"
import { join } from "node:path"
import { makeTarget, type TargetFixture } from "../../../test/support/dbtTarget.ts"
import { type DbtRecorder, startDbtRecorder, uploadedParts } from "../../../test/support/dbtRecorder.ts"
import { unzipDifferences } from "../../../test/support/unzipCheck.ts"
import type { StreamBody } from "../../core/streamBody.ts"
import { clientLayer, type DatafoldClientOptions, type DbtUploadProgress, uploadDbtArtifacts } from "../index.ts"
import { makeAttempt } from "../internal/attempt.ts"

const apiKey = "dfk_effect4_dbt_upload_0123456789"
const commitSha = "8F14E45FCEEA167A5A36DEDD4BEA2543C0A1B2C3"

/** Over the 1 MiB past which a file is streamed through a deflate stream rather than read whole. */
const incompressible = () => randomBytes(1024 * 1024 + 4097)

let recorder: DbtRecorder
let fixture: TargetFixture
beforeAll(async () => {
  recorder = await startDbtRecorder()
  fixture = makeTarget({ "random.bin": incompressible() })
})
afterAll(async () => {
  await recorder.close()
  fixture.remove()
})

const layer = (options: Omit<DatafoldClientOptions, "apiKey"> = {}) =>
  clientLayer({ apiKey: Redacted.make(apiKey), host: recorder.url, retryBase: "10 millis", ...options })
    .pipe(Layer.provide(FetchHttpClient.layer))

const uploaded = uploadedParts

describe("the upload's archive", () => {
  it.live("holds the whole folder, as unzip reads it, byte for byte; links outside it are left out", () =>
    Effect.gen(function* () {
      recorder.reset()
      const seen: Array<DbtUploadProgress> = []
      const result = yield* uploadDbtArtifacts(7, {
        runType: "pull_request",
        targetFolder: fixture.dir,
        commitSha,
        runId: 1234,
        onProgress: (progress) => Effect.sync(() => seen.push(progress))
      }).pipe(Effect.provide(layer()))
      const [request] = recorder.requests()
      expect(recorder.requests()).toHaveLength(1)
      expect(request!.method).toBe("POST")
      expect(request!.url).toBe("/api/v1/dbt/submit_artifacts/7")
      expect(request!.headers["transfer-encoding"]).toBe("chunked")
      expect(request!.headers["authorization"]).toBe(`Key ${apiKey}`)
      const { fields, fileHeaders, zip } = uploaded(request!)
      expect(fields).toStrictEqual([
        ["commit_sha", commitSha.toLowerCase()],
        ["run_type", "pull_request"],
        ["run_id", "1234"]
      ])
      expect(fileHeaders).toStrictEqual([
        'Content-Disposition: form-data; name="artifacts"; filename="artifacts.zip"\r\nContent-Type: application/zip'
      ])
      expect(yield* Effect.promise(() => unzipDifferences(zip, fixture.files))).toStrictEqual([])
      const files = Object.keys(fixture.files).length
      expect(result).toMatchObject({
        ciConfigId: 7,
        runType: "pull_request",
        commitSha: commitSha.toLowerCase(),
        runId: "1234",
        files,
        bytes: Object.values(fixture.files).reduce((sum, bytes) => sum + bytes.byteLength, 0),
        archiveBytes: zip.byteLength,
        skipped: [{ name: "leak.txt", reason: "LinkOutside" }]
      })
      expect(seen.at(-1)).toStrictEqual({
        files,
        totalFiles: files,
        bytes: result.bytes,
        totalBytes: result.bytes
      })
    }))
})

describe("refused before anything is sent", () => {
  const refusals: ReadonlyArray<
    readonly [name: string, id: number, options: () => Record<string, unknown>, expected: Record<string, unknown>]
  > = [
    ["every bad field at once", 0, () => ({ runType: "prod", targetFolder: " ", commitSha: "abc", runId: "a b" }), {
      _tag: "DatafoldInputError"
    }],
    ["a folder that does not exist", 7, () => ({ targetFolder: "no/such/target" }), {
      _tag: "DatafoldArtifactsError",
      reason: "FolderNotFound",
      location: "no/such/target",
      detail: "ENOENT"
    }],
    ["a file given as the folder", 7, () => ({ targetFolder: join(fixture.dir, "manifest.json") }), {
      _tag: "DatafoldArtifactsError",
      reason: "NotAFolder"
    }],
    ["a folder without manifest.json", 7, () => ({ targetFolder: join(fixture.dir, "compiled") }), {
      _tag: "DatafoldArtifactsError",
      reason: "NoManifest"
    }],
    ["a deadline that is not a positive duration", 7, () => ({ deadline: "0 seconds" }), {
      _tag: "DatafoldInputError",
      issues: [{ field: "deadline", problem: 'must be a positive duration, such as "30 minutes"' }]
    }]
  ]
  for (const [name, id, options, expected] of refusals) {
    it.live(name, () =>
      Effect.gen(function* () {
        recorder.reset()
        const error = yield* Effect.flip(
          uploadDbtArtifacts(id, {
            runType: "pull_request",
            targetFolder: fixture.dir,
            commitSha,
            ...options()
          } as never).pipe(Effect.provide(layer()))
        )
        expect(JSON.parse(JSON.stringify(error))).toMatchObject(expected)
        if (error._tag === "DatafoldArtifactsError") expect(error.message).toContain("nothing was sent")
        expect(recorder.requests()).toStrictEqual([])
      }))
  }

  it.live("every bad field is named", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        uploadDbtArtifacts(0, { runType: "prod", targetFolder: " ", commitSha: "abc", runId: "has space" } as never)
          .pipe(Effect.provide(layer()))
      )
      expect(error._tag === "DatafoldInputError" && error.issues.map((issue) => issue.field)).toStrictEqual([
        "ciConfigId",
        "runType",
        "targetFolder",
        "commitSha",
        "runId"
      ])
    }))
})

describe("a file that becomes unreadable mid-upload", () => {
  it.live("abandons the upload and fails with DatafoldArtifactsError ReadFailed naming the file", () =>
    Effect.gen(function* () {
      // "z-last.sql" is read after random.bin (archive order is by name): the server holds
      // the upload after its first bytes while the file is removed.
      const target = makeTarget({ "random.bin": incompressible(), "z-last.sql": "select 1\n" })
      recorder.reset()
      recorder.script("submit", {
        _tag: "PauseAfter",
        bytes: 1,
        then: () => rm(join(target.dir, "z-last.sql"))
      })
      const error = yield* Effect.flip(
        uploadDbtArtifacts(7, { runType: "pull_request", targetFolder: target.dir, commitSha }).pipe(
          Effect.provide(layer()),
          Effect.ensuring(Effect.sync(target.remove))
        )
      )
      expect(JSON.parse(JSON.stringify(error))).toStrictEqual({
        _tag: "DatafoldArtifactsError",
        reason: "ReadFailed",
        location: target.dir,
        path: "z-last.sql",
        detail: "ENOENT"
      })
      expect(error.message).toContain("failed during the upload")
      // Not retried: the same folder would fail the same way.
      yield* Effect.promise(recorder.settled)
      expect(recorder.requests().filter((request) => request.endpoint === "submit")).toHaveLength(1)
    }))
})

describe("the upload's retry policy: only what surely did not arrive is sent again", () => {
  const upload = (options: Omit<DatafoldClientOptions, "apiKey"> = {}) =>
    uploadDbtArtifacts(7, { runType: "pull_request", targetFolder: fixture.dir, commitSha }).pipe(
      Effect.provide(layer(options))
    )

  it.live("a 503 is retried, the whole body sent again with the same boundary", () =>
    Effect.gen(function* () {
      recorder.reset()
      recorder.script("submit", { _tag: "Answer", status: 503, body: '{"detail":"unavailable"}' })
      yield* upload()
      const [first, second] = recorder.requests()
      expect(recorder.requests()).toHaveLength(2)
      expect(second!.body.equals(first!.body)).toBe(true)
      expect(yield* Effect.promise(() => unzipDifferences(uploaded(second!).zip, fixture.files))).toStrictEqual([])
    }))

  const notRetried: ReadonlyArray<readonly [string, Parameters<DbtRecorder["script"]>[1], Record<string, unknown>]> = [
    ["a reset once all was sent", { _tag: "ResetAtEnd" }, { _tag: "DatafoldNetworkError", reason: "ConnectionReset" }],
    ["a reset mid-upload", { _tag: "ResetAfter", bytes: 256 * 1024 }, { _tag: "DatafoldNetworkError" }],
    ["a 502 (the gateway may have delivered it)", { _tag: "Answer", status: 502, body: "bad gateway" }, {
      _tag: "DatafoldServerError",
      status: 502
    }],
    ["a 413", { _tag: "Answer", status: 413, body: '{"detail":"Request Entity Too Large"}' }, {
      _tag: "DatafoldRejectedError",
      status: 413
    }],
    ["a 401", { _tag: "Answer", status: 401, body: '{"detail":"Not authenticated"}' }, {
      _tag: "DatafoldAuthError",
      status: 401
    }],
    ["a 403", { _tag: "Answer", status: 403, body: '{"detail":"Forbidden"}' }, {
      _tag: "DatafoldAuthError",
      status: 403
    }],
    [
      "a 422",
      {
        _tag: "Answer",
        status: 422,
        body: JSON.stringify({
          detail: [{ loc: ["body", "run_type"], msg: "value is not a valid enumeration member", type: "enum" }]
        })
      },
      { _tag: "DatafoldValidationError" }
    ]
  ]
  for (const [name, answer, expected] of notRetried) {
    it.live(`${name}: not retried`, () =>
      Effect.gen(function* () {
        recorder.reset()
        recorder.script("submit", answer)
        const error = yield* Effect.flip(upload())
        expect(JSON.parse(JSON.stringify(error))).toMatchObject(expected)
        expect(error.message).not.toContain(apiKey)
        yield* Effect.promise(recorder.settled)
        expect(recorder.requests()).toHaveLength(1)
      }))
  }
})

describe("an upload's attempt times out on quiet time, not on its length", () => {
  /** The Effect 4 attempt over fetch, with a 400 ms timeout. */
  const attempt = Effect.map(HttpClient.HttpClient, (client) =>
    makeAttempt({
      client,
      timeout: Duration.millis(400),
      deadline: Duration.seconds(20),
      minAttemptMillis: 10,
      scrub: (text) => text
    })).pipe(Effect.provide(FetchHttpClient.layer))

  /** A body whose source hands a chunk on after each of `pauses` (milliseconds). */
  const slowBody = (pauses: ReadonlyArray<number>): StreamBody<never> => ({
    _tag: "StreamBody",
    contentType: "application/octet-stream",
    open: (activity) => ({
      chunks: (async function* () {
        for (const pause of pauses) {
          await new Promise((resolve) => setTimeout(resolve, pause))
          activity()
          yield new TextEncoder().encode(`${pause}\n`)
        }
      })(),
      failure: () => undefined
    })
  })

  const send = (body: StreamBody<never>) =>
    Effect.flatMap(attempt, (once) =>
      once(
        HttpClientRequest.post(`${recorder.url}/api/v1/dbt/submit_artifacts/7`),
        (json) => Result.succeed(json),
        Date.now() + 20_000,
        { body }
      ))

  it.live("a source that keeps handing chunks on for longer than the timeout: the attempt completes", () =>
    Effect.gen(function* () {
      recorder.reset()
      const started = Date.now()
      yield* send(slowBody([150, 150, 150, 150, 150, 150]))
      expect(Date.now() - started).toBeGreaterThan(800)
      expect(recorder.requests().map((request) => request.body.toString())).toStrictEqual([
        "150\n150\n150\n150\n150\n150\n"
      ])
    }))

  it.live("a source that goes quiet for longer than the timeout: a Timeout", () =>
    Effect.gen(function* () {
      recorder.reset()
      const started = Date.now()
      const error = yield* Effect.flip(send(slowBody([100, 100, 5000])))
      const took = Date.now() - started
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ _tag: "DatafoldNetworkError", reason: "Timeout" })
      expect(took).toBeGreaterThanOrEqual(600)
      expect(took).toBeLessThan(2000)
    }))

  it.live("no answer once all was sent: a Timeout after the client's timeout, not retried", () =>
    Effect.gen(function* () {
      recorder.reset()
      recorder.script("submit", { _tag: "Silent" })
      const started = Date.now()
      const error = yield* Effect.flip(
        uploadDbtArtifacts(7, { runType: "pull_request", targetFolder: fixture.dir, commitSha }).pipe(
          Effect.provide(layer({ timeout: "400 millis" }))
        )
      )
      const took = Date.now() - started
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ _tag: "DatafoldNetworkError", reason: "Timeout" })
      expect(took).toBeGreaterThanOrEqual(400)
      expect(took).toBeLessThan(3000)
      yield* Effect.promise(recorder.settled)
      expect(recorder.requests()).toHaveLength(1)
    }))

  it.live("the upload's deadline ends it however busy it is", () =>
    Effect.gen(function* () {
      recorder.reset()
      recorder.script("submit", { _tag: "Slow", everyMillis: 40 })
      const error = yield* Effect.flip(
        uploadDbtArtifacts(7, {
          runType: "pull_request",
          targetFolder: fixture.dir,
          commitSha,
          deadline: "300 millis"
        }).pipe(Effect.provide(layer({ timeout: "10 seconds" })))
      )
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ _tag: "DatafoldNetworkError", reason: "Timeout" })
      expect(error.message).toContain("deadline")
    }))
})
