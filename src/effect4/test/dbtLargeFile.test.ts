/**
 * A target folder holding a file over 100 MB, uploaded by the Effect 4 entry over real
 * loopback HTTP: the archive Debian's `unzip` reads back holds it byte for byte. (Its
 * own file: the one test here that takes seconds.)
 */
import { afterAll, beforeAll, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { randomBytes } from "node:crypto"
import { mkdir, open } from "node:fs/promises"
import { join } from "node:path"
import { type DbtRecorder, startDbtRecorder, uploadedParts } from "../../../test/support/dbtRecorder.ts"
import { makeTarget } from "../../../test/support/dbtTarget.ts"
import { unzipDifferences } from "../../../test/support/unzipCheck.ts"
import { clientLayer, uploadDbtArtifacts } from "../index.ts"

const BIG_FILE_BYTES = 101 * 1024 * 1024
const BIG_FILE = "big/partial_parse.msgpack"

/** A target with a file of {@link BIG_FILE_BYTES}: sparse zeros around a random megabyte, quick to write. */
const bigTarget = async () => {
  const target = makeTarget()
  const path = join(target.dir, BIG_FILE)
  await mkdir(join(path, ".."), { recursive: true })
  const handle = await open(path, "w")
  await handle.truncate(BIG_FILE_BYTES)
  await handle.write(randomBytes(1024 * 1024), 0, 1024 * 1024, BIG_FILE_BYTES / 2)
  await handle.close()
  return { target, expected: { ...target.files, [BIG_FILE]: path } }
}

let recorder: DbtRecorder
beforeAll(async () => {
  recorder = await startDbtRecorder()
})
afterAll(() => recorder.close())

it.live("a file over 100 MB goes through whole, as unzip reads it back", () =>
  Effect.acquireUseRelease(
    Effect.promise(bigTarget),
    ({ expected, target }) =>
      Effect.gen(function* () {
        const result = yield* uploadDbtArtifacts(7, {
          runType: "production",
          targetFolder: target.dir,
          commitSha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3"
        }).pipe(
          Effect.provide(
            clientLayer({ apiKey: Redacted.make("dfk_effect4_large_0123456789"), host: recorder.url }).pipe(
              Layer.provide(FetchHttpClient.layer)
            )
          )
        )
        const { zip } = uploadedParts(recorder.requests()[0]!)
        expect(yield* Effect.promise(() => unzipDifferences(zip, expected))).toStrictEqual([])
        expect(result.bytes).toBeGreaterThan(BIG_FILE_BYTES)
        expect(result.archiveBytes).toBe(zip.byteLength)
      }),
    ({ target }) => Effect.sync(target.remove)
  ), 60_000)
