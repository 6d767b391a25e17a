/**
 * The end of every command that waits for a CI run (`trigger --wait`, `submit --wait`,
 * `dbt upload-and-wait`): follow the run until it is done, then report it as
 * `datafold-ci results` does. The wait's and the report's code is loaded only by a
 * command that waits, so a plain trigger never parses it.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import type { DatafoldClientService } from "../../DatafoldClientService.ts"
import type { RunTarget } from "../../RunWait.ts"
import type { ReportRequest } from "../args/reportFlags.ts"
import type { WaitSettings } from "../args/waitFlags.ts"
import type { CliFailure } from "./CliFailure.ts"
import type { CliSettings } from "./CliSettings.ts"
import type { FollowedRun } from "./followRun.ts"
import type { Progress } from "./io.ts"
import type { ShownReport } from "./runReportOutput.ts"

/** A run followed until done, and its report, shown (none when it could not be read and nothing depended on it). */
export interface WaitedAndReported {
  readonly waited: FollowedRun
  readonly reported: ShownReport | undefined
}

/** What a waiting command hands over: where the run is, how to wait, what to report. */
export interface WaitAndReport {
  readonly client: DatafoldClientService
  readonly settings: CliSettings
  readonly target: RunTarget
  readonly wait: WaitSettings
  readonly request: ReportRequest
  readonly progress: Progress
  readonly cwd: string
  /** The Datafold app's host, for the run's link in the progress lines. */
  readonly host?: string | undefined
}

/**
 * Follows the run, then reports it. A report that cannot be read (the data-diff listing
 * refused, say) fails the command only when something depends on it (a `--fail-on` gate,
 * a `--markdown` or `--junit` file); otherwise the run's own outcome stands and a note
 * says how to read the report later.
 */
export const waitAndReport = (input: WaitAndReport): Effect.Effect<WaitedAndReported, CliFailure> =>
  Effect.gen(function* () {
    const [{ followRun }, { reportRun, showReport }] = yield* Effect.promise(() =>
      Promise.all([import("./followRun.ts"), import("./runReport.ts")])
    )
    const ciConfigId = input.settings.ciConfigId.value
    const waited = yield* followRun(input.client, ciConfigId, input.target, input.wait, input.progress, input.host)
    const needed = input.request.gates.length > 0 || input.request.files.markdown !== undefined ||
      input.request.files.junit !== undefined
    const report = Effect.map(
      reportRun(input.settings, waited.run.id, input.request, input.wait, input.cwd),
      showReport
    )
    const reported = needed ? yield* report : yield* report.pipe(
      Effect.catchAll((error) =>
        Effect.as(
          Effect.sync(() =>
            input.progress.note(
              `CI run ${waited.run.id} is done, but its report could not be read: ${error.message} ` +
                `Read it later with datafold-ci results --ci-config-id ${ciConfigId} --run-id ${waited.run.id}.`
            )
          ),
          undefined
        )
      )
    )
    return { waited, reported }
  })
