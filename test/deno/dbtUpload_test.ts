/**
 * The dbt calls under Deno, as a Deno user runs them: a real target folder (nested
 * folders, an empty file, a non-ASCII name, a file of several segments, a link inside and one outside) zipped with
 * Deno's `node:zlib` and fflate from the import map and streamed by Deno's `fetch` to the
 * local server; the archive it kept passes Debian's `unzip -t` and holds the folder's
 * files byte for byte; the run is then waited for to `done`, and a folder without
 * `manifest.json` is refused before anything is sent. Run with `npm run test:deno`.
 */
import { uploadDbtArtifacts, waitForRun } from "@effect-datafold/effect-datafold"
import { clientLayerFor, startLocalDatafoldServer } from "@effect-datafold/effect-datafold/testing"
import { Effect, Either } from "effect"
import { unzipSync } from "fflate"
import assert from "node:assert/strict"

const sha = "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3"
const files: Record<string, string> = {
  "manifest.json": '{"metadata":{},"nodes":{}}',
  "compiled/shop/models/orders.sql": "select 1\n".repeat(2000),
  "compiled/shop/models/ventes_année_日本.sql": "select 'é'\n",
  "run/empty.sql": "",
  // Past 1 MiB: deflated in segments side by side, each primed with the one before.
  "catalog.json": Array.from({ length: 200_000 }, (_, i) => `{"column":"c${i % 997}","rows":${i}}`).join("\n")
}

/**
 * `ln -s`: `Deno.symlink` needs unscoped `--allow-read` and `--allow-write`, while `deno task
 * test` grants them for its temporary folder only (and `--allow-run=unzip,ln`).
 */
const symlink = async (target: string, path: string): Promise<void> => {
  const made = await new Deno.Command("ln", { args: ["-s", target, path] }).output()
  assert.equal(made.code, 0, new TextDecoder().decode(made.stderr))
}

const makeTarget = async (): Promise<{ readonly parent: string; readonly dir: string }> => {
  const parent = await Deno.makeTempDir({ prefix: "datafold-deno-dbt-" })
  const dir = `${parent}/target`
  for (const [name, text] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${name.slice(0, name.lastIndexOf("/") + 1) || "."}`, { recursive: true })
    await Deno.writeTextFile(`${dir}/${name}`, text)
  }
  await symlink("../manifest.json", `${dir}/run/manifest-link.json`)
  await Deno.writeTextFile(`${parent}/secret.txt`, "outside")
  await symlink(`${parent}/secret.txt`, `${dir}/leak.txt`)
  return { parent, dir }
}

Deno.test("uploads a dbt target folder on Deno, and waits for its run", async () => {
  const server = await startLocalDatafoldServer({ ciConfigIds: [7], runStatuses: ["running", "done"] })
  const { dir, parent } = await makeTarget()
  try {
    const result = await Effect.gen(function* () {
      const upload = yield* uploadDbtArtifacts(7, { runType: "pull_request", targetFolder: dir, commitSha: sha })
      const run = yield* waitForRun(7, { prSha: upload.commitSha }, { pollEvery: "10 millis" })
      return { upload, run }
    }).pipe(Effect.provide(clientLayerFor(server)), Effect.runPromise)
    assert.equal(result.run.status, "done")
    assert.deepEqual(result.upload.skipped, [{ name: "leak.txt", reason: "LinkOutside" }])
    const [received] = server.dbtUploads()
    assert.equal(received?.commitSha, sha)
    const archive = `${parent}/received.zip`
    await Deno.writeFile(archive, received!.archive)
    const tested = await new Deno.Command("unzip", { args: ["-tq", archive] }).output()
    assert.equal(tested.code, 0, new TextDecoder().decode(tested.stdout))
    const entries = unzipSync(received!.archive)
    const expected = { ...files, "run/manifest-link.json": files["manifest.json"]! }
    assert.deepEqual(Object.keys(entries).sort(), Object.keys(expected).sort())
    for (const [name, text] of Object.entries(expected)) assert.equal(new TextDecoder().decode(entries[name]), text)
  } finally {
    await server.close()
    await Deno.remove(parent, { recursive: true })
  }
})

Deno.test("refuses a folder without manifest.json on Deno, sending nothing", async () => {
  const server = await startLocalDatafoldServer({ ciConfigIds: [7] })
  const { dir, parent } = await makeTarget()
  try {
    await Deno.remove(`${dir}/manifest.json`)
    await Deno.remove(`${dir}/run/manifest-link.json`)
    const result = await uploadDbtArtifacts(7, { runType: "production", targetFolder: dir, commitSha: sha }).pipe(
      Effect.either,
      Effect.provide(clientLayerFor(server)),
      Effect.runPromise
    )
    assert.ok(Either.isLeft(result))
    assert.equal(result.left._tag, "DatafoldArtifactsError")
    assert.match(result.left.message, /has no manifest\.json; nothing was sent/)
    assert.deepEqual(server.requests(), [])
  } finally {
    await server.close()
    await Deno.remove(parent, { recursive: true })
  }
})
