/**
 * The GitHub Action's inputs, read the way the runner hands them to a JavaScript action:
 * one environment variable per input, `INPUT_` + the name upper-cased with spaces turned
 * into underscores (hyphens are kept: `ci-config-id` → `INPUT_CI-CONFIG-ID`), set to the
 * empty string when the workflow leaves the input out. Which command takes which input
 * is this module's table; `commandLine.ts` turns them into the CLI's arguments.
 *
 * @module
 */
import type { Env } from "../cli/facts/CiEnvironment.ts"

/** What the action runs: the `command` input's values, each a `datafold-ci` command. */
export const actionCommands = {
  trigger: ["trigger"],
  submit: ["submit"],
  runs: ["runs"],
  results: ["results"],
  "dbt-upload": ["dbt", "upload"],
  "dbt-upload-and-wait": ["dbt", "upload-and-wait"],
  "check-post-upload-dbt-artifacts": ["dbt", "check-post-upload-dbt-artifacts"],
  "check-primary-keys": ["dbt", "check-primary-keys"],
  "diff-dbt": ["diff", "dbt"]
} as const

/** A `command` input value. */
export type ActionCommand = keyof typeof actionCommands

/** Every `command` input value, in action.yml's order. */
export const actionCommandNames = Object.keys(actionCommands) as ReadonlyArray<ActionCommand>

/** One input: how it reaches the CLI, and which commands take it. */
export interface ActionInput {
  /** `value`: a flag with a value; `switch`: `true` or `false`, a flag without one when true. */
  readonly kind: "value" | "switch"
  /**
   * The CLI flag it becomes, without the dashes; `undefined` for an input the entry
   * handles itself (the command, the key, `wait`, the manifest).
   */
  readonly flag: string | undefined
  /** The commands that take it. */
  readonly commands: ReadonlyArray<ActionCommand>
  /** The commands that take it only with `wait: true` (the run is reported once it ends). */
  readonly whenWaiting?: ReadonlyArray<ActionCommand>
}

const every = actionCommandNames
const needsConfig = every.filter((command) => command !== "diff-dbt")
const dbtUploads = ["dbt-upload", "dbt-upload-and-wait"] as const
/** The commands that wait when `wait` is true. */
const waitable = ["trigger", "submit", "dbt-upload"] as const

/** A value input that becomes the flag of the same name. */
const flag = (
  name: string,
  commands: ReadonlyArray<ActionCommand>,
  whenWaiting?: ReadonlyArray<ActionCommand>
): ActionInput => ({ kind: "value", flag: name, commands, ...(whenWaiting === undefined ? {} : { whenWaiting }) })

/** A switch input that becomes the flag of the same name. */
const toggle = (name: string, commands: ReadonlyArray<ActionCommand>): ActionInput => ({
  kind: "switch",
  flag: name,
  commands
})

/** A waiting command's report inputs: results, diff-dbt and dbt-upload-and-wait always; the others with `wait`. */
const reporting = (name: string): ActionInput => flag(name, ["dbt-upload-and-wait", "results", "diff-dbt"], waitable)

/** The API key's input; without it the key comes from `DATAFOLD_API_KEY` in the step's env. */
export const apiKeyInput = "api-key"

/** Every input, in action.yml's order: how it reaches the CLI, and which commands take it. */
export const actionInputTable: Readonly<Record<string, ActionInput>> = {
  command: { kind: "value", flag: undefined, commands: every },
  "ci-config-id": flag("ci-config-id", needsConfig),
  [apiKeyInput]: { kind: "value", flag: undefined, commands: every },
  // `--request-timeout` means seconds per attempt on every command (`--timeout` does not).
  timeout: flag("request-timeout", every),
  host: flag("host", every),
  retries: flag("retries", every),
  "pr-num": flag("pr-num", ["trigger", "submit", "runs", "results"]),
  "pr-branch": flag("pr-branch", ["trigger", "results"]),
  "base-branch": flag("base-branch", ["trigger", "results"]),
  "pr-sha": flag("pr-sha", ["trigger", "runs", "results"]),
  "base-sha": flag("base-sha", ["trigger", "results"]),
  diffs: flag("diffs", ["trigger", "submit"]),
  "run-type": flag("run-type", [...dbtUploads, "check-post-upload-dbt-artifacts"]),
  "target-folder": flag("target-folder", [...dbtUploads, "check-primary-keys", "diff-dbt"]),
  "commit-sha": flag("commit-sha", [...dbtUploads, "check-post-upload-dbt-artifacts"]),
  "exact-commit": toggle("exact-commit", [...dbtUploads, "check-post-upload-dbt-artifacts"]),
  "run-id": flag("run-id", dbtUploads),
  // `results --run-id` is a CI run's id: the input is named for the trigger's `ci-run-id` output.
  "ci-run-id": flag("run-id", ["results"]),
  branch: flag("branch", ["check-post-upload-dbt-artifacts"]),
  "warn-only": toggle("warn-only", ["check-post-upload-dbt-artifacts"]),
  manifest: { kind: "value", flag: undefined, commands: ["check-primary-keys"] },
  "fail-on-missing": toggle("fail-on-missing", ["check-primary-keys"]),
  limit: flag("limit", ["runs"]),
  "data-source-id": flag("data-source-id", ["diff-dbt"]),
  "project-dir": flag("project-dir", ["diff-dbt"]),
  "wait-timeout": flag("wait-timeout", ["dbt-upload-and-wait", "results", "diff-dbt"], waitable),
  "appear-timeout": flag("appear-timeout", ["dbt-upload-and-wait"], [...waitable, "results"]),
  "poll-interval": flag("poll-interval", ["dbt-upload-and-wait", "results", "diff-dbt"], waitable),
  "fail-on": reporting("fail-on"),
  markdown: reporting("markdown"),
  junit: reporting("junit"),
  wait: { kind: "switch", flag: undefined, commands: [...waitable, "dbt-upload-and-wait", "results"] }
}

/** Every input action.yml declares, in its order. */
export const actionInputs: ReadonlyArray<string> = Object.keys(actionInputTable)

/** The environment variable the runner sets for an input. */
export const inputVariable = (name: string): string => `INPUT_${name.replaceAll(" ", "_").toUpperCase()}`

/** An input's value, trimmed; undefined when the workflow did not give it. */
export const readInput = (env: Env, name: string): string | undefined => {
  const value = env[inputVariable(name)]?.trim()
  return value === undefined || value === "" ? undefined : value
}

/** A switch input's value: true, false, or undefined when it is neither (`true`/`yes`/`1`, `false`/`no`/`0`, any case). */
export const switchValue = (value: string): boolean | undefined =>
  /^(true|yes|1)$/i.test(value) ? true : /^(false|no|0)$/i.test(value) ? false : undefined

/**
 * The environment the CLI program runs with: the step's own, with the `api-key` input (when
 * given) as `DATAFOLD_API_KEY`, and no `INPUT_*` variable left to carry the key elsewhere.
 */
export const programEnv = (env: Env): Env => {
  const apiKey = readInput(env, apiKeyInput)
  const kept = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("INPUT_")))
  return apiKey === undefined ? kept : { ...kept, DATAFOLD_API_KEY: apiKey }
}
