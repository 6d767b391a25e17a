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

/** What a wait says as it goes: the run's status and the time waited. */
const showProgress = (progress: Progress, what: string) => (step: WaitProgress): Effect.Effect<void> =>
  Effect.sync(() => {
    const elapsed = formatElapsed(step.elapsedMillis)
    if (step._tag === "NotYetListed") {
      progress.status(`waiting for Datafold to list ${what} (${elapsed})`, "not-listed")
    } else {
      progress.status(
        `Datafold CI run ${step.run.id} ${runStatusPhrase(step.run.status)} (${elapsed})`,
        step.run.status
      )
    }
  })

/** Waits for the run, showing its progress; ends the progress line whatever the outcome. */
export const followRun = (
  client: DatafoldClientService,
  ciConfigId: number,
  target: RunTarget,
  settings: WaitSettings,
  progress: Progress
) => {
  const what = "ciRunId" in target ? `CI run ${target.ciRunId}` : `a CI run for commit ${target.prSha.slice(0, 7)}`
  return client.waitForRun(ciConfigId, target, {
    timeout: settings.timeout,
    appearWithin: settings.appearWithin,
    pollEvery: settings.pollEvery,
    onProgress: showProgress(progress, what)
  }).pipe(
    Effect.timed,
    Effect.map(([elapsed, run]): FollowedRun => ({ run, elapsedMillis: Math.round(Duration.toMillis(elapsed)) })),
    Effect.ensuring(Effect.sync(progress.end))
  )
}
