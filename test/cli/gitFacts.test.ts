import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { makeGitFacts } from "../../src/cli/facts/GitFacts.ts"
import { MissingPrFactError } from "../../src/cli/facts/PrFactsError.ts"
import { resolvePrFacts } from "../../src/cli/facts/resolvePrFacts.ts"
import { commit, git } from "./support/gitRepo.ts"

interface History {
  readonly a: string
  readonly b: string
  /** feature's tip, branched off main at b */
  readonly c: string
  /** main's tip after feature branched off */
  readonly d: string
}

/** main: a - b - d ; feature: b - c ; feature checked out. */
const buildHistory = (dir: string): History => {
  mkdirSync(dir, { recursive: true })
  git(dir, "init", "-q", "-b", "main")
  const a = commit(dir, "a.txt")
  const b = commit(dir, "b.txt")
  git(dir, "checkout", "-q", "-b", "feature")
  const c = commit(dir, "c.txt")
  git(dir, "checkout", "-q", "main")
  const d = commit(dir, "d.txt")
  git(dir, "checkout", "-q", "feature")
  return { a, b, c, d }
}

let root = ""
let h: History
/** origin/main made with update-ref; local main moved back to a so origin/main must win. */
let withOriginRef = ""
let hOrigin: History
/** No remote-tracking refs at all: only local main. */
let localOnly = ""
let bare = ""
/** A full clone of the bare repository, feature checked out. */
let fullClone = ""
/** `--depth 1` clone: main and feature tips only, no shared history. */
let shallowClone = ""
let notARepo = ""

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "datafold-gitfacts-"))
  localOnly = join(root, "local-only")
  h = buildHistory(localOnly)

  withOriginRef = join(root, "with-origin-ref")
  hOrigin = buildHistory(withOriginRef)
  git(withOriginRef, "update-ref", "refs/remotes/origin/main", hOrigin.d)
  git(withOriginRef, "branch", "-f", "main", hOrigin.a)

  bare = join(root, "origin.git")
  git(root, "clone", "-q", "--bare", localOnly, bare)
  fullClone = join(root, "full")
  git(root, "clone", "-q", `file://${bare}`, fullClone)
  git(fullClone, "checkout", "-q", "feature")

  shallowClone = join(root, "shallow")
  git(root, "clone", "-q", "--depth", "1", "--no-single-branch", `file://${bare}`, shallowClone)
  git(shallowClone, "checkout", "-q", "feature")

  notARepo = join(root, "plain-dir")
  mkdirSync(notARepo)
})

afterAll(() => {
  if (root !== "") rmSync(root, { recursive: true, force: true })
})

describe("makeGitFacts in a real repository", () => {
  it.effect("headSha is the checked-out commit", () =>
    Effect.gen(function* () {
      const head = yield* makeGitFacts(localOnly).headSha
      expect(head).toEqual({ value: h.c, source: "git rev-parse HEAD" })
      expect(head.value).toMatch(/^[0-9a-f]{40}$/)
    }))

  it.effect("currentBranch is the checked-out branch", () =>
    Effect.gen(function* () {
      const branch = yield* makeGitFacts(localOnly).currentBranch
      expect(branch).toEqual(Option.some({ value: "feature", source: "git rev-parse --abbrev-ref HEAD" }))
    }))

  it.effect("currentBranch is absent on a detached HEAD", () =>
    Effect.gen(function* () {
      const detached = join(root, "detached")
      git(root, "clone", "-q", `file://${bare}`, detached)
      git(detached, "checkout", "-q", "--detach", "origin/feature")
      const facts = makeGitFacts(detached)
      expect(yield* facts.currentBranch).toEqual(Option.none())
      expect((yield* facts.headSha).value).toBe(h.c)
    }))

  it.effect("mergeBase prefers origin/<base> over a local branch of that name", () =>
    Effect.gen(function* () {
      const base = yield* makeGitFacts(withOriginRef).mergeBase(hOrigin.c, "main")
      // Local main is at a, so using it would have given a.
      expect(base).toEqual({ value: hOrigin.b, source: `git merge-base ${hOrigin.c} origin/main` })
    }))

  it.effect("mergeBase falls back to <base> when there is no origin/<base>", () =>
    Effect.gen(function* () {
      const base = yield* makeGitFacts(localOnly).mergeBase(h.c, "main")
      expect(base).toEqual({ value: h.b, source: `git merge-base ${h.c} main` })
    }))

  it.effect("mergeBase in a clone of a bare repository uses the real origin/main", () =>
    Effect.gen(function* () {
      const facts = makeGitFacts(fullClone)
      expect(yield* facts.isShallow).toBe(false)
      expect(yield* facts.mergeBase(h.c, "main")).toEqual({ value: h.b, source: `git merge-base ${h.c} origin/main` })
    }))

  it.effect("mergeBase reports a base branch that does not exist", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(makeGitFacts(localOnly).mergeBase(h.c, "no-such-branch"))
      expect(error._tag).toBe("GitRefNotFoundError")
      if (error._tag !== "GitRefNotFoundError") return
      expect(error.what).toBe("base branch")
      expect(error.refsTried).toEqual(["origin/no-such-branch", "no-such-branch"])
      expect(error.shallow).toBe(false)
    }))

  it.effect("mergeBase reports a PR commit that is not in the repository", () =>
    Effect.gen(function* () {
      const unknown = "0123456789abcdef0123456789abcdef01234567"
      const error = yield* Effect.flip(makeGitFacts(localOnly).mergeBase(unknown, "main"))
      expect(error._tag).toBe("GitRefNotFoundError")
      if (error._tag !== "GitRefNotFoundError") return
      expect(error.what).toBe("PR commit")
      expect(error.refsTried).toEqual([unknown])
    }))

  it.effect("an argument git cannot be given is a failure value, not a defect", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(makeGitFacts(localOnly).mergeBase(h.c, "ma\u0000in"))
      expect(error._tag).toBe("GitCommandError")
    }))

  it.effect("resolvePrFacts fills PR branch, PR SHA and base SHA from git", () =>
    Effect.gen(function* () {
      const resolved = yield* resolvePrFacts({ flags: { prNumber: "7", baseBranch: "main" }, env: {}, cwd: fullClone })
      expect(resolved).toEqual({
        system: undefined,
        facts: {
          prNumber: { value: 7, source: "flag --pr-num" },
          prBranch: { value: "feature", source: "git rev-parse --abbrev-ref HEAD" },
          baseBranch: { value: "main", source: "flag --base-branch" },
          prSha: { value: h.c, source: "git rev-parse HEAD" },
          baseSha: { value: h.b, source: `git merge-base ${h.c} origin/main` }
        }
      })
    }))
})

describe("shallow clone without the shared history", () => {
  it.effect("is detected as shallow and has no merge base", () =>
    Effect.gen(function* () {
      const facts = makeGitFacts(shallowClone)
      expect(yield* facts.isShallow).toBe(true)
      expect((yield* facts.headSha).value).toBe(h.c)
      const error = yield* Effect.flip(facts.mergeBase(h.c, "main"))
      expect(error._tag).toBe("NoMergeBaseError")
      if (error._tag !== "NoMergeBaseError") return
      expect(error.shallow).toBe(true)
      expect(error.baseRef).toBe("origin/main")
    }))

  it.effect("resolvePrFacts fails for baseSha with the fetch-more-history hint", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        resolvePrFacts({ flags: { prNumber: "7", baseBranch: "main" }, env: {}, cwd: shallowClone })
      )
      expect(error).toBeInstanceOf(MissingPrFactError)
      if (!(error instanceof MissingPrFactError)) return
      expect(error.fact).toBe("baseSha")
      expect(error.flag).toBe("--base-sha")
      expect(error.sourcesTried[0]).toBe("flag --base-sha (not given)")
      expect(error.sourcesTried[1]).toBe("CI environment (no known CI system detected)")
      expect(error.sourcesTried[2]).toMatch(new RegExp(`^git merge-base ${h.c} origin/main \\(no common ancestor`))
      expect(error.hint).toContain("git fetch --unshallow")
      expect(error.hint).toContain("fetch-depth: 0")
      expect(error.message).toContain("base SHA")
      expect(error.message).toContain("--base-sha")
      expect(error.message).toContain("git fetch --unshallow")
    }))

  it.effect("fetching the history fixes it", () =>
    Effect.gen(function* () {
      const deepened = join(root, "shallow-then-unshallowed")
      git(root, "clone", "-q", "--depth", "1", "--no-single-branch", `file://${bare}`, deepened)
      git(deepened, "checkout", "-q", "feature")
      git(deepened, "fetch", "-q", "--unshallow")
      const base = yield* makeGitFacts(deepened).mergeBase(h.c, "main")
      expect(base.value).toBe(h.b)
    }))
})

describe("no usable git", () => {
  it.effect("a directory that is not a repository is GitUnavailableError, not a merge-base problem", () =>
    Effect.gen(function* () {
      const facts = makeGitFacts(notARepo)
      const error = yield* Effect.flip(facts.headSha)
      expect(error._tag).toBe("GitUnavailableError")
      expect(error._tag === "GitUnavailableError" && error.reason).toBe("not-a-git-repository")
      const mb = yield* Effect.flip(facts.mergeBase("0123456789abcdef0123456789abcdef01234567", "main"))
      expect(mb._tag).toBe("GitUnavailableError")
    }))

  it.effect("resolvePrFacts outside a repository names the sources tried and the flag", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        resolvePrFacts({
          flags: { prNumber: "7", prBranch: "feature", baseBranch: "main" },
          env: {},
          cwd: notARepo
        })
      )
      expect(error).toBeInstanceOf(MissingPrFactError)
      if (!(error instanceof MissingPrFactError)) return
      expect(error.fact).toBe("prSha")
      expect(error.flag).toBe("--pr-sha")
      expect(error.sourcesTried).toEqual([
        "flag --pr-sha (not given)",
        "CI environment (no known CI system detected)",
        `git rev-parse HEAD (${notARepo} is not inside a git repository)`
      ])
      expect(error.message).toContain("PR head SHA")
      expect(error.message).toContain("Pass it with --pr-sha")
    }))

  it.effect("the PR branch from git outside a repository is missing too", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        resolvePrFacts({ flags: { prNumber: 7, baseBranch: "main" }, env: {}, cwd: notARepo })
      )
      expect(error._tag).toBe("MissingPrFactError")
      if (error._tag !== "MissingPrFactError") return
      expect(error.fact).toBe("prBranch")
      expect(error.sourcesTried.at(-1)).toBe(
        `git rev-parse --abbrev-ref HEAD (${notARepo} is not inside a git repository)`
      )
    }))

  it.effect("a directory that does not exist is reported as such", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(makeGitFacts(join(root, "does-not-exist")).headSha)
      expect(error._tag === "GitUnavailableError" && error.reason).toBe("directory-not-found")
    }))

  it.effect("git missing from PATH is reported as not installed", () =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        const saved = process.env["PATH"]
        process.env["PATH"] = join(root, "empty-path")
        return saved
      }),
      () =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(makeGitFacts(localOnly).headSha)
          expect(error._tag === "GitUnavailableError" && error.reason).toBe("git-not-installed")
        }),
      (saved) =>
        Effect.sync(() => {
          if (saved === undefined) delete process.env["PATH"]
          else process.env["PATH"] = saved
        })
    ))
})
