/**
 * `datafold-ci runs`: list a CI configuration's runs, optionally for one PR head SHA or
 * PR number.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { CiRun } from "../../../CiRun.ts"
import type { CommandArgs } from "../../args/CliArgs.ts"
import { describeArgument } from "../../args/CliArgs.ts"
import { cliClient } from "../../shell/cliClient.ts"
import { UsageError } from "../../args/CliError.ts"
import type { CliFailure } from "../../shell/CliFailure.ts"
import { readSettings } from "../../shell/CliSettings.ts"
import { attemptTimeoutOf } from "../../args/waitFlags.ts"
import { parsePrNumber } from "../../facts/PrFact.ts"
import type { Env } from "../../facts/CiEnvironment.ts"

/** The result of `datafold-ci runs`. */
export interface RunsOutcome {
  readonly ciConfigId: number
  readonly runs: ReadonlyArray<CiRun>
}

const invalid = (flag: string, value: string, expected: string) =>
  Either.left(new UsageError({ problem: `${flag} ${describeArgument(value)} is invalid: ${expected}.` }))

/** The filters, checked: a bad value is refused before anything is sent. */
const checkFilters = (
  args: CommandArgs
): Either.Either<
  { readonly prSha?: string; readonly prNumber?: number; readonly limit?: number },
  UsageError
> => {
  const filters: { prSha?: string; prNumber?: number; limit?: number } = {}
  if (args.prSha !== undefined) {
    const sha = args.prSha.trim()
    if (!/^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(sha)) {
      return invalid("--pr-sha", args.prSha, "it takes a full commit SHA (40 or 64 hexadecimal characters)")
    }
    filters.prSha = sha.toLowerCase()
  }
  if (args.prNumber !== undefined) {
    const n = parsePrNumber(args.prNumber)
    if (n === undefined) return invalid("--pr-num", args.prNumber, "it takes a positive whole number, e.g. --pr-num 42")
    filters.prNumber = n
  }
  if (args.limit !== undefined) {
    const n = /^\d{1,4}$/.test(args.limit.trim()) ? Number(args.limit.trim()) : Number.NaN
    if (!(n >= 1 && n <= 1000)) return invalid("--limit", args.limit, "it takes a whole number from 1 to 1000")
    filters.limit = n
  }
  return Either.right(filters)
}

/** Runs `datafold-ci runs`. */
export const runs = (args: CommandArgs, context: { readonly env: Env }): Effect.Effect<RunsOutcome, CliFailure> =>
  Effect.gen(function* () {
    const settings = yield* readSettings(
      { ...args, dryRun: false, timeout: yield* attemptTimeoutOf(args, false) },
      context.env
    )
    const filters = yield* checkFilters(args)
    const ciConfigId = settings.ciConfigId.value
    const client = yield* cliClient(settings)
    const found = yield* client.listRuns(ciConfigId, filters)
    return { ciConfigId, runs: found }
  })
