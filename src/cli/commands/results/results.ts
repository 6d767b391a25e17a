/**
 * `datafold-ci results`: the report of a CI run (which tables its diffs found different,
 * by how much), found by `--run-id` or by the PR facts as `trigger` finds them; `--wait`
 * first waits for the run to appear and end. The run's diffs are always waited for, so
 * the report is their finished results. `--fail-on` turns findings into a failed step
 * (exit 12).
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { pickOwnRun } from "../../../core/dbt/ownRun.ts"
import type { CommandArgs } from "../../args/CliArgs.ts"
import { describeArgument } from "../../args/CliArgs.ts"
import { UsageError } from "../../args/CliError.ts"
import { attemptTimeoutOf, readWaitSettings } from "../../args/waitFlags.ts"
import { parsePrNumber } from "../../facts/PrFact.ts"
import { resolvePrFacts } from "../../facts/resolvePrFacts.ts"
import { cliClient } from "../../shell/cliClient.ts"
import type { CliFailure } from "../../shell/CliFailure.ts"
import { readSettings } from "../../shell/CliSettings.ts"
import type { CommandContext } from "../../shell/context.ts"
import { followRun } from "../../shell/followRun.ts"
import { silentProgress } from "../../shell/io.ts"
import { readReportRequest } from "../../args/reportFlags.ts"
import { type ReportedRun, reportRun } from "../../shell/runReport.ts"
import { NoCiRunFoundError } from "../../shell/ResultsError.ts"

/** The result of `datafold-ci results`: the report, the gates asked for and what tripped them. */
export type ResultsOutcome = ReportedRun

const readRunId = (raw: string | undefined): Either.Either<number | undefined, UsageError> => {
  if (raw === undefined) return Either.right(undefined)
  const id = parsePrNumber(raw)
  return id === undefined
    ? Either.left(
      new UsageError({
        problem: `--run-id ${describeArgument(raw)} is invalid: it takes a CI run's id, a positive whole number.`
      })
    )
    : Either.right(id)
}

/** Runs `datafold-ci results`. */
export const results = (args: CommandArgs, context: CommandContext): Effect.Effect<ResultsOutcome, CliFailure> =>
  Effect.gen(function* () {
    // Every flag is checked before a request: a typo in a gate fails the step at once.
    const request = yield* readReportRequest(args, true)
    const runId = yield* readRunId(args.runId)
    const waitFlags = yield* readWaitSettings(args, false)
    const waitSettings = args.wait === true ? waitFlags : undefined
    const settings = yield* readSettings({ ...args, timeout: yield* attemptTimeoutOf(args, false) }, context.env)
    const ciConfigId = settings.ciConfigId.value
    const client = yield* cliClient(settings)
    const progress = context.progress ?? silentProgress

    const target = runId !== undefined ? { ciRunId: runId } : yield* Effect.map(
      resolvePrFacts({
        flags: {
          prNumber: args.prNumber,
          prBranch: args.prBranch,
          baseBranch: args.baseBranch,
          prSha: args.prSha,
          baseSha: args.baseSha
        },
        env: context.env,
        cwd: context.cwd
      }),
      ({ facts }) => ({ prSha: facts.prSha.value.toLowerCase(), prNumber: facts.prNumber.value })
    )

    const ciRunId = waitSettings !== undefined
      ? (yield* followRun(client, ciConfigId, target, waitSettings, progress, settings.host.value)).run.id
      : "ciRunId" in target
      ? target.ciRunId
      : yield* Effect.flatMap(
        client.listRuns(ciConfigId, { prSha: target.prSha, prNumber: target.prNumber }),
        (listed) => {
          // The listing is judged run by run: a server that ignores the filter cannot hand us another commit's run.
          const own = pickOwnRun({ prSha: target.prSha, prNumber: target.prNumber, ciRunId: undefined }, listed).run
          return own === undefined
            ? Effect.fail(new NoCiRunFoundError({ ciConfigId, prNumber: target.prNumber, prSha: target.prSha }))
            : Effect.succeed(own.id)
        }
      )

    // The diffs are waited for up to --wait-timeout, whether or not the run was.
    return yield* reportRun(settings, ciRunId, request, waitFlags, context.cwd)
  })
