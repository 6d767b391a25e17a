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
import { nearestOption } from "./nearestOption.ts"

/** The commands `datafold-ci` knows. */
export type CommandName = "trigger" | "submit" | "runs" | "results" | "dbt" | "diff" | "serve" | "doctor"

/** Every command's name, in the order `--help` lists them. */
export const commandNames: ReadonlyArray<CommandName> = [
  "trigger",
  "submit",
  "runs",
  "results",
  "dbt",
  "diff",
  "serve",
  "doctor"
]

/** The commands of `datafold-ci dbt`, named as the Python SDK's `datafold dbt …`. */
export type DbtCommandName = "upload" | "upload-and-wait" | "check-post-upload-dbt-artifacts" | "check-primary-keys"

/** Every `dbt` command's name, in the order `--help` lists them. */
export const dbtCommandNames: ReadonlyArray<DbtCommandName> = [
  "upload",
  "upload-and-wait",
  "check-post-upload-dbt-artifacts",
  "check-primary-keys"
]

/** The commands of `datafold-ci diff`: data diffs made from outside a CI run. */
export type DiffCommandName = "create" | "wait" | "show" | "list" | "cancel" | "dbt"

/** Every `diff` command's name, in the order `--help` lists them. */
export const diffCommandNames: ReadonlyArray<DiffCommandName> = ["create", "wait", "show", "list", "cancel", "dbt"]

/** The `diff` commands that take data diff ids as operands (`diff wait 41 42`), and how many. */
const diffIdOperands: { readonly [K in DiffCommandName]?: "one" | "some" } = {
  wait: "some",
  show: "one",
  cancel: "one"
}

/** What `--help` can be about: a command, or one of `dbt`'s (`dbt upload`) or `diff`'s (`diff dbt`). */
export type HelpTopic = CommandName | `dbt ${DbtCommandName}` | `diff ${DiffCommandName}`

/** The options of a command, as given (`undefined` when left out); each command reads the ones it accepts. */
export interface CommandArgs {
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
  /** `submit` and `trigger`: the diffs file, `-` for stdin. */
  readonly diffs?: string | undefined
  /** `runs`: how many to list. */
  readonly limit?: string | undefined
  /** `serve`: the port to listen on. */
  readonly port?: string | undefined
  /** `serve`: faults to inject, in order (`--fail 503x2`). */
  readonly fail?: ReadonlyArray<string> | undefined
  /** `serve`: delay the next answer by this many milliseconds. */
  readonly delayMs?: string | undefined
  /** `serve`: create the next run, then drop the connection. */
  readonly loseAnswer?: boolean | undefined
  /** `serve`: which endpoint the faults target. */
  readonly faultEndpoint?: string | undefined
  /** `dbt`: `production` or `pull_request`. */
  readonly runType?: string | undefined
  /** `dbt upload`: the dbt target folder. */
  readonly targetFolder?: string | undefined
  /** `dbt`: the commit the artifacts were built from. */
  readonly commitSha?: string | undefined
  /** `dbt upload`: the production run a PR build is compared with ("low drift"). */
  readonly runId?: string | undefined
  /** `dbt upload`: the most the target folder may hold (`20GB`), a safety limit. */
  readonly maxUploadSize?: string | undefined
  /** `dbt upload`: how many segments of a large file (or files from 64 KiB) are deflated at once. */
  readonly concurrency?: string | undefined
  /** `dbt check-post-upload-dbt-artifacts`: the branch. */
  readonly branch?: string | undefined
  /** `dbt check-primary-keys`: the manifest file (its one positional argument). */
  readonly manifest?: string | undefined
  /** `trigger`, `submit`: then wait for the run to end. */
  readonly wait?: boolean | undefined
  /** How long to wait for the run, in minutes (`dbt upload-and-wait` also takes it as `--timeout`). */
  readonly waitTimeout?: string | undefined
  /** How long a run may take to appear, in seconds. */
  readonly appearTimeout?: string | undefined
  /** The first wait between looks at the run, in seconds. */
  readonly pollInterval?: string | undefined
  /** Seconds per attempt: `--timeout`'s meaning everywhere but `dbt upload-and-wait`. */
  readonly requestTimeout?: string | undefined
  /** `serve`: the statuses a run shows, listing after listing (`running,done`). */
  readonly runStatuses?: string | undefined
  /** `dbt upload`, the post-upload check: send `--commit-sha` as given, even when it is the CI's merge commit. */
  readonly exactCommit?: boolean | undefined
  /** `dbt check-post-upload-dbt-artifacts`: missing artifacts warn and exit 0, as the SDK does. */
  readonly warnOnly?: boolean | undefined
  /** `dbt check-primary-keys`: exit non-zero when a model has no primary key. */
  readonly failOnMissing?: boolean | undefined
  /** The flags given an empty value (`--commit-sha ""`, `--commit-sha=`, a trailing `--commit-sha`): read as left out. */
  readonly emptyValues?: ReadonlyArray<string> | undefined
  /** `results`: the gates that fail the step (`different,schema`). */
  readonly failOn?: string | undefined
  /** `results`: write the report as Markdown to this file. */
  readonly markdown?: string | undefined
  /** `results`: write the report as JUnit XML to this file. */
  readonly junit?: string | undefined
  /** `diff dbt`: the Datafold data source both sides of each diff are in. */
  readonly dataSourceId?: string | undefined
  /** `diff dbt`: the dbt project's folder (where `dbt_project.yml` is). */
  readonly projectDir?: string | undefined
  /** `diff create`: the flags that make up the diff (`--table1`, `--pk`, …), as given. */
  readonly diff?: DiffFlags | undefined
  /** `diff wait`, `diff show`, `diff cancel`: the data diff ids, as given. */
  readonly ids?: ReadonlyArray<string> | undefined
  /** `diff list`: only the diffs of this CI run. */
  readonly ciRunId?: string | undefined
  /** `diff list`: only the diffs with this status. */
  readonly status?: string | undefined
}

/** The flags of `datafold-ci diff create`, as given; `diffFlags.ts` reads them into a body. */
export interface DiffFlags {
  readonly dataSourceId?: string | undefined
  readonly dataSource1Id?: string | undefined
  readonly dataSource2Id?: string | undefined
  readonly table1?: string | undefined
  readonly table2?: string | undefined
  readonly query1?: string | undefined
  readonly query2?: string | undefined
  readonly filter1?: string | undefined
  readonly filter2?: string | undefined
  readonly diffTolerance?: string | undefined
  readonly body?: string | undefined
  readonly pk: ReadonlyArray<string>
  readonly includeColumns: ReadonlyArray<string>
  readonly excludeColumns: ReadonlyArray<string>
  readonly inferPk: boolean
}

/** What the command line asks for. `Usage` is no command at all. */
export type CliCommand =
  | { readonly _tag: "Help"; readonly command?: HelpTopic }
  | { readonly _tag: "Version" }
  | { readonly _tag: "Usage" }
  | { readonly _tag: "Trigger"; readonly args: CommandArgs }
  | { readonly _tag: "Submit"; readonly args: CommandArgs }
  | { readonly _tag: "Runs"; readonly args: CommandArgs }
  | { readonly _tag: "Results"; readonly args: CommandArgs }
  | { readonly _tag: "Serve"; readonly args: CommandArgs }
  | { readonly _tag: "Doctor"; readonly args: CommandArgs }
  | { readonly _tag: "Dbt"; readonly command: DbtCommandName; readonly args: CommandArgs }
  | { readonly _tag: "Diff"; readonly command: DiffCommandName; readonly args: CommandArgs }

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
  retries: "retries",
  diffs: "diffs",
  limit: "limit",
  port: "port",
  "delay-ms": "delayMs",
  "fault-endpoint": "faultEndpoint",
  "run-type": "runType",
  "target-folder": "targetFolder",
  "commit-sha": "commitSha",
  "run-id": "runId",
  "max-upload-size": "maxUploadSize",
  concurrency: "concurrency",
  branch: "branch",
  "wait-timeout": "waitTimeout",
  "appear-timeout": "appearTimeout",
  "poll-interval": "pollInterval",
  "request-timeout": "requestTimeout",
  "run-statuses": "runStatuses",
  "fail-on": "failOn",
  markdown: "markdown",
  junit: "junit",
  "data-source-id": "dataSourceId",
  "project-dir": "projectDir",
  "ci-run-id": "ciRunId",
  status: "status"
} as const satisfies Record<string, keyof CommandArgs>

/** The value flags of `diff create`, read into `DiffFlags`. */
const diffValueOptions = {
  "data-source1-id": "dataSource1Id",
  "data-source2-id": "dataSource2Id",
  table1: "table1",
  table2: "table2",
  query1: "query1",
  query2: "query2",
  filter1: "filter1",
  filter2: "filter2",
  "diff-tolerance": "diffTolerance",
  body: "body"
} as const satisfies Record<string, keyof DiffFlags>

/** The flags that may be given more than once, each time adding a value. */
const listOptions = {
  fail: "fail",
  pk: "pk",
  "include-column": "includeColumns",
  "exclude-column": "excludeColumns"
} as const

const connection = ["ci-config-id", "host", "timeout", "request-timeout", "retries", "json"] as const
const waiting = ["wait-timeout", "appear-timeout", "poll-interval"] as const
/** The report of a run once it is done: its gates and the files to write. */
const reporting = ["fail-on", "markdown", "junit"] as const
const dbtUpload = [
  ...connection,
  "run-type",
  "target-folder",
  "commit-sha",
  "exact-commit",
  "run-id",
  "max-upload-size",
  "concurrency",
  "dry-run"
] as const

/** The options each command accepts (`--help` and `--version` go everywhere). */
const accepted: {
  readonly [K in Exclude<CommandName, "dbt" | "diff"> | `dbt ${DbtCommandName}` | `diff ${DiffCommandName}`]:
    ReadonlySet<string>
} = {
  trigger: new Set([
    ...connection,
    ...waiting,
    "pr-num",
    "pr-number",
    "pr-branch",
    "base-branch",
    "pr-sha",
    "base-sha",
    "diffs",
    "dry-run",
    "wait",
    ...reporting
  ]),
  submit: new Set([...connection, ...waiting, ...reporting, "pr-num", "pr-number", "diffs", "dry-run", "wait"]),
  runs: new Set([...connection, "pr-num", "pr-number", "pr-sha", "limit"]),
  results: new Set([
    ...connection,
    ...waiting,
    "pr-num",
    "pr-number",
    "pr-branch",
    "base-branch",
    "pr-sha",
    "base-sha",
    "run-id",
    "wait",
    ...reporting
  ]),
  doctor: new Set([...connection, "target-folder"]),
  serve: new Set(["port", "fail", "delay-ms", "lose-answer", "fault-endpoint", "run-statuses"]),
  "dbt upload": new Set(dbtUpload),
  "dbt upload-and-wait": new Set([...dbtUpload, ...waiting, ...reporting]),
  "dbt check-post-upload-dbt-artifacts": new Set([
    ...connection,
    "run-type",
    "branch",
    "commit-sha",
    "exact-commit",
    "warn-only"
  ]),
  "dbt check-primary-keys": new Set([...connection, "fail-on-missing"]),
  "diff create": new Set([
    ...connection.filter((name) => name !== "ci-config-id"),
    ...Object.keys(diffValueOptions),
    "data-source-id",
    "pk",
    "infer-pk",
    "include-column",
    "exclude-column",
    "wait",
    "wait-timeout",
    "poll-interval",
    "dry-run",
    ...reporting
  ]),
  "diff wait": new Set([
    ...connection.filter((name) => name !== "ci-config-id"),
    "wait-timeout",
    "poll-interval",
    ...reporting
  ]),
  "diff show": new Set(connection.filter((name) => name !== "ci-config-id")),
  "diff list": new Set([...connection.filter((name) => name !== "ci-config-id"), "ci-run-id", "status", "limit"]),
  "diff cancel": new Set(connection.filter((name) => name !== "ci-config-id")),
  "diff dbt": new Set([
    ...connection.filter((name) => name !== "ci-config-id"),
    "data-source-id",
    "target-folder",
    "project-dir",
    "wait-timeout",
    "poll-interval",
    "dry-run",
    ...reporting
  ])
}

const tags = {
  trigger: "Trigger",
  submit: "Submit",
  runs: "Runs",
  results: "Results",
  serve: "Serve",
  doctor: "Doctor"
} as const

const isCommandName = (name: string): name is CommandName => (commandNames as ReadonlyArray<string>).includes(name)

const isDbtCommandName = (name: string): name is DbtCommandName =>
  (dbtCommandNames as ReadonlyArray<string>).includes(name)

const isDiffCommandName = (name: string): name is DiffCommandName =>
  (diffCommandNames as ReadonlyArray<string>).includes(name)

/**
 * The Python SDK spells trigger and submit `datafold ci trigger` and `datafold ci submit`
 * (and its runs listing `datafold ci runs`): a leading `ci` before one of them is dropped,
 * so a pipeline line keeps working once `datafold` becomes `datafold-ci`.
 */
const sdkCiCommands: ReadonlySet<string> = new Set(["trigger", "submit", "runs"])

/** The positional arguments without the SDK's `ci` group word. */
const withoutSdkGroup = (positionals: ReadonlyArray<string>): ReadonlyArray<string> =>
  positionals[0] === "ci" && positionals[1] !== undefined && sdkCiCommands.has(positionals[1])
    ? positionals.slice(1)
    : positionals

/** The help topic named by the positional arguments (`dbt upload`), if they name one. */
const topicOf = (first: string | undefined, second: string | undefined): HelpTopic | undefined =>
  first === undefined || !isCommandName(first)
    ? undefined
    : first === "dbt" && second !== undefined && isDbtCommandName(second)
    ? `dbt ${second}`
    : first === "diff" && second !== undefined && isDiffCommandName(second)
    ? `diff ${second}`
    : first

const switchOptions = [
  "dry-run",
  "json",
  "help",
  "version",
  "lose-answer",
  "wait",
  "exact-commit",
  "warn-only",
  "fail-on-missing",
  "infer-pk"
] as const

type ValueOption = keyof typeof valueOptions
type SwitchOption = (typeof switchOptions)[number]

type DiffValueOption = keyof typeof diffValueOptions
type ListOption = keyof typeof listOptions

const isValueOption = (name: string): name is ValueOption => Object.hasOwn(valueOptions, name)
const isDiffValueOption = (name: string): name is DiffValueOption => Object.hasOwn(diffValueOptions, name)
const isListOption = (name: string): name is ListOption => Object.hasOwn(listOptions, name)
const isSwitchOption = (name: string): name is SwitchOption => (switchOptions as ReadonlyArray<string>).includes(name)

/** Spellings of a key flag: refused, because a key on a command line ends up in shell history and CI logs. */
const keyFlags = new Set(["api-key", "apikey", "api_key", "key"])

const parserOptions = {
  ...Object.fromEntries(
    [...Object.keys(valueOptions), ...Object.keys(diffValueOptions)].map((name) => [name, { type: "string" as const }])
  ),
  ...Object.fromEntries(Object.keys(listOptions).map((name) => [name, { type: "string" as const, multiple: true }])),
  ...Object.fromEntries(switchOptions.map((name) => [name, { type: "boolean" as const }])),
  help: { type: "boolean" as const, short: "h" }
}

/**
 * Names an argument in a message without repeating anything that could be a secret
 * pasted in the wrong place: only short, word-like arguments (or very short ones of any
 * visible characters, such as an unexpanded `{{`) are quoted.
 */
export const describeArgument = (argument: string): string =>
  /^[A-Za-z0-9][\w.-]{0,30}$/.test(argument) || /^[\x21-\x7e]{1,12}$/.test(argument)
    ? JSON.stringify(argument)
    : "an argument"

const commandList = commandNames.map((name) => `\`${name}\``).join(", ")
const dbtCommandList = dbtCommandNames.map((name) => `\`${name}\``).join(", ")
const diffCommandList = diffCommandNames.map((name) => `\`${name}\``).join(", ")

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
  const positionals = withoutSdkGroup(
    tokens.flatMap((token) => (token.kind === "positional" ? [token.value] : []))
  )
  const [first, second] = positionals
  // The command the line is for, as far as it can be told: its help is the one to point to.
  const topic = topicOf(first, second)
  const usageOf = (problem: string) => Either.left(new UsageError({ problem, command: topic }))
  if (tokens.some((token) => token.kind === "option" && token.name === "help")) {
    const helpTopic = first === "help" ? topicOf(second, positionals[2]) : topic
    return Either.right(helpTopic === undefined ? { _tag: "Help" } : { _tag: "Help", command: helpTopic })
  }
  if (tokens.some((token) => token.kind === "option" && token.name === "version")) {
    return Either.right({ _tag: "Version" })
  }

  const values: { -readonly [K in keyof CommandArgs]?: CommandArgs[K] } = {}
  const diffValues: { -readonly [K in keyof DiffFlags]?: DiffFlags[K] } = {}
  const lists: Record<(typeof listOptions)[ListOption], Array<string>> = {
    fail: [],
    pk: [],
    includeColumns: [],
    excludeColumns: []
  }
  const given: Array<string> = []
  const emptyValues: Array<string> = []
  let unknown: string | undefined
  for (const [index, token] of tokens.entries()) {
    if (token.kind === "positional" || token.kind === "option-terminator") continue
    const { name, rawName } = token
    if (isSwitchOption(name)) {
      if (token.value !== undefined) return usageOf(`${rawName} takes no value.`)
      if (name === "dry-run") values.dryRun = true
      if (name === "json") values.json = true
      if (name === "lose-answer") values.loseAnswer = true
      if (name === "wait") values.wait = true
      if (name === "exact-commit") values.exactCommit = true
      if (name === "warn-only") values.warnOnly = true
      if (name === "fail-on-missing") values.failOnMissing = true
      if (name === "infer-pk") diffValues.inferPk = true
      given.push(name)
      continue
    }
    if (!isValueOption(name) && !isDiffValueOption(name) && !isListOption(name)) {
      // Reported once the command is known, with the nearest of that command's options.
      unknown ??= rawName.startsWith("-") ? rawName : `--${name}`
      continue
    }
    const value = token.value
    // `--commit-sha ""`, `--commit-sha=` and a trailing `--commit-sha` all read as left out
    // (a warning says so): an unset CI variable expands to nothing in any of those spellings.
    if (value === undefined && index !== tokens.length - 1) return usageOf(`${rawName} needs a value.`)
    if (value === undefined || value.trim() === "") {
      emptyValues.push(`--${name}`)
      given.push(name)
      continue
    }
    // `--pr-branch --json` is almost surely a forgotten value, not a branch named "--json".
    // `--diffs -` is stdin, the one value that is only a dash.
    if (token.inlineValue === false && value.startsWith("-") && value !== "-") {
      return usageOf(
        `${rawName} needs a value, but the next argument is an option. Write ${rawName}=VALUE for a value that starts with "-".`
      )
    }
    given.push(name)
    if (isListOption(name)) {
      lists[listOptions[name]].push(value)
      continue
    }
    const target: Record<string, unknown> = isDiffValueOption(name) ? diffValues : values
    const key = isDiffValueOption(name) ? diffValueOptions[name] : valueOptions[name as ValueOption]
    const previous = target[key]
    if (typeof previous === "string" && previous !== value) {
      return usageOf(`${rawName} is given twice with different values.`)
    }
    target[key] = value
  }

  const [command, ...rest] = positionals
  if (unknown !== undefined) {
    const known = topic === undefined || topic === "dbt" || topic === "diff"
      ? [...Object.keys(valueOptions), ...Object.keys(diffValueOptions), ...Object.keys(listOptions), ...switchOptions]
      : [...accepted[topic], "help", "version"]
    const near = nearestOption(unknown.replace(/^-+/, "").split("=")[0] ?? "", known)
    return usageOf(`Unknown option ${unknown}${near === undefined ? "." : `: did you mean --${near}?`}`)
  }
  if (command === undefined) return Either.right({ _tag: "Usage" })
  if (command === "help") {
    const topic = topicOf(rest[0], rest[1])
    return Either.right(topic === undefined ? { _tag: "Help" } : { _tag: "Help", command: topic })
  }
  if (!isCommandName(command)) {
    return usage(`Unknown command ${describeArgument(command)}; the commands are ${commandList}.`)
  }
  let dbtCommand: DbtCommandName | undefined
  let operands = rest
  if (command === "dbt") {
    const [sub, ...after] = rest
    if (sub === undefined) return usageOf(`\`datafold-ci dbt\` needs a command: ${dbtCommandList}.`)
    if (!isDbtCommandName(sub)) {
      return usageOf(`Unknown dbt command ${describeArgument(sub)}; the dbt commands are ${dbtCommandList}.`)
    }
    dbtCommand = sub
    operands = after
  }
  let diffCommand: DiffCommandName | undefined
  if (command === "diff") {
    const [sub, ...after] = rest
    if (sub === undefined) return usageOf(`\`datafold-ci diff\` needs a command: ${diffCommandList}.`)
    if (!isDiffCommandName(sub)) {
      return usageOf(`Unknown diff command ${describeArgument(sub)}; the diff commands are ${diffCommandList}.`)
    }
    diffCommand = sub
    operands = after
  }
  const named = dbtCommand !== undefined
    ? `dbt ${dbtCommand}` as const
    : diffCommand !== undefined
    ? `diff ${diffCommand}` as const
    : command as Exclude<CommandName, "dbt" | "diff">
  // Only check-primary-keys takes an operand: the manifest, as the SDK's command does.
  let manifest: string | undefined
  if (dbtCommand === "check-primary-keys") {
    const [path, ...extraOperands] = operands
    if (path === undefined) {
      return usageOf(
        "`datafold-ci dbt check-primary-keys` needs the manifest: datafold-ci dbt check-primary-keys target/manifest.json."
      )
    }
    manifest = path
    operands = extraOperands
  }
  let ids: ReadonlyArray<string> | undefined
  const idOperands = diffCommand === undefined ? undefined : diffIdOperands[diffCommand]
  if (idOperands !== undefined) {
    const example = idOperands === "one" ? "41" : "41 42"
    if (operands.length === 0) {
      return usageOf(
        `\`datafold-ci ${named}\` needs ${
          idOperands === "one" ? "a data diff's id" : "one or more data diff ids"
        }: datafold-ci ${named} ${example}.`
      )
    }
    if (idOperands === "one" && operands.length > 1) {
      return usageOf(`\`datafold-ci ${named}\` takes one data diff id; ${operands.length} were given.`)
    }
    ids = operands
    operands = []
  }
  const [extra] = operands
  if (extra !== undefined) {
    return usageOf(`Unexpected ${describeArgument(extra)} after \`${named}\`: every value goes with its option.`)
  }
  const stray = given.find((name) => !accepted[named].has(name))
  if (stray !== undefined) {
    const near = nearestOption(stray, accepted[named])
    return usageOf(
      `--${stray} is not an option of \`${named}\`${near === undefined ? "." : `: did you mean --${near}?`}`
    )
  }
  const args: CommandArgs = {
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
    json: values.json ?? false,
    ...(values.diffs === undefined ? {} : { diffs: values.diffs }),
    ...(values.limit === undefined ? {} : { limit: values.limit }),
    ...(values.port === undefined ? {} : { port: values.port }),
    ...(lists.fail.length === 0 ? {} : { fail: lists.fail }),
    ...(values.delayMs === undefined ? {} : { delayMs: values.delayMs }),
    ...(values.loseAnswer === undefined ? {} : { loseAnswer: values.loseAnswer }),
    ...(values.faultEndpoint === undefined ? {} : { faultEndpoint: values.faultEndpoint }),
    ...(values.runType === undefined ? {} : { runType: values.runType }),
    ...(values.targetFolder === undefined ? {} : { targetFolder: values.targetFolder }),
    ...(values.commitSha === undefined ? {} : { commitSha: values.commitSha }),
    ...(values.runId === undefined ? {} : { runId: values.runId }),
    ...(values.maxUploadSize === undefined ? {} : { maxUploadSize: values.maxUploadSize }),
    ...(values.concurrency === undefined ? {} : { concurrency: values.concurrency }),
    ...(values.branch === undefined ? {} : { branch: values.branch }),
    ...(manifest === undefined ? {} : { manifest }),
    ...(values.wait === undefined ? {} : { wait: values.wait }),
    ...(values.waitTimeout === undefined ? {} : { waitTimeout: values.waitTimeout }),
    ...(values.appearTimeout === undefined ? {} : { appearTimeout: values.appearTimeout }),
    ...(values.pollInterval === undefined ? {} : { pollInterval: values.pollInterval }),
    ...(values.requestTimeout === undefined ? {} : { requestTimeout: values.requestTimeout }),
    ...(values.runStatuses === undefined ? {} : { runStatuses: values.runStatuses }),
    ...(values.exactCommit === undefined ? {} : { exactCommit: values.exactCommit }),
    ...(values.warnOnly === undefined ? {} : { warnOnly: values.warnOnly }),
    ...(values.failOnMissing === undefined ? {} : { failOnMissing: values.failOnMissing }),
    ...(emptyValues.length === 0 ? {} : { emptyValues }),
    ...(values.failOn === undefined ? {} : { failOn: values.failOn }),
    ...(values.markdown === undefined ? {} : { markdown: values.markdown }),
    ...(values.junit === undefined ? {} : { junit: values.junit }),
    ...(values.dataSourceId === undefined ? {} : { dataSourceId: values.dataSourceId }),
    ...(values.projectDir === undefined ? {} : { projectDir: values.projectDir }),
    ...(values.ciRunId === undefined ? {} : { ciRunId: values.ciRunId }),
    ...(values.status === undefined ? {} : { status: values.status }),
    ...(ids === undefined ? {} : { ids }),
    ...(diffCommand === "create"
      ? {
        diff: {
          ...diffValues,
          dataSourceId: values.dataSourceId,
          pk: lists.pk,
          includeColumns: lists.includeColumns,
          excludeColumns: lists.excludeColumns,
          inferPk: diffValues.inferPk ?? false
        }
      }
      : {})
  }
  if (dbtCommand !== undefined) return Either.right({ _tag: "Dbt", command: dbtCommand, args })
  if (diffCommand !== undefined) return Either.right({ _tag: "Diff", command: diffCommand, args })
  return Either.right({ _tag: tags[command as Exclude<CommandName, "dbt" | "diff">], args } as CliCommand)
}
