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
import { makeTargetFolder, zipDifferences } from "../../../test/support/dbtFolder.ts"
import { type DbtRecorder, startDbtRecorder, uploadedParts } from "../../../test/support/dbtRecorder.ts"
import { DatafoldClient, uploadDbtArtifacts } from "../index.ts"

const BIG_FILE_BYTES = 101 * 1024 * 1024

let recorder: DbtRecorder
beforeAll(async () => {
  recorder = await startDbtRecorder()
})
afterAll(() => recorder.close())

it.live("a file over 100 MB goes through whole, as unzip reads it back", () =>
  Effect.acquireUseRelease(
    Effect.promise(() => makeTargetFolder({ bigFileBytes: BIG_FILE_BYTES })),
    (big) =>
      Effect.gen(function* () {
        const result = yield* uploadDbtArtifacts(7, {
          runType: "production",
          targetFolder: big.root,
          commitSha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3"
        }).pipe(
          Effect.provide(
            DatafoldClient.layer({ apiKey: Redacted.make("dfk_effect4_large_0123456789"), host: recorder.url }).pipe(
              Layer.provide(FetchHttpClient.layer)
            )
          )
        )
        const { zip } = uploadedParts(recorder.requests()[0]!)
        expect(yield* Effect.promise(() => zipDifferences(zip, big.expected))).toStrictEqual([])
        expect(result.bytes).toBeGreaterThan(BIG_FILE_BYTES)
        expect(result.archiveBytes).toBe(zip.byteLength)
      }),
    (big) => Effect.promise(() => big.remove())
  ), 60_000)
