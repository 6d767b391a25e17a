/**
 * One `datafold-ci` command as `main` runs it: the work, and how its result is shown.
 * Each command's own module exports one of these, and `main` imports that module only
 * when the command runs.
 *
 * @module
 */
import type * as Effect from "effect/Effect"
import type { CommandArgs } from "../args/CliArgs.ts"
import type { CliFailure } from "./CliFailure.ts"
import type { ExitCode } from "./ExitCode.ts"
import type { CommandContext } from "./context.ts"

/** A command whose result is an `A`. */
export interface Command<A> {
  /** Does the work: the result, or a failure `main` reports. */
  readonly run: (args: CommandArgs, context: CommandContext) => Effect.Effect<A, CliFailure>
  /** The result for people: stdout without `--json`. */
  readonly text: (a: A) => string
  /** The result as the one JSON object of `--json`. */
  readonly json: (a: A) => unknown
  /** The result as Markdown for the GitHub Actions step summary. */
  readonly summary: (a: A) => string
  /** The exit code of a result that should still fail the step (a gate that tripped); 0 when left out. */
  readonly exitCode?: ((a: A) => ExitCode) | undefined
}
