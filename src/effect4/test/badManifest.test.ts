/**
 * A bad `manifest.json` is refused by the Effect 4 client before anything is sent, as by
 * Effect 3's: an upload's folder and `checkPrimaryKeys`' file, empty, not JSON or JSON
 * but not a dbt manifest, each a `DatafoldArtifactsError` (`NotAManifest`) naming the
 * file and what is wrong; the server saw no request.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { checkPrimaryKeys, uploadDbtArtifacts } from "../index.ts"
import { clientLayerFor, type LocalDatafoldServer, startLocalDatafoldServer } from "../testing.ts"

let server: LocalDatafoldServer
const dir = mkdtempSync(join(tmpdir(), "effect4-bad-manifest-"))
beforeAll(async () => {
  server = await startLocalDatafoldServer({ ciConfigIds: [7] })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

const cases: ReadonlyArray<readonly [string, string, string]> = [
  ["empty", "", "it is empty"],
  ["not JSON", "<!doctype html>", "it is not JSON"],
  ["JSON, not a manifest", '{"nodes": {}}', 'it is JSON, but has no "metadata" at its top level']
]

describe("a bad manifest is refused before sending", () => {
  for (const [name, content, detail] of cases) {
    it.effect(`${name}: NotAManifest for the upload and the primary-key check; nothing sent`, () =>
      Effect.gen(function* () {
        server.reset()
        const target = join(dir, name.replaceAll(/\W/g, "-"))
        mkdirSync(target)
        writeFileSync(join(target, "manifest.json"), content)
        const layer = clientLayerFor(server, { retries: 0 })
        const upload = yield* Effect.flip(
          uploadDbtArtifacts(7, { runType: "production", targetFolder: target, commitSha: "ab".repeat(20) }).pipe(
            Effect.provide(layer)
          )
        )
        expect(upload).toMatchObject({
          _tag: "DatafoldArtifactsError",
          reason: "NotAManifest",
          path: "manifest.json",
          detail
        })
        expect(upload.message).toContain(`manifest.json in ${target} is not a dbt manifest (${detail})`)
        const keys = yield* Effect.flip(checkPrimaryKeys(7, join(target, "manifest.json")).pipe(Effect.provide(layer)))
        expect(keys).toMatchObject({ _tag: "DatafoldArtifactsError", reason: "NotAManifest", detail })
        expect(server.requests()).toEqual([])
      }))
  }
})
