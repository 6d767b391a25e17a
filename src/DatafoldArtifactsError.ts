/**
 * The dbt artifacts could not be sent: the target folder (or the manifest file) is
 * missing, is not what it should be, or a file of it could not be read.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import { ARTIFACTS_PROBLEMS, artifactsErrorMessage } from "./core/dbt/messages.ts"
import type { TaggedErrorBase } from "./schemaClass.ts"

/**
 * Why the artifacts could not be sent.
 *
 * @since 0.2.0
 * @category models
 */
export const ArtifactsProblem: Schema.Literal<
  [
    "FolderNotFound",
    "NotAFolder",
    "NoManifest",
    "NotAManifest",
    "TooLarge",
    "FileNotFound",
    "NotAFile",
    "Unreadable",
    "ReadFailed"
  ]
> = Schema.Literal(...ARTIFACTS_PROBLEMS)

const DatafoldArtifactsErrorBase: TaggedErrorBase<DatafoldArtifactsError, "DatafoldArtifactsError", {
  reason: typeof ArtifactsProblem
  location: typeof Schema.String
  path: Schema.optional<typeof Schema.String>
  detail: typeof Schema.String
}> = Schema.TaggedError<DatafoldArtifactsError>()("DatafoldArtifactsError", {
  reason: ArtifactsProblem,
  /** The target folder (or manifest file) as it was given. */
  location: Schema.String,
  /** The entry at fault inside the folder, with `/` separators, when it is one entry. */
  path: Schema.optional(Schema.String),
  /** The system's words (`ENOENT`, `EACCES` …). */
  detail: Schema.String
})

/**
 * The dbt artifacts could not be sent. Every reason but `ReadFailed` is found before
 * anything is sent; `ReadFailed` is a file that could not be read once the upload had
 * begun, which was then abandoned before it completed.
 *
 * @example
 * ```ts
 * import { Console, Effect } from "effect"
 * import { DatafoldClient, uploadDbtArtifacts } from "effect-datafold"
 *
 * const program = uploadDbtArtifacts(1234, {
 *   runType: "production",
 *   targetFolder: "target",
 *   commitSha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
 * }).pipe(
 *   Effect.catchTag("DatafoldArtifactsError", (e) =>
 *     e.reason === "NoManifest" || e.reason === "FolderNotFound"
 *       ? Console.error(`nothing to upload in ${e.location}: run dbt first`)
 *       : Effect.fail(e))
 * )
 *
 * await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export class DatafoldArtifactsError extends DatafoldArtifactsErrorBase {
  override get message(): string {
    return artifactsErrorMessage(this)
  }
}
