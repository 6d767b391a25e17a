/**
 * The flags of a run's report: `--fail-on` (the gates that fail the step), `--markdown`
 * and `--junit` (the files to write), read by `results` and by every command that waits
 * for a run, and checked before anything is sent.
 *
 * @module
 */
import * as Either from "effect/Either"
import { type Gate, GATES, parseGates } from "../../core/diffs/gates.ts"
import { type CommandArgs, describeArgument } from "./CliArgs.ts"
import { UsageError } from "./CliError.ts"

/** What the report flags ask for: the gates of `--fail-on` and the files to write. */
export interface ReportRequest {
  readonly gates: ReadonlyArray<Gate>
  /** `--markdown` and `--junit`: where to write the report, as given. */
  readonly files: { readonly markdown?: string | undefined; readonly junit?: string | undefined }
}

/** `--fail-on`, checked before anything is sent. */
export const readGates = (failOn: string | undefined): Either.Either<ReadonlyArray<Gate>, UsageError> => {
  if (failOn === undefined) return Either.right([])
  const parsed = parseGates(failOn)
  return parsed.ok ? Either.right(parsed.gates) : Either.left(
    new UsageError({
      problem: `--fail-on ${describeArgument(failOn)} is invalid: ${
        parsed.unknown.map((name) => describeArgument(name)).join(", ")
      } ${parsed.unknown.length === 1 ? "is not a gate" : "are not gates"}. The gates are ${
        GATES.join(", ")
      }, comma-separated, e.g. --fail-on different,schema.`
    })
  )
}

/**
 * `--fail-on`, `--markdown` and `--junit`, checked before anything is sent. A command
 * that reports only a run it waited for (`trigger`, `submit`) refuses them without
 * `--wait`: there would be no report to judge or write.
 */
export const readReportRequest = (
  args: CommandArgs,
  reports: boolean
): Either.Either<ReportRequest, UsageError> =>
  Either.gen(function* () {
    const gates = yield* readGates(args.failOn)
    if (!reports) {
      const given = [
        ...(args.failOn === undefined ? [] : ["--fail-on"]),
        ...(args.markdown === undefined ? [] : ["--markdown"]),
        ...(args.junit === undefined ? [] : ["--junit"])
      ]
      if (given.length > 0) {
        return yield* Either.left(
          new UsageError({
            problem: `${given.join(", ")} ${given.length === 1 ? "needs" : "need"} --wait: ` +
              `the report is of the run once it is done, so add --wait (or run datafold-ci results later).`
          })
        )
      }
    }
    return { gates, files: { markdown: args.markdown, junit: args.junit } }
  })
