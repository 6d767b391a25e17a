/**
 * Which commit a dbt upload names, and (for the post-upload check) which branch: a flag
 * when given; else, on a CI pull request build, the PR head the CI environment names
 * (never the merge commit a CI checks out: GitHub's `GITHUB_SHA`, GitLab's merged
 * results, Azure's and Jenkins' merges, whose PR-side parent git finds); else git in the
 * target folder, as the Python SDK does (`git rev-parse HEAD`).
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { type Env, factsFromCiEnvironment, type ReadTextFile, readTextFileFromDisk } from "../../facts/CiEnvironment.ts"
import type { GitError } from "../../facts/GitFacts.ts"
import { type Sourced, sourced } from "../../facts/PrFact.ts"
import type { CiEventFileError } from "../../facts/PrFactsError.ts"
import { lazyGitFacts, prHeadOf } from "../../facts/resolvePrFacts.ts"
import { MissingDbtFactError } from "../../shell/DbtCliError.ts"

/** Where to look. */
export interface ResolveCommitOptions {
  /** `--commit-sha` as given. */
  readonly flag: string | undefined
  readonly env: Env
  /** The folder whose git repository is the fallback: the target folder. */
  readonly cwd: string
  readonly readTextFile?: ReadTextFile | undefined
}

const gitWords = (error: GitError): string =>
  error._tag === "GitCommandError" ? (error.stderr.trim().split("\n")[0] ?? error.message) : error.message

/**
 * The commit the artifacts were built from, and where it came from. The SHA's format is
 * the library's to check (it refuses a short SHA or a branch name before sending).
 */
export const resolveCommit = (
  options: ResolveCommitOptions
): Effect.Effect<Sourced<string>, MissingDbtFactError | CiEventFileError> =>
  Effect.gen(function* () {
    const tried: Array<string> = []
    if (options.flag !== undefined && options.flag.trim() !== "") {
      return sourced(options.flag.trim(), "flag --commit-sha")
    }
    tried.push("flag --commit-sha (not given)")
    const ci = yield* factsFromCiEnvironment(options.env, options.readTextFile ?? readTextFileFromDisk)
    const git = lazyGitFacts(options.cwd)
    // A pull request build: its PR number is known. Its head is what Datafold links to the PR.
    const onPullRequest = ci.facts.prNumber !== undefined
    let commit = onPullRequest ? ci.facts.prSha : undefined
    if (onPullRequest && commit === undefined) tried.push(...ci.sourcesTried.prSha)
    if (commit === undefined) {
      const head = yield* Effect.either(git.headSha)
      if (head._tag === "Left") {
        tried.push(`git rev-parse HEAD in ${options.cwd} (${gitWords(head.left)})`)
        return yield* new MissingDbtFactError({ what: "commit", flag: "--commit-sha", sourcesTried: tried })
      }
      commit = head.right
    }
    const baseBranch = ci.facts.baseBranch
    if (!onPullRequest || baseBranch === undefined) return commit
    const head = yield* prHeadOf(git, commit, baseBranch.value, ci)
    if (head._tag === "Head") return head.sha
    tried.push(head.tried)
    return yield* new MissingDbtFactError({
      what: "commit",
      flag: "--commit-sha",
      sourcesTried: tried,
      hint: `${head.hint} or pass --commit-sha with the PR head commit.`
    })
  })

/**
 * The branch a post-upload check names: `--branch`, else the CI's PR branch, else git's
 * current branch in `cwd`.
 */
export const resolveBranch = (
  options: ResolveCommitOptions
): Effect.Effect<Sourced<string>, MissingDbtFactError | CiEventFileError> =>
  Effect.gen(function* () {
    const tried: Array<string> = []
    if (options.flag !== undefined && options.flag.trim() !== "") return sourced(options.flag, "flag --branch")
    tried.push("flag --branch (not given)")
    const ci = yield* factsFromCiEnvironment(options.env, options.readTextFile ?? readTextFileFromDisk)
    if (ci.facts.prBranch !== undefined) return ci.facts.prBranch
    tried.push(...ci.sourcesTried.prBranch)
    const branch = yield* Effect.either(lazyGitFacts(options.cwd).currentBranch)
    if (branch._tag === "Right" && Option.isSome(branch.right)) return branch.right.value
    tried.push(
      branch._tag === "Left"
        ? `git rev-parse --abbrev-ref HEAD (${gitWords(branch.left)})`
        : "git rev-parse --abbrev-ref HEAD (detached HEAD: no branch checked out)"
    )
    return yield* new MissingDbtFactError({ what: "branch", flag: "--branch", sourcesTried: tried })
  })
