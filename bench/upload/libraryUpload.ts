/**
 * The library contenders' program: `<ciConfigId> <folder> <commitSha>` uploads the folder with
 * `uploadDbtArtifacts` on the layer it is given (settings from `DATAFOLD_HOST` and `DATAFOLD_API_KEY`), then
 * prints one JSON line with what the call says it sent. Bundled by esbuild once per layer (`run.ts`), so each
 * child loads only its own transport.
 */
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import { type DatafoldClient, uploadDbtArtifacts } from "../../src/index.ts"

/** Upload with `layer` as the arguments say, and print the call's answer. */
export const runLibraryUpload = async (
  layer: Layer.Layer<DatafoldClient, unknown>,
  argv: ReadonlyArray<string>
): Promise<void> => {
  const [ciConfigId, targetFolder, commitSha] = argv
  if (ciConfigId === undefined || targetFolder === undefined || commitSha === undefined) {
    throw new Error("usage: <ciConfigId> <folder> <commitSha>")
  }
  const upload = await Effect.runPromise(
    uploadDbtArtifacts(Number(ciConfigId), { runType: "pull_request", targetFolder, commitSha }).pipe(
      Effect.provide(layer)
    )
  )
  process.stdout.write(`${JSON.stringify(upload)}\n`)
}
