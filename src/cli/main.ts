/**
 * The whole `datafold-ci` program as a function of its inputs (arguments, environment,
 * working directory, output streams) to an exit code, so the entry stays tiny and the
 * program can be run in-process or as a child the same way.
 *
 * @module
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import { VERSION } from "../version.ts"
import type { Env } from "./CiEnvironment.ts"
import { parseCliArgs, type TriggerArgs, wantsJson } from "./CliArgs.ts"
import { UsageError } from "./CliError.ts"
import type { CliFailure } from "./CliFailure.ts"
import { ExitCode, exitCodeFor } from "./ExitCode.ts"
import { appendStepSummary, errorAnnotation, failureSummary, isGithubActions, outcomeSummary } from "./GithubActions.ts"
import { helpText } from "./help.ts"
import { failureJson, internalErrorJson, jsonLine, renderFailureText, renderText, toJson } from "./Output.ts"
import { trigger } from "./trigger.ts"

/** Where the program writes. */
export interface CliIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

/** Everything the program reads from its surroundings. */
export interface MainContext {
  readonly env: Env
  readonly cwd: string
  readonly io: CliIo
}

const formatLogMessage = (message: unknown): string =>
  (Array.isArray(message) ? message : [message]).map((part) => (typeof part === "string" ? part : String(part))).join(
    " "
  )

/** Effect's logs (the library's, and ours) go to stderr, so stdout holds only the result. */
const stderrLogger = (io: CliIo) =>
  Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ logLevel, message }) => {
      io.stderr(`datafold-ci: ${logLevel.label.toLowerCase()}: ${formatLogMessage(message)}\n`)
    })
  )

/** Reports a failure on every channel that applies, and gives its exit code. */
const reportFailure = (error: CliFailure, json: boolean, context: MainContext): Effect.Effect<ExitCode> =>
  Effect.gen(function* () {
    const code = exitCodeFor(error)
    const { io } = context
    io.stderr(renderFailureText(error))
    if (json) io.stdout(jsonLine(failureJson(error)))
    if (isGithubActions(context.env)) {
      io.stderr(errorAnnotation(error.message))
      yield* appendStepSummary(context.env, failureSummary(error, code))
    }
    return code
  })

const runTrigger = (args: TriggerArgs, context: MainContext): Effect.Effect<ExitCode> =>
  trigger(args, context).pipe(
    Effect.matchEffect({
      onFailure: (error) => reportFailure(error, args.json, context),
      onSuccess: (outcome) =>
        Effect.gen(function* () {
          context.io.stdout(args.json ? jsonLine(toJson(outcome)) : renderText(outcome))
          if (isGithubActions(context.env)) yield* appendStepSummary(context.env, outcomeSummary(outcome))
          return ExitCode.Triggered
        })
    })
  )

const program = (argv: ReadonlyArray<string>, context: MainContext): Effect.Effect<ExitCode> => {
  const json = wantsJson(argv)
  const parsed = parseCliArgs(argv)
  if (Either.isLeft(parsed)) return reportFailure(parsed.left, json, context)
  const command = parsed.right
  switch (command._tag) {
    case "Help":
      return Effect.sync(() => {
        context.io.stdout(helpText())
        return ExitCode.Triggered
      })
    case "Version":
      return Effect.sync(() => {
        context.io.stdout(`${VERSION}\n`)
        return ExitCode.Triggered
      })
    case "Usage":
      return Effect.zipRight(
        Effect.sync(() => context.io.stderr(helpText())),
        reportFailure(new UsageError({ problem: "No command given: the command is `trigger`." }), json, context)
      )
    case "Trigger":
      return runTrigger(command.args, context)
  }
}

/**
 * Runs `datafold-ci` with the given arguments (without the runtime and script paths) and
 * resolves to the exit code. Never rejects: a defect, which would be a bug, is reported
 * in one short line and exits 70.
 */
export const main = async (argv: ReadonlyArray<string>, context: MainContext): Promise<number> => {
  const internalError = (what: string): number => {
    context.io.stderr(`datafold-ci: internal error (a bug; please report it): ${what}\n`)
    if (wantsJson(argv)) context.io.stdout(jsonLine(internalErrorJson(what)))
    return ExitCode.Internal
  }
  try {
    const exit = await Effect.runPromiseExit(program(argv, context).pipe(Effect.provide(stderrLogger(context.io))))
    if (Exit.isSuccess(exit)) return exit.value
    const first = Cause.squash(exit.cause)
    return internalError(first instanceof Error ? first.message : String(first))
  } catch (error) {
    return internalError(error instanceof Error ? error.message : String(error))
  }
}
