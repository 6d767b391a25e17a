/**
 * Memory (issue 18): the built CLI, run with plain node as CI runs it, uploads a generated ~150 MB dbt target
 * folder with its peak RSS under 160 MB. The ZIP is streamed from disk into the request, so what the process holds
 * is about a read and a connection's buffers, whatever the folder's size; a writer or transport that queued the
 * archive would hold tens of MB more per 100 MB sent.
 *
 * The peak is the child's own `maxRSS` (`process.resourceUsage()`), written at exit by a `--import` preload, so no
 * tool outside Node is needed. The server is the local Datafold server (`effect-datafold/testing`), which parses the
 * multipart body and lists the ZIP's entries: every file of the folder must be in it, at its size.
 *
 * `npm run test:memory` runs it on Node 20, 22 and 24, alone, after the other stages: a busy machine collects garbage later.
 * Measured on one machine: 116–123 MB on Node 20, 120–122 MB on 22, 137–140 MB on 24; newer Nodes start bigger.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { inject } from "vitest"
import { execFile } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { UPLOAD_TARGET } from "../../bench/upload/uploadTarget.ts"
import { writeDbtTarget } from "../../bench/zip/dbtTarget.ts"
import { type FileEntry, listFiles } from "../../bench/zip/files.ts"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"

/** The limit, in bytes (10^6: the stricter reading of "160 MB"). */
const PEAK_RSS_LIMIT_BYTES = 160e6

const API_KEY = "dfk_test_memory_0123456789abcdef"
const COMMIT_SHA = "0123456789abcdef0123456789abcdef01234567"

let parent: string
let folder: string
let files: ReadonlyArray<FileEntry>
/** The CLI bundle built once for the run (`test/support/cliBundleSetup.ts`), run with plain node as CI runs it. */
const cli = inject("cliBundle").entry
let server: LocalDatafoldServer

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), "datafold-memory-"))
  folder = join(parent, "target")
  mkdirSync(folder)
  writeDbtTarget(folder, UPLOAD_TARGET)
  files = listFiles(folder)
  writeFileSync(
    join(parent, "peak-rss.mjs"),
    [
      `import { writeFileSync } from "node:fs"`,
      `process.on("exit", () => writeFileSync(process.env.PEAK_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)))`
    ].join("\n")
  )
  server = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7] })
}, 180_000)

afterAll(async () => {
  await server?.close()
  if (parent !== undefined) rmSync(parent, { recursive: true, force: true })
})

const run = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) =>
  new Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { env: { PATH: process.env["PATH"] ?? "", ...env }, encoding: "utf8", timeout: 150_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") reject(error)
        else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr })
      }
    )
  })

describe("a ~150 MB target folder uploaded by the built CLI", () => {
  it("arrives whole, with the child's peak RSS under 160 MB", { timeout: 180_000 }, async () => {
    const folderBytes = files.reduce((sum, file) => sum + file.size, 0)
    expect(folderBytes).toBeGreaterThan(145e6)
    const rssFile = join(parent, "peak-rss.txt")
    const result = await run([
      "--import",
      join(parent, "peak-rss.mjs"),
      cli,
      "dbt",
      "upload",
      "--ci-config-id",
      "7",
      "--run-type",
      "pull_request",
      "--target-folder",
      folder,
      "--commit-sha",
      COMMIT_SHA,
      "--host",
      server.url,
      "--json"
    ], { DATAFOLD_API_KEY: API_KEY, PEAK_RSS_FILE: rssFile })
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, files: files.length, bytes: folderBytes })

    const output = JSON.parse(result.stdout) as { readonly archive_bytes: number }

    const uploads = server.dbtUploads()
    expect(uploads).toHaveLength(1)
    const upload = uploads[0]!
    expect(upload).toMatchObject({ ciConfigId: 7, runType: "pull_request", commitSha: COMMIT_SHA })
    expect(upload.archive.byteLength).toBe(output.archive_bytes)
    const bySize = (entries: ReadonlyArray<{ readonly name: string; readonly size: number }>) =>
      entries.map(({ name, size }) => `${name} ${size}`).sort()
    expect(upload.entries).toHaveLength(files.length)
    expect(bySize(upload.entries)).toEqual(bySize(files))

    const peakRss = Number(readFileSync(rssFile, "utf8"))
    console.info(
      `memory.test: peak RSS ${(peakRss / 1e6).toFixed(1)} MB uploading ${(folderBytes / 1e6).toFixed(1)} MB`
    )
    expect(peakRss).toBeLessThan(PEAK_RSS_LIMIT_BYTES)
  })
})
