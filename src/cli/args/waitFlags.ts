/**
 * The flags of a wait, and the per-attempt timeout each command reads: `--wait-timeout`
 * in minutes, `--appear-timeout` and `--poll-interval` in seconds. `--timeout` means
 * minutes to wait on `dbt upload-and-wait`, as in the Python SDK, and seconds per attempt
 * everywhere else; `--request-timeout` is seconds per attempt everywhere.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import { WAIT_DEFAULT_MILLIS } from "../../core/dbt/runStatus.ts"
import { type CommandArgs, describeArgument } from "./CliArgs.ts"
import { UsageError } from "./CliError.ts"

/** How long to wait and how often to look. */
export interface WaitSettings {
  readonly timeout: Duration.Duration
  readonly appearWithin: Duration.Duration
  readonly pollEvery: Duration.Duration
}

const positive = (flag: string, raw: string, unit: string, example: string, scale: number) => {
  const value = /^\d+(?:\.\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN
  return Number.isFinite(value) && value > 0
    ? Either.right(Duration.millis(Math.max(1, Math.round(value * scale))))
    : Either.left(
      new UsageError({
        problem: `${flag} ${
          describeArgument(raw)
        } is invalid: it takes a positive number of ${unit}, e.g. ${flag} ${example}.`
      })
    )
}

/** One value given by two flags: refused when they disagree. */
const oneOf = (
  a: readonly [flag: string, value: string | undefined],
  b: readonly [flag: string, value: string | undefined]
): Either.Either<readonly [flag: string, value: string] | undefined, UsageError> =>
  a[1] !== undefined && b[1] !== undefined && a[1].trim() !== b[1].trim()
    ? Either.left(new UsageError({ problem: `${a[0]} and ${b[0]} say the same thing and disagree: give one.` }))
    : a[1] !== undefined
    ? Either.right([a[0], a[1]])
    : b[1] !== undefined
    ? Either.right([b[0], b[1]])
    : Either.right(undefined)

/**
 * The per-attempt timeout as given, for the settings: `--request-timeout`, or `--timeout`
 * except on `dbt upload-and-wait`, where `--timeout` is the wait's (in minutes).
 */
export const attemptTimeoutOf = (
  args: CommandArgs,
  timeoutIsWaitMinutes: boolean
): Either.Either<string | undefined, UsageError> =>
  timeoutIsWaitMinutes
    ? Either.right(args.requestTimeout)
    : Either.map(oneOf(["--request-timeout", args.requestTimeout], ["--timeout", args.timeout]), (given) => given?.[1])

/** The wait's settings from the flags. */
export const readWaitSettings = (
  args: CommandArgs,
  timeoutIsWaitMinutes: boolean
): Either.Either<WaitSettings, UsageError> =>
  Either.gen(function* () {
    const given = timeoutIsWaitMinutes
      ? yield* oneOf(["--timeout", args.timeout], ["--wait-timeout", args.waitTimeout])
      : args.waitTimeout === undefined
      ? undefined
      : (["--wait-timeout", args.waitTimeout] as const)
    const timeout = given === undefined
      ? Duration.millis(WAIT_DEFAULT_MILLIS.timeout)
      : yield* positive(given[0], given[1], "minutes", "60", 60_000)
    const appearWithin = args.appearTimeout === undefined
      ? Duration.millis(WAIT_DEFAULT_MILLIS.appearWithin)
      : yield* positive("--appear-timeout", args.appearTimeout, "seconds", "60", 1000)
    const pollEvery = args.pollInterval === undefined
      ? Duration.millis(WAIT_DEFAULT_MILLIS.pollEvery)
      : yield* positive("--poll-interval", args.pollInterval, "seconds", "2", 1000)
    return { timeout, appearWithin, pollEvery }
  })
