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
import * as FiberRef from "effect/FiberRef"
import * as HashMap from "effect/HashMap"
import * as HashSet from "effect/HashSet"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import { VERSION } from "../version.ts"
import { type CommandArgs, commandNames, parseCliArgs, wantsJson } from "./args/CliArgs.ts"
import { UsageError } from "./args/CliError.ts"
import type { CliFailure } from "./shell/CliFailure.ts"
import type { Command } from "./shell/Command.ts"
import type { MainContext } from "./shell/context.ts"
import { ExitCode, exitCodeFor } from "./shell/ExitCode.ts"
import { type CliIo, makeProgress } from "./shell/io.ts"
import { retryNote } from "./shell/retryNote.ts"
import {
  emptyValueWarning,
  failureJson,
  internalErrorJson,
  jsonLine,
  keyMissingWarning,
  renderFailureText
} from "./shell/mainOutput.ts"
import { appendStepSummary, failureSummary } from "./shell/stepSummary.ts"
import { errorAnnotation, isGithubActions } from "./shell/workflowCommands.ts"

const formatLogMessage = (message: unknown): string =>
  (Array.isArray(message) ? message : [message]).map((part) => (typeof part === "string" ? part : String(part))).join(
    " "
  )

/**
 * Effect's logs (the library's, and ours) go to stderr, so stdout holds only the result:
 * the default logger swapped for one that writes there (as `Logger.replace` does, but
 * without a `Layer`, whose code a one-shot run would otherwise load).
 */
const withStderrLogger = (io: CliIo) => {
  const stderrLogger = Logger.make(({ annotations, logLevel, message }) => {
    if (LogLevel.lessThan(logLevel, LogLevel.Info)) {
      // Of the debug logs, only the library's retries are said: as they happen, in plain words.
      const retry = HashMap.get(annotations, "datafold.retry")
      if (Option.isNone(retry)) return
      const retries = Option.getOrUndefined(HashMap.get(annotations, "datafold.retries"))
      io.stderr(
        `datafold-ci: ${
          retryNote({
            retry: Number(retry.value),
            retries: retries === undefined ? undefined : Number(retries),
            reason: String(Option.getOrElse(HashMap.get(annotations, "datafold.reason"), () => "a failure")),
            waitMillis: Number(Option.getOrElse(HashMap.get(annotations, "datafold.wait_ms"), () => 0))
          })
        }\n`
      )
      return
    }
    io.stderr(`datafold-ci: ${logLevel.label.toLowerCase()}: ${formatLogMessage(message)}\n`)
  })
  return <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.locallyWith(
      Logger.withMinimumLogLevel(effect, LogLevel.Debug),
      FiberRef.currentLoggers,
      (loggers) => HashSet.add(HashSet.remove(loggers, Logger.defaultLogger), stderrLogger)
    )
}

/**
 * Reports a failure on every channel that applies, and gives its exit code. `command`
 * names what ran (`dbt upload`) in the annotation's title and the step summary; a
 * command line whose command cannot be told is `datafold-ci`'s own.
 */
const reportFailure = (
  error: CliFailure,
  json: boolean,
  context: MainContext,
  command: string | undefined,
  args?: CommandArgs
): Effect.Effect<ExitCode> =>
  Effect.gen(function* () {
    const code = exitCodeFor(error)
    const { io } = context
    // The library's messages say "check DATAFOLD_HOST"; the user who gave --host set that instead.
    const message = args?.host !== undefined && args.host.trim() !== ""
      ? error.message.replaceAll("DATAFOLD_HOST", "--host")
      : error.message
    io.stderr(renderFailureText({ message }))
    if (json) io.stdout(jsonLine(failureJson(error)))
    if (isGithubActions(context.env)) {
      const what = command === undefined ? "datafold-ci" : `Datafold ${command}`
      io.stderr(errorAnnotation(message, `${what} failed`))
      yield* appendStepSummary(context.env, failureSummary(error, code, command))
    }
    return code
  })

/** Runs one command: the result on stdout (text or one JSON object), a step summary on GitHub Actions. */
const runCommand = <A>(
  command: string,
  args: CommandArgs,
  context: MainContext,
  run: Effect.Effect<A, CliFailure>,
  render: Pick<Command<A>, "text" | "json" | "summary" | "exitCode">,
  warnings: (a: A) => string = () => ""
): Effect.Effect<ExitCode> =>
  run.pipe(
    Effect.matchEffect({
      // A flag refused deep in a command still points to that command's help.
      onFailure: (error) =>
        reportFailure(
          error._tag === "UsageError" && error.command === undefined
            ? new UsageError({ problem: error.problem, command })
            : error,
          args.json,
          context,
          command,
          args
        ),
      onSuccess: (outcome) =>
        Effect.gen(function* () {
          const warning = warnings(outcome)
          if (warning !== "") context.io.stderr(warning)
          context.io.stdout(args.json ? jsonLine(render.json(outcome)) : render.text(outcome))
          if (isGithubActions(context.env)) yield* appendStepSummary(context.env, render.summary(outcome))
          // A result can still fail the step: a `--fail-on` gate that tripped.
          return render.exitCode?.(outcome) ?? ExitCode.Triggered
        })
    })
  )

/** The context a command runs in, with its progress on stderr (live on a terminal). */
const withProgress = (context: MainContext) => ({
  ...context,
  progress: makeProgress(context.io, context.stderrIsTerminal === true)
})

/** The help text's module: only `--help` and a missing command need it. */
const loadHelp = Effect.promise(() => import("./commands/help/help.ts"))

/** A dry run without `DATAFOLD_API_KEY` warns that a real run needs it. */
const keyWarning = (outcome: unknown): string =>
  typeof outcome === "object" && outcome !== null && "keyMissing" in outcome && outcome.keyMissing === true
    ? keyMissingWarning
    : ""

const program = (argv: ReadonlyArray<string>, context: MainContext): Effect.Effect<ExitCode> => {
  const json = wantsJson(argv)
  const parsed = parseCliArgs(argv)
  if (Either.isLeft(parsed)) return reportFailure(parsed.left, json, context, parsed.left.command)
  const command = parsed.right
  if ("args" in command) {
    for (const flag of command.args.emptyValues ?? []) context.io.stderr(emptyValueWarning(flag))
  }
  switch (command._tag) {
    case "Help":
      return Effect.map(loadHelp, ({ helpText }) => {
        context.io.stdout(helpText(command.command))
        return ExitCode.Triggered
      })
    case "Version":
      return Effect.sync(() => {
        context.io.stdout(`${VERSION}\n`)
        return ExitCode.Triggered
      })
    case "Usage":
      return Effect.zipRight(
        Effect.map(loadHelp, ({ helpText }) => context.io.stderr(helpText())),
        reportFailure(
          new UsageError({
            problem: `No command given: the commands are ${commandList()}.`
          }),
          json,
          context,
          undefined
        )
      )
    // Each command's module is loaded only when that command runs (in the bundle, a chunk
    // file of its own), so a trigger does not parse, nor set up the schemas of, the others.
    case "Trigger":
      return Effect.flatMap(
        Effect.promise(() => import("./commands/trigger/triggerCommand.ts")),
        ({ triggerCommand }) =>
          runCommand(
            "trigger",
            command.args,
            context,
            triggerCommand.run(command.args, withProgress(context)),
            triggerCommand,
            keyWarning
          )
      )
    case "Submit":
      return Effect.flatMap(
        Effect.promise(() => import("./commands/submit/submitCommand.ts")),
        ({ submitCommand }) =>
          runCommand(
            "submit",
            command.args,
            context,
            submitCommand.run(command.args, withProgress(context)),
            submitCommand,
            keyWarning
          )
      )
    case "Runs":
      return Effect.flatMap(
        Effect.promise(() => import("./commands/runs/runsCommand.ts")),
        ({ runsCommand }) =>
          runCommand("runs", command.args, context, runsCommand.run(command.args, context), runsCommand)
      )
    case "Results":
      return Effect.flatMap(
        Effect.promise(() => import("./commands/results/resultsCommand.ts")),
        ({ resultsCommand }) =>
          runCommand(
            "results",
            command.args,
            context,
            resultsCommand.run(command.args, withProgress(context)),
            resultsCommand
          )
      )
    case "Dbt":
      return Effect.flatMap(
        Effect.promise(() => import("./commands/dbt/dbtCommand.ts")),
        ({ dbtCommand }) => {
          const dbt = dbtCommand(command.command)
          return runCommand(
            `dbt ${command.command}`,
            command.args,
            context,
            dbt.run(command.args, withProgress(context)),
            dbt,
            keyWarning
          )
        }
      )
    case "Diff": {
      const name = `diff ${command.command}`
      const { args } = command
      const sub = command.command
      if (sub === "dbt") {
        return Effect.flatMap(
          Effect.promise(() => import("./commands/diffDbt/diffDbtCommand.ts")),
          ({ diffDbtCommand }) =>
            runCommand(name, args, context, diffDbtCommand.run(args, withProgress(context)), diffDbtCommand, keyWarning)
        )
      }
      return Effect.flatMap(
        Effect.promise(() => import("./commands/diff/diffCommand.ts")),
        ({ withDiffCommand }) =>
          withDiffCommand(
            sub,
            (diff) => runCommand(name, args, context, diff.run(args, withProgress(context)), diff, keyWarning)
          )
      )
    }
    case "Doctor":
      return Effect.flatMap(
        Effect.promise(() => import("./commands/doctor/doctorCommand.ts")),
        ({ doctorCommand }) =>
          runCommand("doctor", command.args, context, doctorCommand.run(command.args, context), doctorCommand)
      )
    case "Serve":
      return Effect.flatMap(
        Effect.promise(() => import("./commands/serve/serve.ts")),
        ({ serve }) =>
          serve(command.args, context).pipe(
            Effect.catchAll((error) => reportFailure(error, false, context, "serve"))
          )
      )
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
    const exit = await Effect.runPromiseExit(program(argv, context).pipe(withStderrLogger(context.io)))
    if (Exit.isSuccess(exit)) return exit.value
    const first = Cause.squash(exit.cause)
    return internalError(first instanceof Error ? first.message : String(first))
  } catch (error) {
    return internalError(error instanceof Error ? error.message : String(error))
  }
}

/** The commands as a sentence's list: "`trigger`, `submit`, … and `doctor`". */
const commandList = (): string => {
  const quoted = commandNames.map((name) => `\`${name}\``)
  return `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`
}
