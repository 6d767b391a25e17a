/**
 * Plain git as the last source of PR facts: the checked-out commit, the current branch
 * and the merge base with the base branch. Every failure is a typed value.
 *
 * @module
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { execFile, type ExecFileException } from "node:child_process"
import { stat } from "node:fs/promises"
import { type Sourced, sourced } from "./PrFact.ts"

/** Git cannot be used here at all: it is not installed, the directory is missing, or it is not inside a repository. */
export class GitUnavailableError extends Data.TaggedError("GitUnavailableError")<{
  readonly cwd: string
  readonly reason: "git-not-installed" | "directory-not-found" | "not-a-git-repository"
  readonly detail: string
}> {
  /** A short explanation naming the directory. */
  override get message(): string {
    switch (this.reason) {
      case "git-not-installed":
        return `git is not installed or not on PATH (${this.detail})`
      case "directory-not-found":
        return `the directory ${this.cwd} does not exist`
      case "not-a-git-repository":
        return `${this.cwd} is not inside a git repository`
    }
  }
}

/** A git command ran but failed for a reason not otherwise classified. */
export class GitCommandError extends Data.TaggedError("GitCommandError")<{
  readonly args: ReadonlyArray<string>
  readonly exitCode: number | undefined
  readonly stderr: string
}> {
  /** The command, its exit code and git's own message. */
  override get message(): string {
    const code = this.exitCode === undefined ? "" : ` (exit ${this.exitCode})`
    return `git ${this.args.join(" ")} failed${code}: ${this.stderr.trim() || "no message"}`
  }
}

/** A commit or branch needed for the merge base is not in the local repository. */
export class GitRefNotFoundError extends Data.TaggedError("GitRefNotFoundError")<{
  /** What was being looked up, e.g. "base branch" or "PR commit". */
  readonly what: string
  readonly refsTried: ReadonlyArray<string>
  /** Whether the clone is shallow, the usual reason for missing objects in CI. */
  readonly shallow: boolean
}> {
  /** Names the missing refs. */
  override get message(): string {
    const shallow = this.shallow ? " (this is a shallow clone)" : ""
    return `${this.what} not found in the local repository: tried ${this.refsTried.join(", ")}${shallow}`
  }
}

/** The PR commit and the base branch share no history that is present locally. */
export class NoMergeBaseError extends Data.TaggedError("NoMergeBaseError")<{
  readonly prSha: string
  readonly baseRef: string
  /** Whether the clone is shallow: then the common history was most likely never fetched. */
  readonly shallow: boolean
}> {
  /** Says there is no common ancestor, and whether the clone is shallow. */
  override get message(): string {
    const shallow = this.shallow ? " in this shallow clone" : ""
    return `no common ancestor of ${this.prSha} and ${this.baseRef}${shallow}`
  }
}

/**
 * The checked-out commit is a merge, and git cannot tell which parent is the PR head:
 * the base branch is not available locally, or both (or neither) parents are on it.
 */
export class MergeParentUnknownError extends Data.TaggedError("MergeParentUnknownError")<{
  readonly merge: string
  readonly parents: ReadonlyArray<string>
  readonly why: string
}> {
  /** Names the merge and why its PR-side parent is unknown. */
  override get message(): string {
    return `${this.merge} is a merge commit (parents ${this.parents.join(", ")}) and ${this.why}`
  }
}

/** Any failure from the git fallback. */
export type GitError =
  | GitUnavailableError
  | GitCommandError
  | GitRefNotFoundError
  | NoMergeBaseError
  | MergeParentUnknownError

/** What a finished git command printed. */
export interface GitOutput {
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: number
}

/** Git's messages are matched below, so they must not be translated. */
const gitEnv = (): NodeJS.ProcessEnv => ({ ...process.env, LC_ALL: "C", GIT_TERMINAL_PROMPT: "0" })

const isMissingDirectory = (cwd: string): Effect.Effect<boolean> =>
  Effect.promise(() => stat(cwd).then((s) => !s.isDirectory(), () => true))

/**
 * Runs `git <args>` in `cwd`. A non-zero exit is returned as output for the caller to
 * interpret, except "not a git repository", which is always {@link GitUnavailableError}.
 */
export const runGit = (
  cwd: string,
  args: ReadonlyArray<string>
): Effect.Effect<GitOutput, GitUnavailableError | GitCommandError> =>
  Effect.async<GitOutput, GitUnavailableError | GitCommandError>((resume) => {
    const done = (error: ExecFileException | null, stdout: string, stderr: string): void => {
      if (error === null) {
        resume(Effect.succeed({ stdout, stderr, exitCode: 0 }))
      } else if (typeof error.code === "number") {
        resume(
          /not a git repository/i.test(stderr)
            ? Effect.fail(new GitUnavailableError({ cwd, reason: "not-a-git-repository", detail: stderr.trim() }))
            : Effect.succeed({ stdout, stderr, exitCode: error.code })
        )
      } else if (error.code === "ENOENT") {
        // Node reports a missing cwd with the same ENOENT as a missing executable.
        resume(Effect.flatMap(isMissingDirectory(cwd), (missing) =>
          Effect.fail(
            new GitUnavailableError({
              cwd,
              reason: missing ? "directory-not-found" : "git-not-installed",
              detail: error.message
            })
          )))
      } else {
        // Killed by a signal, output too large, permission denied, ...
        resume(Effect.fail(new GitCommandError({ args, exitCode: undefined, stderr: stderr || error.message })))
      }
    }
    try {
      const child = execFile(
        "git",
        [...args],
        { cwd, env: gitEnv(), encoding: "utf8", maxBuffer: 16 * 1024 * 1024, windowsHide: true },
        done
      )
      return Effect.sync(() => {
        child.kill()
      })
    } catch (error) {
      // execFile throws synchronously for arguments it refuses (e.g. a NUL byte): still a value.
      resume(Effect.fail(new GitCommandError({ args, exitCode: undefined, stderr: String(error) })))
      return undefined
    }
  })

/** Runs git and fails with {@link GitCommandError} on a non-zero exit; returns trimmed stdout. */
const gitOk = (
  cwd: string,
  args: ReadonlyArray<string>
): Effect.Effect<string, GitUnavailableError | GitCommandError> =>
  Effect.flatMap(
    runGit(cwd, args),
    (out) =>
      out.exitCode === 0
        ? Effect.succeed(out.stdout.trim())
        : Effect.fail(new GitCommandError({ args, exitCode: out.exitCode, stderr: out.stderr }))
  )

/** Git facts about the repository containing one directory. */
export interface GitFacts {
  /** The checked-out commit, from `git rev-parse HEAD`. */
  readonly headSha: Effect.Effect<Sourced<string>, GitUnavailableError | GitCommandError>
  /** The checked-out branch, from `git rev-parse --abbrev-ref HEAD`; none on a detached HEAD. */
  readonly currentBranch: Effect.Effect<Option.Option<Sourced<string>>, GitUnavailableError | GitCommandError>
  /** Whether the repository is a shallow clone (`git rev-parse --is-shallow-repository`). */
  readonly isShallow: Effect.Effect<boolean, GitUnavailableError | GitCommandError>
  /**
   * The merge base of the PR commit and the base branch: `git merge-base <prSha> origin/<base>`,
   * or `<base>` when there is no `origin/<base>`.
   */
  readonly mergeBase: (prSha: string, baseBranch: string) => Effect.Effect<Sourced<string>, GitError>
  /**
   * When `sha` is a merge commit that a CI made locally (a merge of the base into the PR,
   * or the reverse), its PR-side parent: the one parent not reachable from the base
   * branch, whichever order the parents are in. `None` when `sha` is not a merge, or is a
   * merge already on a remote branch (then it is the PR's own commit).
   */
  readonly prSideOfMerge: (sha: string, baseBranch: string) => Effect.Effect<Option.Option<Sourced<string>>, GitError>
}

/** Git facts for the repository that contains `cwd`. */
export const makeGitFacts = (cwd: string): GitFacts => {
  const isShallow = Effect.map(gitOk(cwd, ["rev-parse", "--is-shallow-repository"]), (out) => out === "true")

  /** `true` when `rev` names a commit present locally. */
  const hasCommit = (rev: string): Effect.Effect<boolean, GitUnavailableError | GitCommandError> =>
    // A leading "-" would be read as an option, and no ref or SHA starts with one.
    rev.startsWith("-")
      ? Effect.succeed(false)
      : Effect.flatMap(runGit(cwd, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]), (out) =>
        out.exitCode === 0 ? Effect.succeed(true) : out.exitCode === 1 ? Effect.succeed(false) : Effect.fail(
          new GitCommandError({
            args: ["rev-parse", "--verify", "--quiet", rev],
            exitCode: out.exitCode,
            stderr: out.stderr
          })
        ))

  const mergeBase = (prSha: string, baseBranch: string): Effect.Effect<Sourced<string>, GitError> =>
    Effect.gen(function* () {
      // CI checkouts rarely have a local base branch, but usually have the remote-tracking one.
      const candidates = [`origin/${baseBranch}`, baseBranch]
      let baseRef: string | undefined
      for (const candidate of candidates) {
        if (yield* hasCommit(candidate)) {
          baseRef = candidate
          break
        }
      }
      if (baseRef === undefined) {
        return yield* new GitRefNotFoundError({ what: "base branch", refsTried: candidates, shallow: yield* isShallow })
      }
      if (!(yield* hasCommit(prSha))) {
        return yield* new GitRefNotFoundError({ what: "PR commit", refsTried: [prSha], shallow: yield* isShallow })
      }
      const args = ["merge-base", prSha, baseRef]
      const out = yield* runGit(cwd, args)
      const sha = out.stdout.trim().split("\n")[0] ?? ""
      if (out.exitCode === 0 && sha !== "") return sourced(sha, `git ${args.join(" ")}`)
      // Exit 1 with no output is git's documented "no common ancestor".
      if (out.exitCode === 1) return yield* new NoMergeBaseError({ prSha, baseRef, shallow: yield* isShallow })
      return yield* new GitCommandError({ args, exitCode: out.exitCode, stderr: out.stderr })
    })

  const baseRefOf = (baseBranch: string) =>
    Effect.gen(function* () {
      for (const candidate of [`origin/${baseBranch}`, baseBranch]) {
        if (yield* hasCommit(candidate)) return candidate
      }
      return undefined
    })

  const prSideOfMerge = (sha: string, baseBranch: string) =>
    Effect.gen(function* () {
      if (sha.startsWith("-")) return Option.none()
      const [, ...parents] = (yield* gitOk(cwd, ["rev-list", "--parents", "-n", "1", sha])).split(/\s+/)
      if (parents.length < 2) return Option.none()
      // A merge already on a remote branch was pushed: it is the PR's own commit (say, main
      // merged into the feature branch). A CI's merge exists only in its local checkout.
      const remotes = yield* gitOk(cwd, ["for-each-ref", "--contains", sha, "--format=%(refname)", "refs/remotes/"])
      if (remotes !== "") return Option.none()
      const unknown = (why: string) => new MergeParentUnknownError({ merge: sha, parents, why })
      const baseRef = yield* baseRefOf(baseBranch)
      if (baseRef === undefined) {
        return yield* unknown(`the base branch (origin/${baseBranch} or ${baseBranch}) is not in the local repository`)
      }
      const offBase: Array<string> = []
      for (const parent of parents) {
        const out = yield* runGit(cwd, ["merge-base", "--is-ancestor", parent, baseRef])
        if (out.exitCode === 1) offBase.push(parent)
        else if (out.exitCode !== 0) {
          return yield* new GitCommandError({
            args: ["merge-base", "--is-ancestor", parent, baseRef],
            exitCode: out.exitCode,
            stderr: out.stderr
          })
        }
      }
      const [prSide] = offBase
      if (prSide === undefined || offBase.length > 1) {
        return yield* unknown(
          offBase.length === 0
            ? `every parent is already on ${baseRef}`
            : `more than one parent is missing from ${baseRef}`
        )
      }
      return Option.some(sourced(prSide, `git: the parent of merge ${sha.slice(0, 12)} that is not on ${baseRef}`))
    })

  return {
    prSideOfMerge,
    headSha: Effect.map(gitOk(cwd, ["rev-parse", "HEAD"]), (sha) => sourced(sha, "git rev-parse HEAD")),
    currentBranch: Effect.map(gitOk(cwd, ["rev-parse", "--abbrev-ref", "HEAD"]), (branch) =>
      // "HEAD" is what git prints for a detached HEAD, as CI checkouts of PRs usually are.
      branch === "HEAD" || branch === ""
        ? Option.none()
        : Option.some(sourced(branch, "git rev-parse --abbrev-ref HEAD"))),
    isShallow,
    mergeBase
  }
}
