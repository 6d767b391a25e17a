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
import { COMMIT_SHA } from "../../../core/inputRules.ts"
import { describeArgument } from "../../args/CliArgs.ts"
import { UsageError } from "../../args/CliError.ts"
import { ciMergeCommit } from "../../facts/ciMergeCommit.ts"

/** Where to look. */
export interface ResolveCommitOptions {
  /** `--commit-sha` as given. */
  readonly flag: string | undefined
  readonly env: Env
  /** The folder whose git repository is the fallback: the target folder. */
  readonly cwd: string
  readonly readTextFile?: ReadTextFile | undefined
  /** `--exact-commit`: send `--commit-sha` as given, even when it is the CI's merge commit. */
  readonly exact?: boolean | undefined
}

const gitWords = (error: GitError): string =>
  error._tag === "GitCommandError" ? (error.stderr.trim().split("\n")[0] ?? error.message) : error.message

/**
 * The commit the artifacts were built from, and where it came from. A `--commit-sha` that
 * is not a full SHA is refused naming the flag; one that is the CI's own merge commit is
 * replaced by the PR head the detection finds, with a warning naming both (unless
 * `exact`).
 */
export const resolveCommit = (
  options: ResolveCommitOptions
): Effect.Effect<Sourced<string>, MissingDbtFactError | CiEventFileError | UsageError> =>
  Effect.gen(function* () {
    const flag = options.flag?.trim()
    if (flag === undefined || flag === "") return yield* detectCommit(options)
    if (!COMMIT_SHA.test(flag)) {
      const ci = yield* factsFromCiEnvironment(options.env, options.readTextFile ?? readTextFileFromDisk)
      const push = ci.system !== undefined && ci.facts.prNumber === undefined
      return yield* new UsageError({
        problem: `--commit-sha ${describeArgument(flag)} is not a full commit SHA (40 or 64 hexadecimal ` +
          `characters; a short SHA or a branch name will not do).` +
          (push
            ? " On this push build, leaving --commit-sha out uses the pushed commit (git rev-parse HEAD)."
            : " Leave it out to have it found (the CI's PR head, else git rev-parse HEAD).")
      })
    }
    const given = sourced(flag, "flag --commit-sha")
    const merge = ciMergeCommit(options.env)
    if (options.exact === true || merge === undefined || merge.sha.toLowerCase() !== flag.toLowerCase()) return given
    const detected = yield* Effect.either(detectCommit(options))
    if (detected._tag === "Left" || detected.right.value.toLowerCase() === flag.toLowerCase()) return given
    const head = detected.right
    yield* Effect.logWarning(
      `--commit-sha ${flag} is the CI's merge commit (${merge.variable}), which Datafold cannot link to the PR; ` +
        `sending the PR head ${head.value} (${head.source}) instead. Pass --exact-commit to send ${
          flag.slice(0, 7)
        } as given.`
    )
    return sourced(head.value, `flag --commit-sha was the CI's merge commit; ${head.source}`)
  })

/** The commit found when `--commit-sha` is left out: the CI's PR head, else git. */
const detectCommit = (
  options: ResolveCommitOptions
): Effect.Effect<Sourced<string>, MissingDbtFactError | CiEventFileError> =>
  Effect.gen(function* () {
    const tried: Array<string> = ["flag --commit-sha (not given)"]
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
