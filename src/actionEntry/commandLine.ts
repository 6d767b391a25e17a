/**
 * The `datafold-ci` command line the action's inputs ask for, checked before anything is
 * sent: an unknown command, an input the command does not take (or takes only with
 * `wait: true`), a switch that is neither true nor false, or a missing CI config id is
 * refused with a message naming the input, so a typo in a workflow fails the step at once
 * rather than being dropped.
 *
 * @module
 */
import { join } from "node:path"
import { DEFAULT_TARGET_FOLDER } from "../cli/args/dbtDefaults.ts"
import type { Env } from "../cli/facts/CiEnvironment.ts"
import {
  type ActionCommand,
  actionCommandNames,
  actionCommands,
  type ActionInput,
  actionInputTable,
  readInput,
  switchValue
} from "./inputs.ts"

/** What the action runs: the command, the CLI's arguments, and the report files asked for. */
export interface ActionCommandLine {
  readonly command: ActionCommand
  readonly args: ReadonlyArray<string>
  /** The `markdown` and `junit` inputs, as given (relative to the working directory). */
  readonly files: { readonly markdown?: string | undefined; readonly junit?: string | undefined }
}

/** Why the inputs cannot be run, in words for the workflow's author. */
export interface InputProblem {
  readonly problem: string
}

const list = (names: ReadonlyArray<string>): string =>
  names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`

/** Where an input goes, for a message: "runs and results, and trigger with wait: true". */
const whereTaken = (input: ActionInput): string =>
  list(input.commands) +
  (input.whenWaiting === undefined ? "" : `, and ${list(input.whenWaiting)} with wait: true`)

const isCommand = (name: string): name is ActionCommand => Object.hasOwn(actionCommands, name)

/**
 * The command line for the inputs in `env`, or the first problem with them. Each value
 * goes as `--flag=value` (so it is never read as a flag), the manifest after `--`.
 */
export const actionCommandLine = (env: Env): ActionCommandLine | InputProblem => {
  const given = readInput(env, "command") ?? "trigger"
  if (!isCommand(given)) {
    return {
      problem: `The command input ${JSON.stringify(given)} is not one of ${
        actionCommandNames.join(", ")
      } (default trigger).`
    }
  }
  const switches: Record<string, boolean> = {}
  for (const [name, input] of Object.entries(actionInputTable)) {
    const value = readInput(env, name)
    if (input.kind !== "switch" || value === undefined) continue
    const on = switchValue(value)
    if (on === undefined) {
      return { problem: `The ${name} input ${JSON.stringify(value)} is neither true nor false.` }
    }
    switches[name] = on
  }
  const wait = switches["wait"] === true
  const command: ActionCommand = given === "dbt-upload" && wait ? "dbt-upload-and-wait" : given
  // `wait` on a command that cannot wait is refused below, as any input it does not take.
  const waiting = wait || given === "dbt-upload-and-wait"

  // An input is given when it has a value; a switch only when it is on ("false" is the default's meaning).
  const givenInputs = Object.entries(actionInputTable).filter(([name, input]) =>
    name !== "command" && (input.kind === "switch" ? switches[name] === true : readInput(env, name) !== undefined)
  )
  for (const [name, input] of givenInputs) {
    if (input.commands.includes(given)) continue
    if (input.whenWaiting?.includes(given) === true) {
      if (waiting) continue
      return {
        problem:
          `The ${name} input needs wait: true with command ${given}: it is about waiting for the CI run to end ` +
          `and reporting it, which the step does only with wait: true (or use command results in a later step).`
      }
    }
    return { problem: `The ${name} input does not go with command ${given}: it is for ${whereTaken(input)}.` }
  }
  if (
    command !== "diff-dbt" && readInput(env, "ci-config-id") === undefined &&
    (env["DATAFOLD_CI_CONFIG_ID"] ?? "").trim() === ""
  ) {
    return {
      problem: `The ci-config-id input is missing: command ${given} needs the Datafold CI config id ` +
        `(Datafold → Settings → CI), as the ci-config-id input or DATAFOLD_CI_CONFIG_ID in the step's env.`
    }
  }

  const flags = givenInputs.flatMap(([name, input]) => {
    // check-primary-keys reads the target folder only for the manifest's default.
    if (input.flag === undefined || (name === "target-folder" && command === "check-primary-keys")) return []
    return input.kind === "switch" ? [`--${input.flag}`] : [`--${input.flag}=${readInput(env, name)}`]
  })
  const manifest = command === "check-primary-keys"
    ? [
      "--",
      readInput(env, "manifest") ?? join(readInput(env, "target-folder") ?? DEFAULT_TARGET_FOLDER, "manifest.json")
    ]
    : []
  const waitFlag = wait && (command === "trigger" || command === "submit" || command === "results") ? ["--wait"] : []
  return {
    command,
    args: [...actionCommands[command], "--json", ...flags, ...waitFlag, ...manifest],
    files: { markdown: readInput(env, "markdown"), junit: readInput(env, "junit") }
  }
}
