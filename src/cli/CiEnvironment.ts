/**
 * Finds PR facts in the environment of a CI system, from the variables each system
 * documents (and, on GitHub Actions, from the event file).
 *
 * @module
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import { readFile } from "node:fs/promises"
import { branchNameProblem } from "../internal/branchName.ts"
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

/** The CI systems whose PR variables are understood. */
export type CiSystemName =
  | "github-actions"
  | "gitlab-ci"
  | "bitbucket-pipelines"
  | "azure-pipelines"
  | "circleci"
  | "buildkite"
  | "jenkins"

/** Human-readable name of each CI system, for messages. */
export const ciSystemLabels: { readonly [K in CiSystemName]: string } = {
  "github-actions": "GitHub Actions",
  "gitlab-ci": "GitLab CI",
  "bitbucket-pipelines": "Bitbucket Pipelines",
  "azure-pipelines": "Azure Pipelines",
  "circleci": "CircleCI",
  "buildkite": "Buildkite",
  "jenkins": "Jenkins"
}

/** Environment variables, as in `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>

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
}

/** Reads a variable; empty or blank strings count as absent, since CI systems often export unset variables as "". */
const read = (env: Env, name: string): string | undefined => {
  const value = env[name]
  return value === undefined || value.trim() === "" ? undefined : value.trim()
}

/** A variable used as an on/off switch: set, and not "false"/"0". */
const isOn = (env: Env, name: string): boolean => {
  const value = read(env, name)
  return value !== undefined && !/^(false|0|no)$/i.test(value)
}

/** Works out which CI system this process runs on, or `undefined` when none is recognised. */
export const detectCiSystem = (env: Env): CiSystemName | undefined => {
  if (isOn(env, "GITHUB_ACTIONS")) return "github-actions"
  if (isOn(env, "GITLAB_CI")) return "gitlab-ci"
  if (read(env, "BITBUCKET_BUILD_NUMBER") !== undefined || read(env, "BITBUCKET_PIPELINE_UUID") !== undefined) {
    return "bitbucket-pipelines"
  }
  if (isOn(env, "TF_BUILD")) return "azure-pipelines"
  if (isOn(env, "CIRCLECI")) return "circleci"
  if (isOn(env, "BUILDKITE")) return "buildkite"
  // Last: CHANGE_ID is a generic name that another system's job could happen to export.
  if (read(env, "JENKINS_URL") !== undefined || read(env, "CHANGE_ID") !== undefined) return "jenkins"
  return undefined
}

/**
 * One place a fact may be found. `value` undefined means the place is empty, and
 * `absent` says why (default "not set"). A `note` records a source deliberately skipped.
 */
type Candidate =
  | { readonly source: string; readonly value: unknown; readonly absent?: string }
  | { readonly note: string }

type Candidates = { readonly [K in PrFactName]: ReadonlyArray<Candidate> }

/** An environment variable as a candidate source. */
const envVar = (env: Env, name: string): Candidate => ({ source: `env ${name}`, value: read(env, name) })

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
const pick = (candidates: Candidates): { facts: PartialPrFacts; sourcesTried: SourcesTried } => {
  const facts: { -readonly [K in PrFactName]?: PartialPrFacts[K] } = {}
  const tried = noSourcesTried()
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
      return
    }
  }
  for (const name of prFactNames) take(name)
  return { facts, sourcesTried: tried }
}

/** Follows a property path through parsed JSON; `undefined` (and JSON `null`) when any step is missing. */
const at = (json: unknown, path: ReadonlyArray<string>): unknown => {
  let current = json
  for (const key of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current === null ? undefined : current
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

const githubCandidates = (
  env: Env,
  event: { readonly json: object } | undefined
): Candidates => {
  const eventName = read(env, "GITHUB_EVENT_NAME")
  const fromEvent = (path: ReadonlyArray<string>): Candidate => {
    const source = `GitHub event file .${path.join(".")}`
    if (event === undefined) return { source, value: undefined, absent: "GITHUB_EVENT_PATH not set" }
    if (at(event.json, ["pull_request"]) === undefined) {
      const which = eventName === undefined ? "" : ` (GITHUB_EVENT_NAME=${eventName})`
      return { source, value: undefined, absent: `the event has no pull_request${which}` }
    }
    return { source, value: at(event.json, path) }
  }
  return {
    prNumber: [fromEvent(["pull_request", "number"])],
    prBranch: [envVar(env, "GITHUB_HEAD_REF"), fromEvent(["pull_request", "head", "ref"])],
    baseBranch: [envVar(env, "GITHUB_BASE_REF"), fromEvent(["pull_request", "base", "ref"])],
    prSha: [
      fromEvent(["pull_request", "head", "sha"]),
      // GITHUB_SHA on pull_request events is a merge commit that exists only on the runner;
      // Datafold cannot link it to the PR, so it is never used.
      ...(read(env, "GITHUB_SHA") === undefined
        ? []
        : [{ note: "env GITHUB_SHA (not used: on pull_request events it is a temporary merge commit)" }])
    ],
    baseSha: [fromEvent(["pull_request", "base", "sha"])]
  }
}

/** A note that this system has no variable for the fact. */
const doesNotProvide = (system: CiSystemName, what: string): Candidate => ({
  note: `${ciSystemLabels[system]} (does not provide the ${what})`
})

const gitlabCandidates = (env: Env): Candidates => ({
  prNumber: [envVar(env, "CI_MERGE_REQUEST_IID")],
  prBranch: [envVar(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")],
  baseBranch: [envVar(env, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME")],
  // In merged-results pipelines CI_COMMIT_SHA is the merge commit; the source branch SHA
  // (set only there) is the real PR head.
  prSha: [envVar(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA"), envVar(env, "CI_COMMIT_SHA")],
  baseSha: [envVar(env, "CI_MERGE_REQUEST_DIFF_BASE_SHA")]
})

const bitbucketCandidates = (env: Env): Candidates => ({
  prNumber: [envVar(env, "BITBUCKET_PR_ID")],
  prBranch: [envVar(env, "BITBUCKET_BRANCH")],
  baseBranch: [envVar(env, "BITBUCKET_PR_DESTINATION_BRANCH")],
  prSha: [envVar(env, "BITBUCKET_COMMIT")],
  baseSha: [doesNotProvide("bitbucket-pipelines", "base SHA")]
})

const azureCandidates = (env: Env): Candidates => {
  const provider = read(env, "BUILD_REPOSITORY_PROVIDER")
  const isGitHubRepo = provider !== undefined && /^github/i.test(provider)
  return {
    prNumber: isGitHubRepo
      ? [
        envVar(env, "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER"),
        // For GitHub repositories the "ID" is GitHub's internal id, not the PR number.
        { note: `env SYSTEM_PULLREQUEST_PULLREQUESTID (not used: BUILD_REPOSITORY_PROVIDER=${provider})` }
      ]
      : [envVar(env, "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER"), envVar(env, "SYSTEM_PULLREQUEST_PULLREQUESTID")],
    prBranch: [envVar(env, "SYSTEM_PULLREQUEST_SOURCEBRANCH")],
    baseBranch: [envVar(env, "SYSTEM_PULLREQUEST_TARGETBRANCH")],
    // Not BUILD_SOURCEVERSION: for PR builds that is the merge commit.
    prSha: [envVar(env, "SYSTEM_PULLREQUEST_SOURCECOMMITID")],
    baseSha: [doesNotProvide("azure-pipelines", "base SHA")]
  }
}

const circleCandidates = (env: Env): Candidates => {
  const url = read(env, "CIRCLE_PULL_REQUEST")
  // The PR number is the last path segment of the PR's URL (…/pull/123).
  const tail = url === undefined ? undefined : url.replace(/\/+$/, "").split("/").pop()
  return {
    prNumber: [{ source: "env CIRCLE_PULL_REQUEST", value: tail }],
    prBranch: [envVar(env, "CIRCLE_BRANCH")],
    baseBranch: [doesNotProvide("circleci", "base branch")],
    prSha: [envVar(env, "CIRCLE_SHA1")],
    baseSha: [doesNotProvide("circleci", "base SHA")]
  }
}

const buildkiteCandidates = (env: Env): Candidates => {
  const pr = read(env, "BUILDKITE_PULL_REQUEST")
  return {
    prNumber: [
      pr === "false"
        ? {
          source: "env BUILDKITE_PULL_REQUEST",
          value: undefined,
          absent: '"false": this build is not for a pull request'
        }
        : { source: "env BUILDKITE_PULL_REQUEST", value: pr }
    ],
    prBranch: [envVar(env, "BUILDKITE_BRANCH")],
    baseBranch: [envVar(env, "BUILDKITE_PULL_REQUEST_BASE_BRANCH")],
    prSha: [envVar(env, "BUILDKITE_COMMIT")],
    baseSha: [doesNotProvide("buildkite", "base SHA")]
  }
}

const jenkinsCandidates = (env: Env): Candidates => ({
  prNumber: [envVar(env, "CHANGE_ID")],
  prBranch: [envVar(env, "CHANGE_BRANCH")],
  baseBranch: [envVar(env, "CHANGE_TARGET")],
  prSha: [envVar(env, "GIT_COMMIT")],
  baseSha: [doesNotProvide("jenkins", "base SHA")]
})

/**
 * Finds what the CI environment says about the pull request. Facts the system does not
 * provide are simply absent; `sourcesTried` lists where each missing one was looked for.
 * Fails only when GitHub's event file exists in name but cannot be read as a JSON object.
 */
export const factsFromCiEnvironment = (
  env: Env,
  readTextFile: ReadTextFile
): Effect.Effect<CiEnvironmentFacts, CiEventFileError> => {
  const system = detectCiSystem(env)
  const result = (candidates: Candidates): CiEnvironmentFacts => ({ system, ...pick(candidates) })
  switch (system) {
    case "github-actions":
      return Effect.map(readGitHubEvent(env, readTextFile), (event) => result(githubCandidates(env, event)))
    case "gitlab-ci":
      return Effect.succeed(result(gitlabCandidates(env)))
    case "bitbucket-pipelines":
      return Effect.succeed(result(bitbucketCandidates(env)))
    case "azure-pipelines":
      return Effect.succeed(result(azureCandidates(env)))
    case "circleci":
      return Effect.succeed(result(circleCandidates(env)))
    case "buildkite":
      return Effect.succeed(result(buildkiteCandidates(env)))
    case "jenkins":
      return Effect.succeed(result(jenkinsCandidates(env)))
    case undefined: {
      const note = "CI environment (no known CI system detected)"
      return Effect.succeed({
        system,
        facts: {},
        sourcesTried: {
          prNumber: [note],
          prBranch: [note],
          baseBranch: [note],
          prSha: [note],
          baseSha: [note]
        }
      })
    }
  }
}
