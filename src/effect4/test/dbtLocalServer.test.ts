/**
 * The Effect 4 entry's dbt workflow against `effect-datafold/effect4/testing`'s local
 * server over real loopback HTTP, as a dbt Core pipeline runs it: upload a target folder
 * (the server reads the multipart body and the ZIP), wait for the run the upload started
 * (done, failed, cancelled, never appearing, never finishing), check the artifacts and
 * the primary keys, and meet the server's faults on dbt's endpoints.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { join } from "node:path"
import { makeTarget } from "../../../test/support/dbtTarget.ts"
import { unzipDifferences } from "../../../test/support/unzipCheck.ts"
import { checkDbtArtifacts, checkPrimaryKeys, type DbtUploadOptions, uploadDbtArtifacts, waitForRun } from "../index.ts"
import { clientLayerFor, Fault, type LocalDatafoldServerOptions, makeLocalDatafoldServer } from "../testing.ts"

const commitSha = "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3"

/** A target folder for the test's scope. */
const target = Effect.acquireRelease(Effect.sync(() => makeTarget()), (made) => Effect.sync(made.remove))

/** A local server for the test's scope, and its client (fast retries). */
const serverAndClient = (options: LocalDatafoldServerOptions = {}) =>
  Effect.map(makeLocalDatafoldServer(options), (server) => ({
    server,
    client: clientLayerFor(server, { retryBase: "10 millis" })
  }))

const fast = { pollEvery: "20 millis", maxPollEvery: "40 millis" } as const

describe("upload, then wait", () => {
  it.live("the server receives the folder's ZIP whole and the fields as sent; the PR's run ends done", () =>
    Effect.gen(function* () {
      const folder = yield* target
      const { client, server } = yield* serverAndClient({ runStatuses: ["running", "running", "done"] })
      const upload: DbtUploadOptions = { runType: "pull_request", targetFolder: folder.dir, commitSha, runId: 9 }
      const sent = yield* uploadDbtArtifacts(7, upload).pipe(Effect.provide(client))
      const [received] = server.dbtUploads()
      expect(received).toMatchObject({ ciConfigId: 7, runType: "pull_request", commitSha, runId: "9" })
      expect(yield* Effect.promise(() => unzipDifferences(received!.archive, folder.files))).toStrictEqual([])
      expect(sent).toMatchObject({ files: Object.keys(folder.files).length, archiveBytes: received!.archive.length })
      const run = yield* waitForRun(7, { prSha: commitSha }, fast).pipe(Effect.provide(client))
      expect(run).toMatchObject({ id: received!.ciRunId, pr_sha: commitSha, status: "done" })
      const status = yield* checkDbtArtifacts(7, { runType: "pull_request", branch: "feature", commitSha }).pipe(
        Effect.provide(client)
      )
      expect(status.ok).toBe(true)
      expect(server.requests().map((request) => request.endpoint)).toStrictEqual([
        "dbtUpload",
        "runs",
        "runs",
        "runs",
        "dbtCheck"
      ])
    }).pipe(Effect.scoped))

  const outcomes: ReadonlyArray<readonly [string, LocalDatafoldServerOptions, object, string]> = [
    ["failed", { runStatuses: ["running", "failed"] }, {}, "DatafoldRunFailedError"],
    ["cancelled", { runStatuses: ["cancelled"] }, {}, "DatafoldRunCancelledError"],
    ["never appears", { createDbtRuns: false }, { appearWithin: "150 millis" }, "DatafoldRunNotFoundError"],
    ["never finishes", { runStatuses: ["running"] }, { timeout: "200 millis" }, "DatafoldRunTimeoutError"]
  ]
  for (const [name, options, wait, tag] of outcomes) {
    it.live(`a run that ${name}: ${tag}`, () =>
      Effect.gen(function* () {
        const folder = yield* target
        const { client } = yield* serverAndClient(options)
        yield* uploadDbtArtifacts(7, { runType: "pull_request", targetFolder: folder.dir, commitSha }).pipe(
          Effect.provide(client)
        )
        const error = yield* Effect.flip(waitForRun(7, { prSha: commitSha }, { ...fast, ...wait })).pipe(
          Effect.provide(client)
        )
        expect(error._tag).toBe(tag)
        expect(error.message).toContain(commitSha.slice(0, 7))
      }).pipe(Effect.scoped))
  }
})

describe("the checks", () => {
  it.live("checkDbtArtifacts: missing before the upload, ok after; checkPrimaryKeys: each model's keys", () =>
    Effect.gen(function* () {
      const folder = yield* target
      const { client } = yield* serverAndClient()
      const check = { runType: "production", branch: "main", commitSha } as const
      const before = yield* checkDbtArtifacts(7, check).pipe(Effect.provide(client))
      yield* uploadDbtArtifacts(7, { runType: "production", targetFolder: folder.dir, commitSha }).pipe(
        Effect.provide(client)
      )
      const after = yield* checkDbtArtifacts(7, check).pipe(Effect.provide(client))
      expect([before.status, after.status]).toStrictEqual(["missing", "ok"])
      const keys = yield* checkPrimaryKeys(7, join(folder.dir, "manifest.json")).pipe(Effect.provide(client))
      expect(keys.map((key) => [key.dbt_fqn, key.dbt_pks, key.dbt_patch_path, key.dbt_original_file_path]))
        .toStrictEqual([
          [["shop", "customers"], [], null, "models/customers.sql"],
          [["shop", "orders"], ["order_id"], "shop://models/schema.yml", "models/orders.sql"],
          // No file behind this model: its original_file_path is null, which decodes.
          [["shop", "seeded"], ["id"], null, null]
        ])
    }).pipe(Effect.scoped))
})

describe("the server's faults on the upload", () => {
  const faults: ReadonlyArray<readonly [string, Fault.Fault, Record<string, unknown>, number]> = [
    ["the server closes mid-upload", Fault.cutUpload(16 * 1024), { _tag: "DatafoldNetworkError" }, 1],
    ["413", Fault.payloadTooLarge(), { _tag: "DatafoldRejectedError", status: 413 }, 1],
    ["401", Fault.unauthorized(), { _tag: "DatafoldAuthError", status: 401 }, 1],
    ["403", Fault.forbidden(), { _tag: "DatafoldAuthError", status: 403 }, 1],
    [
      "422",
      Fault.validation([{ loc: ["body", "artifacts"], msg: "File too large", type: "value_error" }]),
      { _tag: "DatafoldValidationError" },
      1
    ],
    ["the answer lost once it was sent", Fault.loseAnswer(), { _tag: "DatafoldNetworkError" }, 1]
  ]
  for (const [name, fault, expected, requests] of faults) {
    it.live(`${name}: ${expected._tag}, not sent again`, () =>
      Effect.gen(function* () {
        const folder = yield* target
        const { client, server } = yield* serverAndClient()
        server.inject(fault, { endpoint: "dbtUpload" })
        const error = yield* Effect.flip(
          uploadDbtArtifacts(7, { runType: "pull_request", targetFolder: folder.dir, commitSha }).pipe(
            Effect.provide(client)
          )
        )
        expect(JSON.parse(JSON.stringify(error))).toMatchObject(expected)
        expect(server.requests().filter((request) => request.endpoint === "dbtUpload")).toHaveLength(requests)
      }).pipe(Effect.scoped))
  }

  it.live("a 503: sent again, and received once", () =>
    Effect.gen(function* () {
      const folder = yield* target
      const { client, server } = yield* serverAndClient()
      server.inject(Fault.serverError(503), { endpoint: "dbtUpload" })
      yield* uploadDbtArtifacts(7, { runType: "pull_request", targetFolder: folder.dir, commitSha }).pipe(
        Effect.provide(client)
      )
      expect(server.requests().map((request) => request.endpoint)).toStrictEqual(["dbtUpload", "dbtUpload"])
      expect(server.dbtUploads()).toHaveLength(1)
    }).pipe(Effect.scoped))

  it.live("a folder without manifest.json: nothing reaches the server", () =>
    Effect.gen(function* () {
      const folder = yield* target
      const { client, server } = yield* serverAndClient()
      const error = yield* Effect.flip(
        uploadDbtArtifacts(7, { runType: "pull_request", targetFolder: join(folder.dir, "run"), commitSha }).pipe(
          Effect.provide(client)
        )
      )
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ _tag: "DatafoldArtifactsError", reason: "NoManifest" })
      expect(server.requests()).toStrictEqual([])
    }).pipe(Effect.scoped))
})
