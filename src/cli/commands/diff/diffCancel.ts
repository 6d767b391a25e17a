/**
 * `datafold-ci diff cancel ID`: asks Datafold to cancel a queued or running data diff.
 * A diff that has already ended keeps its status; the output says so.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import { dataDiffLink } from "../../../core/diffs/paths.ts"
import type { CommandArgs } from "../../args/CliArgs.ts"
import { readDiffIds } from "../../args/diffFlags.ts"
import { dataDiffsFor } from "../../shell/cliDataDiffs.ts"
import type { CliFailure } from "../../shell/CliFailure.ts"
import type { Command } from "../../shell/Command.ts"
import type { CommandContext } from "../../shell/context.ts"

/** The diff's status after the cancel. */
export interface CancelOutcome {
  readonly diffId: number
  readonly status: string
  readonly link: string
}

/** Whether the status is one a diff ends in, so a cancel changed nothing. */
const hadEnded = (status: string): boolean => status === "done" || status === "failed"

/** Runs `datafold-ci diff cancel`. */
export const diffCancel = (args: CommandArgs, context: CommandContext): Effect.Effect<CancelOutcome, CliFailure> =>
  Effect.gen(function* () {
    const [id] = yield* readDiffIds(args.ids, "diff cancel")
    const { diffs } = yield* dataDiffsFor(args, context.env)
    const cancelled = yield* diffs.cancelDataDiff(id)
    return { diffId: cancelled.id, status: cancelled.status, link: dataDiffLink(diffs.host, cancelled.id) }
  })

const sentence = (outcome: CancelOutcome): string =>
  outcome.status === "cancelled"
    ? `Cancelled data diff ${outcome.diffId}: ${outcome.link}`
    : hadEnded(outcome.status)
    ? `Data diff ${outcome.diffId} had already ended (${outcome.status}): nothing to cancel. ${outcome.link}`
    : `Asked Datafold to cancel data diff ${outcome.diffId}; its status is ${outcome.status} for now: ${outcome.link}`

/** `diff cancel` as `main` runs it. */
export const diffCancelCommand: Command<CancelOutcome> = {
  run: diffCancel,
  text: (outcome) => `${sentence(outcome)}\n`,
  json: (outcome) => ({
    ok: true,
    diff_id: outcome.diffId,
    status: outcome.status,
    cancelled: outcome.status === "cancelled",
    link: outcome.link
  }),
  summary: (outcome) => `### Datafold: ${sentence(outcome)}\n`
}
