/**
 * The GitHub Action's inputs, read the way the runner hands them to a JavaScript action:
 * one environment variable per input, `INPUT_` + the name upper-cased with spaces turned
 * into underscores (hyphens are kept: `ci-config-id` → `INPUT_CI-CONFIG-ID`), set to the
 * empty string when the workflow leaves the input out.
 *
 * @module
 */
import type { Env } from "../cli/facts/CiEnvironment.ts"

/** What the action runs: the `command` input's values, each a `datafold-ci` command. */
export const actionCommands = {
  trigger: ["trigger"],
  submit: ["submit"],
  "dbt-upload": ["dbt", "upload"],
  "dbt-upload-and-wait": ["dbt", "upload-and-wait"]
} as const

/** A `command` input value. */
export type ActionCommand = keyof typeof actionCommands

/** The inputs that become flags of the same name, in action.yml's order, with the commands that take each. */
export const flagInputs = {
  "ci-config-id": ["trigger", "submit", "dbt-upload", "dbt-upload-and-wait"],
  host: ["trigger", "submit", "dbt-upload", "dbt-upload-and-wait"],
  retries: ["trigger", "submit", "dbt-upload", "dbt-upload-and-wait"],
  "pr-num": ["trigger", "submit"],
  "pr-branch": ["trigger"],
  "base-branch": ["trigger"],
  "pr-sha": ["trigger"],
  "base-sha": ["trigger"],
  diffs: ["trigger", "submit"],
  "run-type": ["dbt-upload", "dbt-upload-and-wait"],
  "target-folder": ["dbt-upload", "dbt-upload-and-wait"],
  "commit-sha": ["dbt-upload", "dbt-upload-and-wait"],
  "run-id": ["dbt-upload", "dbt-upload-and-wait"],
  "wait-timeout": ["trigger", "submit", "dbt-upload", "dbt-upload-and-wait"]
} as const satisfies Record<string, ReadonlyArray<ActionCommand>>

/** The input holding the API key; without it the key comes from `DATAFOLD_API_KEY` in the step's env. */
export const apiKeyInput = "api-key"

/**
 * Every input action.yml declares: the command, the key, the seconds per attempt
 * (`timeout`, passed as `--request-timeout`, which means the same on every command), the
 * flags, and `wait`.
 */
export const actionInputs: ReadonlyArray<string> = [
  "command",
  "ci-config-id",
  apiKeyInput,
  "timeout",
  ...Object.keys(flagInputs).filter((name) => name !== "ci-config-id"),
  "wait"
]

/** The environment variable the runner sets for an input. */
export const inputVariable = (name: string): string => `INPUT_${name.replaceAll(" ", "_").toUpperCase()}`

/** An input's value, trimmed; undefined when the workflow did not give it. */
export const readInput = (env: Env, name: string): string | undefined => {
  const value = env[inputVariable(name)]?.trim()
  return value === undefined || value === "" ? undefined : value
}

/** The `command` input, or why it cannot be run. */
export const actionCommandOf = (env: Env): { readonly command: ActionCommand } | { readonly problem: string } => {
  const given = readInput(env, "command") ?? "trigger"
  return Object.hasOwn(actionCommands, given) ? { command: given as ActionCommand } : {
    problem: `The command input ${JSON.stringify(given)} is not one of ${
      Object.keys(actionCommands).join(", ")
    } (default trigger).`
  }
}

/** Whether the `wait` input is on: `true`, `yes`, `1` (any case). */
const isOn = (value: string | undefined): boolean => value !== undefined && /^(true|yes|1)$/i.test(value)

/**
 * The `datafold-ci` arguments for the given inputs: the command with `--json`, and one
 * `--name=value` per input given that the command takes (the `=` form, so a value is
 * never read as a flag). `wait` turns `trigger` and `submit` into `--wait`, and
 * `dbt-upload` into `dbt upload-and-wait`.
 */
export const commandArgs = (env: Env, command: ActionCommand): ReadonlyArray<string> => {
  const wait = isOn(readInput(env, "wait"))
  const words = command === "dbt-upload" && wait ? actionCommands["dbt-upload-and-wait"] : actionCommands[command]
  const timeout = readInput(env, "timeout")
  return [
    ...words,
    "--json",
    ...(timeout === undefined ? [] : [`--request-timeout=${timeout}`]),
    ...Object.entries(flagInputs).flatMap(([name, commands]) => {
      const value = readInput(env, name)
      return value === undefined || !(commands as ReadonlyArray<string>).includes(command) ? [] : [`--${name}=${value}`]
    }),
    ...(wait && (command === "trigger" || command === "submit") ? ["--wait"] : [])
  ]
}

/**
 * The environment the CLI program runs with: the step's own, with the `api-key` input (when
 * given) as `DATAFOLD_API_KEY`, and no `INPUT_*` variable left to carry the key elsewhere.
 */
export const programEnv = (env: Env): Env => {
  const apiKey = readInput(env, apiKeyInput)
  const kept = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("INPUT_")))
  return apiKey === undefined ? kept : { ...kept, DATAFOLD_API_KEY: apiKey }
}
