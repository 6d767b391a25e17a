/**
 * The GitHub Action's inputs, read the way the runner hands them to a JavaScript action:
 * one environment variable per input, `INPUT_` + the name upper-cased with spaces turned
 * into underscores (hyphens are kept: `ci-config-id` → `INPUT_CI-CONFIG-ID`), set to the
 * empty string when the workflow leaves the input out.
 *
 * @module
 */
import type { Env } from "../cli/CiEnvironment.ts"

/** The inputs that become `datafold-ci trigger` flags of the same name, in action.yml's order. */
export const flagInputs = [
  "ci-config-id",
  "host",
  "timeout",
  "retries",
  "pr-num",
  "pr-branch",
  "base-branch",
  "pr-sha",
  "base-sha"
] as const

/** The input holding the API key; without it the key comes from `DATAFOLD_API_KEY` in the step's env. */
export const apiKeyInput = "api-key"

/** Every input action.yml declares. */
export const actionInputs: ReadonlyArray<string> = [flagInputs[0], apiKeyInput, ...flagInputs.slice(1)]

/** The environment variable the runner sets for an input. */
export const inputVariable = (name: string): string => `INPUT_${name.replaceAll(" ", "_").toUpperCase()}`

/** An input's value, trimmed; undefined when the workflow did not give it. */
export const readInput = (env: Env, name: string): string | undefined => {
  const value = env[inputVariable(name)]?.trim()
  return value === undefined || value === "" ? undefined : value
}

/**
 * The `datafold-ci` arguments for the given inputs: `trigger --json` and one `--name=value`
 * per input given (the `=` form, so a value is never read as a flag).
 */
export const triggerArgs = (env: Env): ReadonlyArray<string> => [
  "trigger",
  "--json",
  ...flagInputs.flatMap((name) => {
    const value = readInput(env, name)
    return value === undefined ? [] : [`--${name}=${value}`]
  })
]

/**
 * The environment the CLI program runs with: the step's own, with the `api-key` input (when
 * given) as `DATAFOLD_API_KEY`, and no `INPUT_*` variable left to carry the key elsewhere.
 */
export const programEnv = (env: Env): Env => {
  const apiKey = readInput(env, apiKeyInput)
  const kept = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("INPUT_")))
  return apiKey === undefined ? kept : { ...kept, DATAFOLD_API_KEY: apiKey }
}
