/**
 * The dbt calls under Bun: a real target folder (nested folders, an empty file, a
 * non-ASCII name, a file of several segments, a link inside and one outside) zipped with Bun's `node:zlib` and sent by
 * Bun's `fetch` as a stream to the local server; the kept archive passes Debian's
 * `unzip -t` and holds the folder's files byte for byte; the run is waited for to `done`.
 * Run with `npm run test:bun`.
 */
import { test } from "bun:test"
import { Effect } from "effect"
import { uploadDbtArtifacts, waitForRun } from "effect-datafold"
import { clientLayerFor, startLocalDatafoldServer } from "effect-datafold/testing"
import { unzipSync } from "fflate"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"

const sha = "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3"
const files: Record<string, string> = {
  "manifest.json": '{"metadata":{},"nodes":{}}',
  "compiled/shop/models/orders.sql": "select 1\n".repeat(2000),
  "compiled/shop/models/ventes_année_日本.sql": "select 'é'\n",
  "run/empty.sql": "",
  // Past 1 MiB: deflated in segments side by side, each primed with the one before.
  "catalog.json": Array.from({ length: 200_000 }, (_, i) => `{"column":"c${i % 997}","rows":${i}}`).join("\n")
}

test("uploads a dbt target folder on Bun, and waits for its run", async () => {
  const parent = mkdtempSync(join(tmpdir(), "datafold-bun-dbt-"))
  const dir = join(parent, "target")
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  symlinkSync("../manifest.json", join(dir, "run", "manifest-link.json"))
  writeFileSync(join(parent, "secret.txt"), "outside")
  symlinkSync(join(parent, "secret.txt"), join(dir, "leak.txt"))
  const server = await startLocalDatafoldServer({ ciConfigIds: [7], runStatuses: ["running", "done"] })
  try {
    const result = await Effect.gen(function* () {
      const upload = yield* uploadDbtArtifacts(7, { runType: "pull_request", targetFolder: dir, commitSha: sha })
      const run = yield* waitForRun(7, { prSha: upload.commitSha }, { pollEvery: "10 millis" })
      return { upload, run }
    }).pipe(Effect.provide(clientLayerFor(server)), Effect.runPromise)
    assert.equal(result.run.status, "done")
    assert.deepEqual(result.upload.skipped, [{ name: "leak.txt", reason: "LinkOutside" }])
    const [received] = server.dbtUploads()
    const archive = join(parent, "received.zip")
    writeFileSync(archive, received!.archive)
    execFileSync("unzip", ["-tq", archive])
    const entries = unzipSync(received!.archive)
    const expected = { ...files, "run/manifest-link.json": files["manifest.json"]! }
    assert.deepEqual(Object.keys(entries).sort(), Object.keys(expected).sort())
    for (const [name, text] of Object.entries(expected)) assert.equal(new TextDecoder().decode(entries[name]), text)
  } finally {
    await server.close()
    rmSync(parent, { recursive: true, force: true })
  }
})
