/**
 * A CI system as data: how to recognise it from its environment, and where it keeps each
 * PR fact (in order of preference, with notes on the traps). Detection, the search for
 * facts and the report of where each came from are generic over these records.
 *
 * @module
 */
import type { PrFactName } from "../PrFact.ts"

/** Environment variables, as in `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>

/**
 * One place a fact may be found. `value` undefined means the place is empty, and
 * `absent` says why (default "not set"). `mayBeMerge` marks a commit that can be a merge
 * of the base into the PR head (a merge checkout): git then finds the PR-side parent.
 * A `note` records a source deliberately skipped.
 */
export type Candidate =
  | {
    readonly source: string
    readonly value: unknown
    readonly absent?: string
    readonly mayBeMerge?: boolean
  }
  | { readonly note: string }

/** Every place each fact may be found, best first. */
export type Candidates = { readonly [K in PrFactName]: ReadonlyArray<Candidate> }

/** What a system's record may read besides the environment: GitHub's event file. */
export interface CiInputs {
  /** The parsed GitHub event (`GITHUB_EVENT_PATH`), when the system reads it and it is set. */
  readonly githubEvent?: { readonly json: object } | undefined
}

/** One CI system. */
export interface CiSystem {
  /** A stable identifier, e.g. `gitlab-ci`, used in `--json` output. */
  readonly name: string
  /** The name people know it by, for messages and `--help`. */
  readonly label: string
  /** Whether the process runs on this system. */
  readonly detect: (env: Env) => boolean
  /** Where each fact lives here. */
  readonly candidates: (env: Env, inputs: CiInputs) => Candidates
  /** Whether the facts need GitHub's event file (read, and its failures reported, only then). */
  readonly readsGithubEvent?: boolean
  /** A one-line pipeline step that runs the CLI, for `--help` and the README. */
  readonly example: string
  /** What to know, in a line each: setup the system needs, traps avoided. */
  readonly notes?: ReadonlyArray<string>
}

/** Reads a variable; empty or blank strings count as absent, since CI systems often export unset variables as "". */
export const read = (env: Env, name: string): string | undefined => {
  const value = env[name]
  return value === undefined || value.trim() === "" ? undefined : value.trim()
}

/** A variable used as an on/off switch: set, and not "false"/"0"/"no". */
export const isOn = (env: Env, name: string): boolean => {
  const value = read(env, name)
  return value !== undefined && !/^(false|0|no)$/i.test(value)
}

/** An environment variable as a candidate source. */
export const envVar = (env: Env, name: string, options: { readonly mayBeMerge?: boolean } = {}): Candidate => ({
  source: `env ${name}`,
  value: read(env, name),
  ...(options.mayBeMerge === true ? { mayBeMerge: true } : {})
})

/** A note that this system has no variable for the fact. */
export const doesNotProvide = (label: string, what: string): Candidate => ({
  note: `${label} (does not provide the ${what})`
})

/** The command every example runs. */
export const exampleCommand = "npx datafold-ci trigger --ci-config-id 123"
