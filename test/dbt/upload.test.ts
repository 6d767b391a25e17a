/**
 * The dbt calls over every transport, against the local server on loopback and real
 * folders: the archive Datafold receives read back by `unzip` and Python's `zipfile` and
 * compared with the folder byte for byte (nested folders, an empty file, non-ASCII names,
 * a link inside followed and one outside left out; a file over 100 MB on the default
 * transport), refusals before anything is sent, a file gone mid-upload, the upload's
 * faults and retry policy, the two checks, and the wait over the runs listing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { randomBytes } from "node:crypto"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import {
  checkDbtArtifacts,
  checkPrimaryKeys,
  type DatafoldClient,
  uploadDbtArtifacts,
  waitForRun
} from "../../src/index.ts"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { makeTarget, pythonZipCheck, type TargetFixture, unzipTest } from "../support/dbtTarget.ts"
import { openDescriptors } from "../support/openDescriptors.ts"
import { fastClient, plain } from "../support/fixtures.ts"
import { everyTransport } from "../support/transports.ts"

const COMMIT = "8F14E45FCEEA167A5A36DEDD4BEA2543C0A1B2C3"

let server: LocalDatafoldServer
let fixture: TargetFixture

beforeAll(async () => {
  server = await startLocalDatafoldServer({ ciConfigIds: [7], runStatuses: ["running", "done"] })
  fixture = makeTarget()
})

afterAll(async () => {
  await server?.close()
  fixture?.remove()
})

afterEach(() => server.reset())

/** Runs `effect` with a client on `transport`, its retries fast. */
const using = (transport: (typeof everyTransport)[number]) => <A, E>(effect: Effect.Effect<A, E, DatafoldClient>) =>
  Effect.runPromise(Effect.either(effect.pipe(Effect.provide(fastClient(server, {}, transport.layer)))))

/** The archive the server received, on disk, checked by both readers against `folder`. */
const receivedMatches = async (folder: string, expectedNames: ReadonlyArray<string>) => {
  const [upload] = server.dbtUploads()
  expect(upload).toBeDefined()
  const archive = join(fixture.parent, `received-${Date.now()}.zip`)
  writeFileSync(archive, upload!.archive)
  try {
    expect((await unzipTest(archive)).code).toBe(0)
    const checked = await pythonZipCheck(archive, folder)
    expect(checked.bad).toBeNull()
    expect(checked.mismatched).toEqual([])
    expect(checked.names).toEqual(expectedNames)
  } finally {
    rmSync(archive, { force: true })
  }
  return upload!
}

describe.each(everyTransport)("over $name", (transport) => {
  const run = using(transport)

  it("uploads the folder: the archive is the folder byte for byte, the fields as sent, what was sent reported", async () => {
    const result = await run(uploadDbtArtifacts(7, {
      runType: "pull_request",
      targetFolder: "target",
      cwd: fixture.parent,
      commitSha: COMMIT,
      runId: 41
    }))
    if (result._tag === "Left") throw new Error(JSON.stringify(plain(result.left)))
    const names = Object.keys(fixture.files).sort()
    const received = await receivedMatches(fixture.dir, names)
    expect(received).toMatchObject({
      ciConfigId: 7,
      runType: "pull_request",
      commitSha: COMMIT.toLowerCase(),
      runId: "41"
    })
    expect(result.right).toMatchObject({
      ciConfigId: 7,
      runType: "pull_request",
      commitSha: COMMIT.toLowerCase(),
      runId: "41",
      files: names.length,
      bytes: Object.values(fixture.files).reduce((sum, bytes) => sum + bytes.byteLength, 0),
      archiveBytes: received.archive.byteLength,
      skipped: [{ name: "leak.txt", reason: "LinkOutside" }]
    })
    const request = server.requests()[0]!
    expect(request.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=effect-datafold-[0-9a-f]{32}$/)
    expect(request.headers["transfer-encoding"]).toBe("chunked")
    expect(request.headers["authorization"]).toBe(`Key ${Redacted.value(server.apiKey)}`)
  })

  it("refuses before sending anything: bad input, a missing folder, a file for a folder, no manifest.json", async () => {
    const bad = await run(uploadDbtArtifacts(0, { runType: "nightly" as never, targetFolder: "", commitSha: "abc" }))
    expect(bad._tag === "Left" && bad.left.message).toBe(
      "Refused before sending anything: ciConfigId must be a positive whole number (the id of a CI configuration in Datafold); " +
        'runType must be "production" or "pull_request"; targetFolder must be a path (a string that is not blank); ' +
        "commitSha must be a full commit SHA (40 or 64 hexadecimal characters), not a short SHA or a branch name. " +
        "Correct these values and try again."
    )
    const missing = await run(
      uploadDbtArtifacts(7, { runType: "production", targetFolder: join(fixture.parent, "nope"), commitSha: COMMIT })
    )
    expect(missing._tag === "Left" && plain(missing.left)).toMatchObject({
      _tag: "DatafoldArtifactsError",
      reason: "FolderNotFound"
    })
    const file = await run(
      uploadDbtArtifacts(7, {
        runType: "production",
        targetFolder: join(fixture.dir, "manifest.json"),
        commitSha: COMMIT
      })
    )
    expect(file._tag === "Left" && plain(file.left)).toMatchObject({ reason: "NotAFolder" })
    const noManifest = await run(
      uploadDbtArtifacts(7, { runType: "production", targetFolder: join(fixture.dir, "compiled"), commitSha: COMMIT })
    )
    expect(noManifest._tag === "Left" && noManifest.left.message).toContain("has no manifest.json; nothing was sent")
    const overLimit = await run(
      uploadDbtArtifacts(7, {
        runType: "production",
        targetFolder: fixture.dir,
        commitSha: COMMIT,
        maxUploadBytes: 100
      })
    )
    expect(overLimit._tag === "Left" && plain(overLimit.left)).toMatchObject({
      _tag: "DatafoldArtifactsError",
      reason: "TooLarge"
    })
    expect(overLimit._tag === "Left" && overLimit.left.message).toContain("raise the limit")
    const badLimit = await run(
      uploadDbtArtifacts(7, { runType: "production", targetFolder: fixture.dir, commitSha: COMMIT, maxUploadBytes: 0 })
    )
    expect(badLimit._tag === "Left" && badLimit.left.message).toContain(
      "maxUploadBytes must be a positive whole number of bytes"
    )
    const badConcurrency = await run(
      uploadDbtArtifacts(7, { runType: "production", targetFolder: fixture.dir, commitSha: COMMIT, concurrency: 0 })
    )
    expect(badConcurrency._tag === "Left" && badConcurrency.left.message).toContain(
      "concurrency must be a whole number from 1 to 16"
    )
    expect(server.requests()).toEqual([])
  })

  it("a file removed once sending has begun abandons the upload: DatafoldArtifactsError naming it, nothing recorded, no retry", async () => {
    const target = makeTarget({ "zz-last.json": "{}" })
    try {
      const result = await run(uploadDbtArtifacts(7, {
        runType: "pull_request",
        targetFolder: target.dir,
        commitSha: COMMIT,
        // Once the first files are read (the upload is under way), the last one goes.
        onProgress: (progress) =>
          Effect.sync(() => {
            if (progress.files >= 1) rmSync(join(target.dir, "zz-last.json"), { force: true })
          })
      }))
      expect(result._tag === "Left" && plain(result.left)).toMatchObject({
        _tag: "DatafoldArtifactsError",
        reason: "ReadFailed",
        path: "zz-last.json"
      })
      expect(result._tag === "Left" && result.left.message).toContain("the upload was abandoned before it completed")
      expect(server.dbtUploads()).toEqual([])
      expect(server.requests().filter((request) => request.endpoint === "dbtUpload").length).toBeLessThanOrEqual(1)
    } finally {
      target.remove()
    }
  })

  it.each(
    [
      ["the server cutting the upload", Fault.cutUpload(32 * 1024), {
        _tag: "DatafoldNetworkError",
        reason: "ConnectionReset"
      }],
      ["413 from a proxy", Fault.payloadTooLarge(), { _tag: "DatafoldRejectedError", status: 413 }],
      ["401", Fault.unauthorized(), { _tag: "DatafoldAuthError", status: 401 }],
      ["403", Fault.forbidden(), { _tag: "DatafoldAuthError", status: 403 }],
      ["422", Fault.validation([{ loc: ["body", "commit_sha"], msg: "bad", type: "value_error" }]), {
        _tag: "DatafoldValidationError"
      }],
      // Over fetch, whose "error" redirect mode hides the status, it is answered as a 300.
      ["a redirect, never followed", Fault.redirect("https://elsewhere.example/upload"), {
        _tag: "DatafoldResponseError",
        problem: expect.stringContaining("Datafold answered with a redirect")
      }]
    ] as const
  )("%s: its typed error at once, the upload not repeated", async (_, fault, expected) => {
    server.inject(fault, { endpoint: "dbtUpload", times: 3 })
    const result = await run(
      uploadDbtArtifacts(7, { runType: "pull_request", targetFolder: fixture.dir, commitSha: COMMIT })
    )
    expect(result._tag === "Left" && plain(result.left)).toMatchObject(expected)
    expect(server.requests().filter((request) => request.endpoint === "dbtUpload")).toHaveLength(1)
    expect(server.dbtUploads()).toEqual([])
  })

  it("an upload cut mid-file closes the file it was reading (no descriptor left to garbage collection)", async () => {
    const target = makeTarget({ "large.bin": randomBytes(8 * 1024 * 1024) })
    try {
      server.inject(Fault.cutUpload(256 * 1024), { endpoint: "dbtUpload" })
      const result = await run(
        uploadDbtArtifacts(7, { runType: "production", targetFolder: target.dir, commitSha: COMMIT })
      )
      expect(result._tag).toBe("Left")
      const large = join(target.dir, "large.bin")
      const stillOpen = async (): Promise<boolean> => {
        for (let tries = 0; tries < 50; tries++) {
          if (!openDescriptors().includes(large)) return false
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
        return true
      }
      expect(await stillOpen()).toBe(false)
    } finally {
      target.remove()
    }
  })

  it("503 is retried (it surely did not arrive), and the retry sends the whole folder again", async () => {
    server.inject(Fault.serverError(503), { endpoint: "dbtUpload" })
    const result = await run(
      uploadDbtArtifacts(7, { runType: "production", targetFolder: fixture.dir, commitSha: COMMIT })
    )
    expect(result._tag).toBe("Right")
    expect(server.requests().filter((request) => request.endpoint === "dbtUpload")).toHaveLength(2)
    await receivedMatches(fixture.dir, Object.keys(fixture.files).sort())
  })

  it("waits for the upload's run: listed running, then done", async () => {
    const result = await run(Effect.gen(function* () {
      const upload = yield* uploadDbtArtifacts(7, {
        runType: "pull_request",
        targetFolder: fixture.dir,
        commitSha: COMMIT
      })
      return yield* waitForRun(7, { prSha: upload.commitSha }, { pollEvery: "10 millis" })
    }))
    if (result._tag === "Left") throw new Error(JSON.stringify(plain(result.left)))
    expect(result.right).toMatchObject({ status: "done", pr_sha: COMMIT.toLowerCase(), source: "dbt" })
    expect(server.requests().filter((request) => request.endpoint === "runs")).toHaveLength(2)
  })

  it("the checks: artifacts present or missing; the primary keys of the manifest, streamed from disk", async () => {
    const result = await run(Effect.gen(function* () {
      const before = yield* checkDbtArtifacts(7, { runType: "production", branch: "main", commitSha: COMMIT })
      yield* uploadDbtArtifacts(7, { runType: "production", targetFolder: fixture.dir, commitSha: COMMIT })
      const after = yield* checkDbtArtifacts(7, { runType: "production", branch: "main", commitSha: COMMIT })
      const keys = yield* checkPrimaryKeys(7, join(fixture.dir, "manifest.json"))
      return { before, after, keys }
    }))
    if (result._tag === "Left") throw new Error(JSON.stringify(plain(result.left)))
    expect([result.right.before.status, result.right.before.ok]).toEqual(["missing", false])
    expect([result.right.after.status, result.right.after.ok]).toEqual(["ok", true])
    expect(result.right.keys.map((check) => [check.dbt_fqn.join("."), check.dbt_pks, check.dbt_original_file_path]))
      .toEqual([
        ["shop.customers", [], "models/customers.sql"],
        ["shop.orders", ["order_id"], "models/orders.sql"],
        ["shop.seeded", ["id"], null]
      ])
    const check = server.requests().find((request) => request.endpoint === "dbtCheck")!
    expect(check.headers["content-type"]).toBe("application/x-www-form-urlencoded")
    expect(check.body).toBe(`commit_sha=${COMMIT.toLowerCase()}&run_type=production&branch=main`)
  })
})

describe("a large folder, over the default transport", () => {
  it("a file over 100 MB goes whole: the archive read back equals the folder", async () => {
    const target = makeTarget({ "catalog.json": randomBytes(101 * 1024 * 1024) })
    try {
      const result = await Effect.runPromise(Effect.either(
        uploadDbtArtifacts(7, { runType: "production", targetFolder: target.dir, commitSha: COMMIT }).pipe(
          Effect.provide(fastClient(server))
        )
      ))
      if (result._tag === "Left") throw new Error(JSON.stringify(plain(result.left)))
      const [upload] = server.dbtUploads()
      const archive = join(target.parent, "received.zip")
      writeFileSync(archive, upload!.archive)
      expect((await unzipTest(archive)).code).toBe(0)
      const checked = await pythonZipCheck(archive, target.dir)
      expect(checked.mismatched).toEqual([])
      expect(checked.names).toContain("catalog.json")
    } finally {
      target.remove()
    }
  }, 120_000)

  it("concurrency 1 and the default send the same archive, byte for byte", async () => {
    const line = (i: number) => `{"unique_id": "model.shop.m${i}", "columns": {"id": {"name": "id"}}},\n`
    const target = makeTarget({ "catalog.json": Array.from({ length: 100_000 }, (_, i) => line(i)).join("") })
    try {
      const archives: Array<Buffer> = []
      for (const concurrency of [1, undefined]) {
        server.reset()
        const result = await Effect.runPromise(Effect.either(
          uploadDbtArtifacts(7, { runType: "production", targetFolder: target.dir, commitSha: COMMIT, concurrency })
            .pipe(Effect.provide(fastClient(server)))
        ))
        if (result._tag === "Left") throw new Error(JSON.stringify(plain(result.left)))
        archives.push(Buffer.from(server.dbtUploads()[0]!.archive))
      }
      expect(archives[0]!.byteLength).toBeGreaterThan(0)
      expect(archives[0]!.equals(archives[1]!)).toBe(true)
    } finally {
      target.remove()
    }
  }, 120_000)
})

describe("waiting, over the default transport", () => {
  const waitOn = async (
    options: Parameters<typeof startLocalDatafoldServer>[0],
    wait: Parameters<typeof waitForRun>[2]
  ) => {
    const own = await startLocalDatafoldServer({ ciConfigIds: [7], ...options })
    try {
      return await Effect.runPromise(Effect.either(
        Effect.gen(function* () {
          yield* uploadDbtArtifacts(7, { runType: "pull_request", targetFolder: fixture.dir, commitSha: COMMIT })
          return yield* waitForRun(7, { prSha: COMMIT }, { pollEvery: "10 millis", ...wait })
        }).pipe(Effect.provide(fastClient(own)))
      ))
    } finally {
      await own.close()
    }
  }

  it.each(
    [
      ["failed", ["running", "failed"], "DatafoldRunFailedError"],
      ["cancelled", ["cancelled"], "DatafoldRunCancelledError"]
    ] as const
  )("a run that %s ends the wait with its error", async (_, statuses, tag) => {
    const result = await waitOn({ runStatuses: statuses }, {})
    expect(result._tag === "Left" && plain(result.left)).toMatchObject({
      _tag: tag,
      ciConfigId: 7,
      run: { pr_sha: COMMIT.toLowerCase() }
    })
  })

  it("a run that never appears: DatafoldRunNotFoundError", async () => {
    const result = await waitOn({ createDbtRuns: false }, { appearWithin: "200 millis" })
    expect(result._tag === "Left" && plain(result.left)).toMatchObject({
      _tag: "DatafoldRunNotFoundError",
      prSha: COMMIT.toLowerCase()
    })
  })

  it("a run that never finishes: DatafoldRunTimeoutError", async () => {
    const result = await waitOn({ runStatuses: ["running"] }, { timeout: "300 millis" })
    expect(result._tag === "Left" && plain(result.left)).toMatchObject({
      _tag: "DatafoldRunTimeoutError",
      run: { status: "running" }
    })
  })

  it("the server going away while polling: looked at again until the deadline, then the network's error", async () => {
    const own = await startLocalDatafoldServer({ ciConfigIds: [7], runStatuses: ["running"] })
    const result = await Effect.runPromise(Effect.either(
      Effect.gen(function* () {
        yield* uploadDbtArtifacts(7, { runType: "pull_request", targetFolder: fixture.dir, commitSha: COMMIT })
        return yield* waitForRun(7, { prSha: COMMIT }, {
          pollEvery: "10 millis",
          // Long enough that the second look comes before it on a loaded machine.
          timeout: "3 seconds",
          onProgress: (progress) => progress.polls === 2 ? Effect.promise(() => own.close()) : Effect.void
        })
      }).pipe(Effect.provide(fastClient(own, { retries: 1 })))
    ))
    expect(result._tag === "Left" && plain(result.left)).toMatchObject({
      _tag: "DatafoldNetworkError",
      reason: "ConnectionRefused"
    })
  })
})
