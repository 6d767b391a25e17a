/**
 * Resolves the five PR facts for `datafold-ci trigger`: flags first, then the CI
 * environment, then plain git.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import {
  type CiSystemName,
  detectCiSystem,
  type Env,
  factsFromCiEnvironment,
  type ReadTextFile,
  readTextFileFromDisk
} from "./CiEnvironment.ts"
import type { GitError, GitFacts } from "./GitFacts.ts"
import {
  noSourcesTried,
  parsePrNumber,
  type PartialPrFacts,
  prFactFlags,
  type PrFactName,
  prFactNames,
  type PrFacts,
  type Sourced,
  sourced,
  stripHeadsPrefix
} from "./PrFact.ts"
import { describeArgument } from "../args/CliArgs.ts"
import { UsageError } from "../args/CliError.ts"
import { type CiEventFileError, MissingPrFactError } from "./PrFactsError.ts"
import { branchNameProblem } from "../../core/branchName.ts"

/** Raw flag values as a command-line parser hands them over; absent or empty means "not given". */
export interface PrFactFlags {
  readonly prNumber?: string | number | undefined
  readonly prBranch?: string | undefined
  readonly baseBranch?: string | undefined
  readonly prSha?: string | undefined
  readonly baseSha?: string | undefined
}

/** Input to {@link resolvePrFacts}. */
export interface ResolvePrFactsOptions {
  /** Values given on the command line; these always win. */
  readonly flags: PrFactFlags
  /** The environment to detect the CI system from, usually `process.env`. */
  readonly env: Env
  /** The directory whose git repository is the fallback. */
  readonly cwd: string
  /** Reads the GitHub event file; defaults to `node:fs/promises`. */
  readonly readTextFile?: ReadTextFile | undefined
}

/** The resolved facts and the CI system they were (partly) found in. */
export interface ResolvedPrFacts {
  readonly system: CiSystemName | undefined
  readonly facts: PrFacts
}

/**
 * The git fallback, loaded (with `node:child_process`) only when a fact is left for git
 * to find: a trigger given every fact by flags or the CI never loads it.
 */
export const lazyGitFacts = (cwd: string): GitFacts => {
  const load = Effect.map(Effect.promise(() => import("./GitFacts.ts")), ({ makeGitFacts }) => makeGitFacts(cwd))
  return {
    headSha: Effect.flatMap(load, (git) => git.headSha),
    currentBranch: Effect.flatMap(load, (git) => git.currentBranch),
    isShallow: Effect.flatMap(load, (git) => git.isShallow),
    mergeBase: (prSha, baseBranch) => Effect.flatMap(load, (git) => git.mergeBase(prSha, baseBranch)),
    prSideOfMerge: (sha, baseBranch) => Effect.flatMap(load, (git) => git.prSideOfMerge(sha, baseBranch))
  }
}

/** One line on why git gave nothing; the command itself is already named by the caller. */
const describeGitError = (error: GitError): string => {
  if (error._tag !== "GitCommandError") return error.message
  const firstLine = error.stderr.trim().split("\n")[0] ?? ""
  const code = error.exitCode === undefined ? "failed" : `exit ${error.exitCode}`
  return firstLine === "" ? code : `${code}: ${firstLine}`
}

/** Advice for the user when the merge base could not be computed. */
const mergeBaseHint = (error: GitError, baseBranch: string): string | undefined => {
  const fetchMore = "This is a shallow clone, so the shared history was probably not fetched. " +
    "Fetch more history, e.g. `git fetch --unshallow` (or `git fetch --deepen=100 origin " + baseBranch + "`); " +
    "on GitHub Actions set `fetch-depth: 0` on actions/checkout. Or pass --base-sha."
  switch (error._tag) {
    case "NoMergeBaseError":
      return error.shallow ? fetchMore : `The PR commit and ${baseBranch} share no history. Pass --base-sha.`
    case "GitRefNotFoundError":
      return error.shallow
        ? fetchMore
        : error.what === "base branch"
        ? `Fetch the base branch first, e.g. \`git fetch origin ${baseBranch}\`, or pass --base-sha.`
        : "Fetch the PR commit first, or pass --base-sha."
    case "MergeParentUnknownError":
    case "GitUnavailableError":
    case "GitCommandError":
      return undefined
  }
}

/**
 * The PR head for a commit that may be a merge: a CI that checks out a merge (Jenkins
 * "merge with target", GitLab merged results, an Azure PR build) gives the merge, not the
 * PR head, so its PR-side parent is sent instead. A commit from git, or one the CI record
 * marks as possibly a merge, is checked; `Unknown` when git could see it is a merge but
 * not which parent is the PR's (the base branch is not fetched).
 */
export const prHeadOf = (
  git: GitFacts,
  prSha: Sourced<string>,
  baseBranch: string,
  ci: { readonly mayBeMerge: ReadonlySet<string> } | undefined
): Effect.Effect<
  { readonly _tag: "Head"; readonly sha: Sourced<string> } | {
    readonly _tag: "Unknown"
    readonly tried: string
    readonly hint: string
  }
> =>
  Effect.gen(function* () {
    const mayBeMerge = prSha.source.startsWith("git ") || (ci?.mayBeMerge.has(prSha.source) ?? false)
    if (!mayBeMerge) return { _tag: "Head", sha: prSha } as const
    const side = yield* Effect.either(git.prSideOfMerge(prSha.value, baseBranch))
    if (side._tag === "Left") {
      // A commit git cannot inspect (no repository, not fetched) is sent as the CI gave it.
      return side.left._tag === "MergeParentUnknownError"
        ? {
          _tag: "Unknown",
          tried: `${prSha.source} (${side.left.message})`,
          hint: `Fetch the base branch (git fetch origin ${baseBranch}) so the PR-side parent can be found,`
        } as const
        : { _tag: "Head", sha: prSha } as const
    }
    return Option.isSome(side.right)
      ? {
        _tag: "Head",
        sha: sourced(side.right.value.value, `${prSha.source} was a merge commit; ${side.right.value.source}`)
      } as const
      : { _tag: "Head", sha: prSha } as const
  })

/**
 * Finds the five PR facts: each flag given wins; anything left out is taken from the CI
 * environment, then from git in `cwd` (PR branch, PR head SHA, and the base SHA as the merge
 * base of the two). SHAs are not validated here; the library refuses malformed ones itself.
 */
export const resolvePrFacts = (
  options: ResolvePrFactsOptions
): Effect.Effect<ResolvedPrFacts, MissingPrFactError | CiEventFileError | UsageError> =>
  Effect.gen(function* () {
    const { cwd, env, flags } = options
    const found: { -readonly [K in PrFactName]?: PartialPrFacts[K] } = {}
    const tried = noSourcesTried()
    const missing = (fact: PrFactName, hint?: string) =>
      new MissingPrFactError({
        fact,
        sourcesTried: [...tried[fact]],
        flag: prFactFlags[fact],
        ...(hint === undefined ? {} : { hint })
      })

    // 1. Flags.
    for (const fact of prFactNames) {
      const raw = flags[fact]
      const flag = prFactFlags[fact]
      if (raw === undefined || (typeof raw === "string" && raw.trim() === "")) {
        tried[fact].push(`flag ${flag} (not given)`)
        continue
      }
      if (fact === "prNumber") {
        const n = parsePrNumber(raw)
        // A bad flag is an error, not a reason to quietly use something else instead.
        if (n === undefined) {
          return yield* new UsageError({
            problem: `${flag} ${
              describeArgument(String(raw))
            } is invalid: it takes a positive whole number, e.g. ${flag} 42.`
          })
        }
        found.prNumber = sourced(n, `flag ${flag}`)
      } else if (fact === "prBranch" || fact === "baseBranch") {
        // Taken as given, never trimmed: the library's rule (git's) decides, here as there.
        const branch = stripHeadsPrefix(String(raw))
        const problem = branchNameProblem(branch)
        if (problem !== undefined) {
          tried[fact].push(`flag ${flag} (${JSON.stringify(branch)} ${problem})`)
          return yield* missing(fact, `${flag} ${problem}; got ${JSON.stringify(branch)}.`)
        }
        found[fact] = sourced(branch, `flag ${flag}`)
      } else {
        const trimmed = String(raw).trim()
        if (trimmed === "") tried[fact].push(`flag ${flag} (empty)`)
        else found[fact] = sourced(trimmed, `flag ${flag}`)
      }
    }

    // 2. The CI environment, read only when something is still missing (it may read a file).
    const stillMissing = prFactNames.some((fact) => found[fact] === undefined)
    const ci = stillMissing
      ? yield* factsFromCiEnvironment(env, options.readTextFile ?? readTextFileFromDisk)
      : undefined
    if (ci !== undefined) {
      const takeFromCi = <K extends PrFactName>(fact: K): void => {
        if (found[fact] !== undefined) return
        const fromCi = ci.facts[fact]
        if (fromCi !== undefined) found[fact] = fromCi
        else tried[fact].push(...ci.sourcesTried[fact])
      }
      for (const fact of prFactNames) takeFromCi(fact)
    }
    const system = ci === undefined ? detectCiSystem(env) : ci.system

    // 3. What only the user or the CI can know.
    const prNumber = found.prNumber
    if (prNumber === undefined) return yield* missing("prNumber", ci?.hint)
    // 4. git.
    const git = lazyGitFacts(cwd)
    const gitFailure = (command: string) => (error: GitError) => `${command} (${describeGitError(error)})`

    let prBranch = found.prBranch
    if (prBranch === undefined) {
      const command = "git rev-parse --abbrev-ref HEAD"
      const branch = yield* Effect.either(git.currentBranch)
      if (branch._tag === "Left") {
        tried.prBranch.push(gitFailure(command)(branch.left))
      } else if (Option.isNone(branch.right)) {
        tried.prBranch.push(`${command} (detached HEAD: no branch checked out)`)
      } else {
        prBranch = branch.right.value
      }
      if (prBranch === undefined) return yield* missing("prBranch")
    }

    const baseBranch = found.baseBranch
    if (baseBranch === undefined) {
      // git has no notion of a PR's base branch, and guessing the default branch could be wrong.
      return yield* missing("baseBranch")
    }

    let prSha = found.prSha
    if (prSha === undefined) {
      const head = yield* Effect.either(git.headSha)
      if (head._tag === "Left") {
        tried.prSha.push(gitFailure("git rev-parse HEAD")(head.left))
        return yield* missing("prSha")
      }
      prSha = head.right
    }

    const head = yield* prHeadOf(git, prSha, baseBranch.value, ci)
    if (head._tag === "Unknown") {
      tried.prSha.push(head.tried)
      return yield* missing("prSha", `${head.hint} or pass --pr-sha with the PR head commit.`)
    }
    prSha = head.sha

    let baseSha = found.baseSha
    if (baseSha === undefined) {
      const base = yield* Effect.either(git.mergeBase(prSha.value, baseBranch.value))
      if (base._tag === "Left") {
        const baseRef = base.left._tag === "NoMergeBaseError" ? base.left.baseRef : `origin/${baseBranch.value}`
        tried.baseSha.push(gitFailure(`git merge-base ${prSha.value} ${baseRef}`)(base.left))
        return yield* missing("baseSha", mergeBaseHint(base.left, baseBranch.value))
      }
      baseSha = base.right
    }

    return { system, facts: { prNumber, prBranch, baseBranch, prSha, baseSha } }
  })

/** Input to {@link resolvePrNumber}. */
export interface ResolvePrNumberOptions {
  /** `--pr-num` as given. */
  readonly flag: string | undefined
  readonly env: Env
  readonly readTextFile?: ReadTextFile | undefined
}

/**
 * Finds only the PR number, as {@link resolvePrFacts} does (the flag, then the CI
 * environment): what `submit` needs.
 */
export const resolvePrNumber = (
  options: ResolvePrNumberOptions
): Effect.Effect<
  { readonly system: CiSystemName | undefined; readonly prNumber: PrFacts["prNumber"] },
  MissingPrFactError | CiEventFileError | UsageError
> =>
  Effect.gen(function* () {
    const flag = prFactFlags.prNumber
    if (options.flag !== undefined && options.flag.trim() !== "") {
      const n = parsePrNumber(options.flag)
      if (n === undefined) {
        return yield* new UsageError({
          problem: `${flag} ${
            describeArgument(options.flag)
          } is invalid: it takes a positive whole number, e.g. ${flag} 42.`
        })
      }
      return { system: detectCiSystem(options.env), prNumber: sourced(n, `flag ${flag}`) }
    }
    const ci = yield* factsFromCiEnvironment(options.env, options.readTextFile ?? readTextFileFromDisk)
    if (ci.facts.prNumber !== undefined) return { system: ci.system, prNumber: ci.facts.prNumber }
    return yield* new MissingPrFactError({
      fact: "prNumber",
      sourcesTried: [`flag ${flag} (not given)`, ...ci.sourcesTried.prNumber],
      flag,
      ...(ci.hint === undefined ? {} : { hint: ci.hint })
    })
  })
