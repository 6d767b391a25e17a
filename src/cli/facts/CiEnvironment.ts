/**
 * Finds PR facts in the environment of a CI system, generically over the records in
 * `ci/` (one per system: how to detect it, where each fact lives).
 *
 * @module
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import { readFile } from "node:fs/promises"
import { branchNameProblem } from "../../core/branchName.ts"
import type { Candidates, CiSystem, Env } from "./ci/CiSystem.ts"
import { read } from "./ci/CiSystem.ts"
import { at } from "./ci/githubActions.ts"
import { ciSystems } from "./ci/systems.ts"
import {
  noSourcesTried,
  parsePrNumber,
  type PartialPrFacts,
  type PrFactName,
  prFactNames,
  type PrFactValues,
  sourced,
  type SourcesTried,
  stripHeadsPrefix
} from "./PrFact.ts"
import { CiEventFileError } from "./PrFactsError.ts"

export type { Env }

/** The name of a CI system whose PR variables are understood, e.g. `gitlab-ci`. */
export type CiSystemName = string

/** Human-readable name of each CI system, by name, for messages. */
export const ciSystemLabels: { readonly [name: string]: string } = Object.fromEntries(
  ciSystems.map((system) => [system.name, system.label])
)

/** Reads a whole text file; injected so callers and tests choose the file system. */
export type ReadTextFile = (path: string) => Effect.Effect<string, unknown>

/** Reads a UTF-8 text file with `node:fs/promises` (works on Node, Bun and Deno). */
export const readTextFileFromDisk: ReadTextFile = (path) =>
  // Keep the file system's own error: its message (e.g. ENOENT) is what the user needs to see.
  Effect.tryPromise({ try: () => readFile(path, "utf8"), catch: (error) => error })

/** What the CI environment told us: the system, the facts it had, and what was consulted in vain. */
export interface CiEnvironmentFacts {
  readonly system: CiSystemName | undefined
  readonly facts: PartialPrFacts
  readonly sourcesTried: SourcesTried
  /** Sources of facts that may be a merge commit rather than the PR head (see `Candidate`). */
  readonly mayBeMerge: ReadonlySet<string>
  /** What to do when the PR number is missing, when the environment says more than "not set". */
  readonly hint?: string | undefined
}

/** The CI system this process runs on, or `undefined` when none is recognised. */
export const detectCiSystemRecord = (env: Env): CiSystem | undefined => ciSystems.find((system) => system.detect(env))

/** Works out which CI system this process runs on, or `undefined` when none is recognised. */
export const detectCiSystem = (env: Env): CiSystemName | undefined => detectCiSystemRecord(env)?.name

/** Turns a raw value into a fact value, or explains why it is not one. */
const parsers: {
  readonly [K in PrFactName]: (raw: unknown) => { readonly ok: PrFactValues[K] } | { readonly not: string }
} = {
  prNumber: (raw) => {
    if (typeof raw !== "number" && typeof raw !== "string") return { not: "is not a number" }
    const n = parsePrNumber(raw)
    return n === undefined ? { not: `${JSON.stringify(raw)} is not a positive whole number` } : { ok: n }
  },
  prBranch: (raw) => parseBranch(raw),
  baseBranch: (raw) => parseBranch(raw),
  prSha: (raw) => parseSha(raw),
  baseSha: (raw) => parseSha(raw)
}

function parseBranch(raw: unknown): { readonly ok: string } | { readonly not: string } {
  if (typeof raw !== "string") return { not: "is not a string" }
  // Never trimmed: git's rule, shared with the library, decides what is a branch name.
  const branch = stripHeadsPrefix(raw)
  if (branch === "") return { not: "is empty" }
  const problem = branchNameProblem(branch)
  return problem === undefined ? { ok: branch } : { not: `${JSON.stringify(branch)} ${problem}` }
}

function parseSha(raw: unknown): { readonly ok: string } | { readonly not: string } {
  if (typeof raw !== "string") return { not: "is not a string" }
  const sha = raw.trim()
  // Only reject what is plainly not a commit id (e.g. Buildkite's "HEAD"); the exact
  // length check belongs to the library, which refuses bad SHAs itself.
  return /^[0-9a-fA-F]+$/.test(sha) ? { ok: sha } : { not: `${JSON.stringify(sha)} is not a commit SHA` }
}

/** Picks, for each fact, the first candidate holding a usable value, recording every miss. */
const pick = (candidates: Candidates) => {
  const facts: { -readonly [K in PrFactName]?: PartialPrFacts[K] } = {}
  const tried = noSourcesTried()
  const mayBeMerge = new Set<string>()
  const take = <K extends PrFactName>(name: K): void => {
    for (const candidate of candidates[name]) {
      if ("note" in candidate) {
        tried[name].push(candidate.note)
        continue
      }
      if (candidate.value === undefined) {
        tried[name].push(`${candidate.source} (${candidate.absent ?? "not set"})`)
        continue
      }
      const parsed = parsers[name](candidate.value)
      if ("not" in parsed) {
        tried[name].push(`${candidate.source} (${parsed.not})`)
        continue
      }
      facts[name] = sourced(parsed.ok, candidate.source) as PartialPrFacts[K]
      if (candidate.mayBeMerge === true) mayBeMerge.add(candidate.source)
      return
    }
  }
  for (const name of prFactNames) take(name)
  return { facts, sourcesTried: tried, mayBeMerge }
}

function describeError(error: unknown): string {
  // An injected reader built with Effect.tryPromise wraps the real error in an UnknownException.
  if (Cause.isUnknownException(error) && error.error !== undefined) return describeError(error.error)
  return error instanceof Error ? error.message : typeof error === "string" ? error : String(error)
}

/** Reads and parses the GitHub event file; `undefined` when GITHUB_EVENT_PATH is not set. */
const readGitHubEvent = (
  env: Env,
  readTextFile: ReadTextFile
): Effect.Effect<{ readonly path: string; readonly json: object } | undefined, CiEventFileError> => {
  const path = read(env, "GITHUB_EVENT_PATH")
  if (path === undefined) return Effect.succeed(undefined)
  return readTextFile(path).pipe(
    Effect.mapError((error) => new CiEventFileError({ path, reason: `cannot read it: ${describeError(error)}` })),
    Effect.flatMap((text) =>
      Effect.try({
        try: () => JSON.parse(text) as unknown,
        catch: (error) => new CiEventFileError({ path, reason: `it is not JSON: ${describeError(error)}` })
      })
    ),
    Effect.flatMap((json) =>
      typeof json === "object" && json !== null && !Array.isArray(json)
        ? Effect.succeed({ path, json })
        : Effect.fail(new CiEventFileError({ path, reason: "it is JSON but not an object" }))
    )
  )
}

/** On GitHub, an event without a pull request (a push) gets a hint: run on pull_request events. */
const githubEventHint = (env: Env, event: { readonly json: object } | undefined): string | undefined => {
  if (event === undefined || at(event.json, ["pull_request"]) !== undefined) return undefined
  const name = read(env, "GITHUB_EVENT_NAME")
  return `This workflow run is a ${name === undefined ? "non-pull_request" : `\`${name}\``} event, ` +
    "which has no pull request: run datafold-ci on pull_request events (on: pull_request), " +
    "where GitHub gives the PR number, branches and head SHA."
}

/**
 * Finds what the CI environment says about the pull request. Facts the system does not
 * provide are simply absent; `sourcesTried` lists where each missing one was looked for.
 * Fails only when GitHub's event file exists in name but cannot be read as a JSON object.
 */
export const factsFromCiEnvironment = (
  env: Env,
  readTextFile: ReadTextFile
): Effect.Effect<CiEnvironmentFacts, CiEventFileError> => {
  const system = detectCiSystemRecord(env)
  if (system === undefined) {
    const note = "CI environment (no known CI system detected)"
    return Effect.succeed({
      system: undefined,
      facts: {},
      mayBeMerge: new Set(),
      sourcesTried: { prNumber: [note], prBranch: [note], baseBranch: [note], prSha: [note], baseSha: [note] }
    })
  }
  const event = system.readsGithubEvent === true ? readGitHubEvent(env, readTextFile) : Effect.succeed(undefined)
  return Effect.map(event, (githubEvent) => ({
    system: system.name,
    ...pick(system.candidates(env, { githubEvent })),
    hint: system.readsGithubEvent === true ? githubEventHint(env, githubEvent) : undefined
  }))
}
