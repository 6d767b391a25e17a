/**
 * Reads the `datafold-ci` command line with `node:util`'s `parseArgs` (present on Node 20+,
 * Deno and Bun, and cheap to load). Option values stay strings here: what they mean is
 * checked where they are used, so each message can name the flag.
 *
 * @module
 */
import * as Either from "effect/Either"
import { parseArgs } from "node:util"
import { UsageError } from "./CliError.ts"

/** The options of `datafold-ci trigger`, as given (`undefined` when left out). */
export interface TriggerArgs {
  readonly ciConfigId: string | undefined
  readonly prNumber: string | undefined
  readonly prBranch: string | undefined
  readonly baseBranch: string | undefined
  readonly prSha: string | undefined
  readonly baseSha: string | undefined
  readonly host: string | undefined
  readonly timeout: string | undefined
  readonly retries: string | undefined
  readonly dryRun: boolean
  readonly json: boolean
}

/** What the command line asks for. `Usage` is no command at all. */
export type CliCommand =
  | { readonly _tag: "Help" }
  | { readonly _tag: "Version" }
  | { readonly _tag: "Usage" }
  | { readonly _tag: "Trigger"; readonly args: TriggerArgs }

const valueOptions = {
  "ci-config-id": "ciConfigId",
  "pr-num": "prNumber",
  "pr-number": "prNumber",
  "pr-branch": "prBranch",
  "base-branch": "baseBranch",
  "pr-sha": "prSha",
  "base-sha": "baseSha",
  host: "host",
  timeout: "timeout",
  retries: "retries"
} as const satisfies Record<string, keyof TriggerArgs>

const switchOptions = ["dry-run", "json", "help", "version"] as const

type ValueOption = keyof typeof valueOptions
type SwitchOption = (typeof switchOptions)[number]

const isValueOption = (name: string): name is ValueOption => Object.hasOwn(valueOptions, name)
const isSwitchOption = (name: string): name is SwitchOption => (switchOptions as ReadonlyArray<string>).includes(name)

/** Spellings of a key flag: refused, because a key on a command line ends up in shell history and CI logs. */
const keyFlags = new Set(["api-key", "apikey", "api_key", "key"])

const parserOptions = {
  ...Object.fromEntries(Object.keys(valueOptions).map((name) => [name, { type: "string" as const }])),
  ...Object.fromEntries(switchOptions.map((name) => [name, { type: "boolean" as const }])),
  help: { type: "boolean" as const, short: "h" }
}

/**
 * Names an argument in a message without repeating anything that could be a secret
 * pasted in the wrong place: only short, word-like arguments are quoted.
 */
const describeArgument = (argument: string): string =>
  /^[A-Za-z0-9][\w.-]{0,30}$/.test(argument) ? `"${argument}"` : "an argument"

/** Whether the command line asks for JSON output, even when the rest of it cannot be read. */
export const wantsJson = (argv: ReadonlyArray<string>): boolean => {
  const end = argv.indexOf("--")
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json")
}

/** Reads the command line (without the runtime and script paths). */
export const parseCliArgs = (argv: ReadonlyArray<string>): Either.Either<CliCommand, UsageError> => {
  const usage = (problem: string) => Either.left(new UsageError({ problem }))
  // Not strict: every option is checked below, so each message is ours and never echoes a value.
  const { tokens } = parseArgs({
    args: [...argv],
    options: parserOptions,
    strict: false,
    allowPositionals: true,
    tokens: true
  })

  // Checked first and on its own, so the key is refused before anything else is read.
  for (const token of tokens) {
    if (token.kind === "option" && keyFlags.has(token.name)) {
      return usage(
        `${token.rawName} is not accepted: an API key on the command line leaks into shell history, ` +
          `process lists and CI logs. Put the key in the environment variable DATAFOLD_API_KEY instead (as a CI secret).`
      )
    }
  }
  if (tokens.some((token) => token.kind === "option" && token.name === "help")) return Either.right({ _tag: "Help" })
  if (tokens.some((token) => token.kind === "option" && token.name === "version")) {
    return Either.right({ _tag: "Version" })
  }

  const values: { -readonly [K in keyof TriggerArgs]?: TriggerArgs[K] } = {}
  const positionals: Array<string> = []
  for (const token of tokens) {
    if (token.kind === "positional") {
      positionals.push(token.value)
      continue
    }
    if (token.kind === "option-terminator") continue
    const { name, rawName } = token
    if (isSwitchOption(name)) {
      if (token.value !== undefined) return usage(`${rawName} takes no value.`)
      if (name === "dry-run") values.dryRun = true
      if (name === "json") values.json = true
      continue
    }
    if (!isValueOption(name)) return usage(`Unknown option ${rawName.startsWith("-") ? rawName : `--${name}`}.`)
    const value = token.value
    if (value === undefined) return usage(`${rawName} needs a value.`)
    // `--pr-branch --json` is almost surely a forgotten value, not a branch named "--json".
    if (token.inlineValue === false && value.startsWith("-")) {
      return usage(
        `${rawName} needs a value, but the next argument is an option. Write ${rawName}=VALUE for a value that starts with "-".`
      )
    }
    const key = valueOptions[name]
    const previous = values[key]
    if (typeof previous === "string" && previous !== value) {
      return usage(`${rawName} is given twice with different values.`)
    }
    values[key] = value
  }

  const [command, ...rest] = positionals
  if (command === undefined) return Either.right({ _tag: "Usage" })
  if (command === "help") return Either.right({ _tag: "Help" })
  if (command !== "trigger") return usage(`Unknown command ${describeArgument(command)}; the command is \`trigger\`.`)
  const [extra] = rest
  if (extra !== undefined) {
    return usage(`Unexpected ${describeArgument(extra)} after \`trigger\`: every value goes with its option.`)
  }
  return Either.right({
    _tag: "Trigger",
    args: {
      ciConfigId: values.ciConfigId,
      prNumber: values.prNumber,
      prBranch: values.prBranch,
      baseBranch: values.baseBranch,
      prSha: values.prSha,
      baseSha: values.baseSha,
      host: values.host,
      timeout: values.timeout,
      retries: values.retries,
      dryRun: values.dryRun ?? false,
      json: values.json ?? false
    }
  })
}
