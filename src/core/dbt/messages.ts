/**
 * The text of the dbt workflow's errors (an unusable target folder, a run that failed,
 * was cancelled, never appeared or did not finish in time), built from their fields.
 * Both Effect majors' error classes call these, so a message reads the same whichever
 * entry raised it.
 *
 * @since 0.2.0
 */
import { formatElapsed } from "../elapsed.ts"

/**
 * Why an artifacts file or folder could not be sent.
 *
 * @since 0.2.0
 * @category models
 */
export type ArtifactsProblemReason = typeof ARTIFACTS_PROBLEMS[number]

/**
 * Every {@link ArtifactsProblemReason}, in the order of the checks.
 *
 * @since 0.2.0
 * @category constants
 */
export const ARTIFACTS_PROBLEMS = [
  "FolderNotFound",
  "NotAFolder",
  "NoManifest",
  "NotAManifest",
  "TooLarge",
  "FileNotFound",
  "NotAFile",
  "Unreadable",
  "ReadFailed"
] as const

/** A SHA as git shows it in a line. */
const short = (sha: string): string => sha.slice(0, 7)

/**
 * `DatafoldArtifactsError`: what could not be sent, and what to do.
 *
 * @since 0.2.0
 * @category messages
 */
export const artifactsErrorMessage = (error: {
  readonly reason: ArtifactsProblemReason
  readonly location: string
  readonly path?: string | undefined
  readonly detail: string
}): string => {
  const { detail, location } = error
  const entry = error.path === undefined ? location : `${error.path} in ${location}`
  switch (error.reason) {
    case "FolderNotFound":
      return `The dbt target folder ${location} does not exist (${detail}); nothing was sent. ` +
        `Run dbt first (dbt build, dbt run or dbt compile), and give the folder it writes to (its target-path).`
    case "NotAFolder":
      return `${location} is not a folder; nothing was sent. Give the dbt target folder, the one that holds manifest.json.`
    case "NoManifest":
      return `The dbt target folder ${location} has no manifest.json; nothing was sent. ` +
        `Run dbt (dbt build, dbt run or dbt compile) before uploading, and check that this is the folder it wrote.`
    case "NotAManifest":
      return `${entry} is not a dbt manifest (${detail}); nothing was sent. ` +
        `Give the manifest.json dbt writes (dbt build, dbt run or dbt compile), and check that dbt finished writing it.`
    case "TooLarge":
      return `The dbt target folder ${location} is larger than the upload's safety limit (${detail}); nothing was sent. ` +
        `If it is the folder to upload, raise the limit: --max-upload-size SIZE (such as 20GB) or ` +
        `DATAFOLD_MAX_UPLOAD_SIZE for the CLI, the maxUploadBytes option for the library. Else remove what ` +
        `Datafold does not need from it (old compiled/ or run/ output, logs), or upload a folder holding only ` +
        `the artifacts (manifest.json, run_results.json, catalog.json).`
    case "FileNotFound":
      return `The file ${location} does not exist (${detail}); nothing was sent. Give the path of the dbt manifest.json.`
    case "NotAFile":
      return `${location} is not a file; nothing was sent. Give the path of the dbt manifest.json.`
    case "Unreadable":
      return `Could not read ${entry} (${detail}); nothing was sent. ` +
        `Let the CI user read every file of the folder, or remove the file.`
    case "ReadFailed":
      return `Reading ${entry} failed during the upload (${detail}), so the upload was abandoned before it ` +
        `completed. Make sure nothing changes the folder while it is uploaded (a dbt run still writing to it), ` +
        `then upload again.`
  }
}

/**
 * The run an outcome is about, as the errors of a wait carry it.
 *
 * @since 0.2.0
 * @category models
 */
export interface RunFacts {
  readonly id: number
  readonly pr_num: string
  readonly pr_sha: string
  readonly status: string
}

const runLabel = (ciConfigId: number, run: RunFacts): string =>
  `Datafold CI run ${run.id} (CI config ${ciConfigId}, PR #${run.pr_num}, commit ${short(run.pr_sha)})`

/**
 * `DatafoldRunFailedError`.
 *
 * @since 0.2.0
 * @category messages
 */
export const runFailedMessage = (error: {
  readonly ciConfigId: number
  readonly run: RunFacts
  readonly elapsedMillis: number
}): string =>
  `${runLabel(error.ciConfigId, error.run)} failed after ${formatElapsed(error.elapsedMillis)}. ` +
  `Open it in Datafold to see why (a model that did not build, a table it could not read), fix that, and push again.`

/**
 * `DatafoldRunCancelledError`.
 *
 * @since 0.2.0
 * @category messages
 */
export const runCancelledMessage = (error: {
  readonly ciConfigId: number
  readonly run: RunFacts
  readonly elapsedMillis: number
}): string =>
  `${runLabel(error.ciConfigId, error.run)} was cancelled after ${formatElapsed(error.elapsedMillis)}. ` +
  `Datafold cancels a pull request's run when a newer commit of it arrives: the newer commit's run has the results.`

/**
 * `DatafoldRunNotFoundError`: no run showed up in the listing in time.
 *
 * @since 0.2.0
 * @category messages
 */
export const runNotFoundMessage = (error: {
  readonly ciConfigId: number
  readonly prSha?: string | undefined
  readonly ciRunId?: number | undefined
  readonly waitedMillis: number
}): string => {
  const which = error.ciRunId !== undefined
    ? `CI run ${error.ciRunId}`
    : `CI run for commit ${short(error.prSha ?? "")}`
  return `Datafold showed no ${which} in CI config ${error.ciConfigId} within ${formatElapsed(error.waitedMillis)}. ` +
    `Check that this is the CI config the artifacts (or the trigger) went to, and that the commit is the pull ` +
    `request's head (a production upload starts no run); if Datafold is slow to start runs, wait longer.`
}

/**
 * `DatafoldRunTimeoutError`: the run was still going when the wait ran out.
 *
 * @since 0.2.0
 * @category messages
 */
export const runTimeoutMessage = (error: {
  readonly ciConfigId: number
  readonly run: RunFacts
  readonly waitedMillis: number
}): string =>
  `${runLabel(error.ciConfigId, error.run)} was still ${JSON.stringify(error.run.status)} after ` +
  `${
    formatElapsed(error.waitedMillis)
  }, the longest this waits. Wait longer (a larger timeout), or follow it in Datafold.`
