/**
 * Waiting for a CI run from the command line, with its progress: loaded only by a
 * command that waits (`--wait`, `dbt upload-and-wait`).
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { CiRun } from "../../CiRun.ts"
import { formatElapsed } from "../../core/elapsed.ts"
import type { DatafoldClientService } from "../../DatafoldClientService.ts"
import type { RunTarget, WaitProgress } from "../../RunWait.ts"
import type { Progress } from "./io.ts"
import { runStatusPhrase } from "./text.ts"
import type { WaitSettings } from "../args/waitFlags.ts"

/** A run that ended `done`, and how long the wait took. */
export interface FollowedRun {
  readonly run: CiRun
  readonly elapsedMillis: number
}

/** How often a CI log hears from a wait whose status stays the same: CI systems kill silent jobs. */
const HEARTBEAT_MILLIS = 60_000

/**
 * The run's page in the Datafold app. Datafold does not document the form; this is
 * `{host}/ci/{ci_config_id}/runs/{run_id}`, after the diffs' `{host}/datadiffs/{id}/overview`.
 */
export const runLink = (host: string, ciConfigId: number, runId: number): string =>
  `${host}/ci/${ciConfigId}/runs/${runId}`

/**
 * What a wait says as it goes: the run's status, the time waited and the run's link; once,
 * how many listed runs were skipped as not ours; a failed look as it is retried. In a log,
 * a line per status change, and again each minute of the wait while it stays the same (the
 * key carries the minute); on a terminal, one live line.
 */
export const showWaitProgress = (progress: Progress, what: string, link?: (runId: number) => string) => {
  let lastKey = ""
  let lastShownAt = 0
  let skippedSaid = false
  return (step: WaitProgress): Effect.Effect<void> =>
    Effect.sync(() => {
      const elapsed = formatElapsed(step.elapsedMillis)
      if (step._tag !== "LookFailed" && step.skipped > 0 && !skippedSaid) {
        skippedSaid = true
        progress.note(
          `skipped ${step.skipped} listed run${step.skipped === 1 ? "" : "s"} not ours (another commit, PR or run id)`
        )
      }
      const status = step._tag === "NotYetListed"
        ? "not-listed"
        : step._tag === "LookFailed"
        ? "look-failed"
        : step.run.status
      if (status !== lastKey || step.elapsedMillis - lastShownAt >= HEARTBEAT_MILLIS) {
        lastKey = status
        lastShownAt = step.elapsedMillis
      }
      const key = `${status}@${lastShownAt}`
      if (step._tag === "LookFailed") {
        progress.status(`listing the runs failed, looking again (${elapsed}): ${step.error.message}`, key)
      } else if (step._tag === "NotYetListed") {
        progress.status(`waiting for Datafold to list ${what} (${elapsed})`, key)
      } else {
        const where = link === undefined ? "" : `: ${link(step.run.id)}`
        progress.status(
          `Datafold CI run ${step.run.id} ${runStatusPhrase(step.run.status)} (${elapsed})${where}`,
          key
        )
      }
    })
}

/** Waits for the run, showing its progress; ends the progress line whatever the outcome. */
export const followRun = (
  client: DatafoldClientService,
  ciConfigId: number,
  target: RunTarget,
  settings: WaitSettings,
  progress: Progress,
  host?: string
) => {
  const what = "ciRunId" in target ? `CI run ${target.ciRunId}` : `a CI run for commit ${target.prSha.slice(0, 7)}`
  return client.waitForRun(ciConfigId, target, {
    timeout: settings.timeout,
    appearWithin: settings.appearWithin,
    pollEvery: settings.pollEvery,
    onProgress: showWaitProgress(
      progress,
      what,
      host === undefined ? undefined : (runId) => runLink(host, ciConfigId, runId)
    )
  }).pipe(
    Effect.timed,
    Effect.map(([elapsed, run]): FollowedRun => ({ run, elapsedMillis: Math.round(Duration.toMillis(elapsed)) })),
    Effect.ensuring(Effect.sync(progress.end))
  )
}
