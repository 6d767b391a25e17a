/**
 * A checked-out merge commit (Jenkins "merge with target", GitLab merged results, Azure
 * PR builds): the PR-side parent is sent, decided by reachability from the base branch,
 * so both parent orders give the PR head. Real git repositories, nothing stubbed.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { resolvePrFacts } from "../../src/cli/resolvePrFacts.ts"
import { commit, git } from "./support/gitRepo.ts"

const dirs: Array<string> = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/**
 * main: a - b - d (origin/main at d); feature: b - c. Then HEAD is checked out as `merge`
 * says: `pr-first` merges main into feature (Jenkins), `base-first` merges feature into
 * main (GitHub's and GitLab's merge refs), `pushed` is feature's own merge of main, pushed.
 */
const repository = (merge: "pr-first" | "base-first" | "pushed" | "no-base") => {
  const dir = mkdtempSync(join(tmpdir(), "datafold-merge-head-"))
  dirs.push(dir)
  git(dir, "init", "-q", "-b", "main")
  commit(dir, "a.txt")
  const b = commit(dir, "b.txt")
  git(dir, "checkout", "-q", "-b", "feature")
  const c = commit(dir, "c.txt")
  git(dir, "checkout", "-q", "main")
  const d = commit(dir, "d.txt")
  git(dir, "update-ref", "refs/remotes/origin/main", d)
  if (merge === "pr-first" || merge === "pushed" || merge === "no-base") {
    git(dir, "checkout", "-q", "--detach", c)
    git(dir, "merge", "-q", "--no-ff", "--no-edit", "main")
  } else {
    git(dir, "checkout", "-q", "--detach", d)
    git(dir, "merge", "-q", "--no-ff", "--no-edit", "feature")
  }
  const head = git(dir, "rev-parse", "HEAD")
  if (merge === "pushed") git(dir, "update-ref", "refs/remotes/origin/feature", head)
  if (merge === "no-base") {
    git(dir, "update-ref", "-d", "refs/remotes/origin/main")
    git(dir, "branch", "-q", "-D", "main")
  }
  return { dir, b, c, d, head }
}

const jenkinsEnv = (head: string) => ({
  JENKINS_URL: "https://ci.example",
  CHANGE_ID: "12",
  CHANGE_BRANCH: "feature",
  CHANGE_TARGET: "main",
  GIT_COMMIT: head
})

describe("a merge HEAD sends the PR-side parent", () => {
  it.effect("Jenkins merge-with-target (PR head as first parent): GIT_COMMIT's PR-side parent", () =>
    Effect.gen(function* () {
      const repo = repository("pr-first")
      expect(git(repo.dir, "rev-parse", "HEAD^1")).toBe(repo.c)
      const { facts } = yield* resolvePrFacts({ flags: {}, env: jenkinsEnv(repo.head), cwd: repo.dir })
      expect(facts.prSha.value).toBe(repo.c)
      expect(facts.prSha.source).toContain("env GIT_COMMIT was a merge commit")
      // The base SHA is the merge base of the PR head, not of the merge.
      expect(facts.baseSha.value).toBe(repo.b)
    }))

  it.effect("the other parent order (base first, as GitHub's and GitLab's merge refs): still the PR head", () =>
    Effect.gen(function* () {
      const repo = repository("base-first")
      expect(git(repo.dir, "rev-parse", "HEAD^2")).toBe(repo.c)
      const { facts } = yield* resolvePrFacts({ flags: {}, env: jenkinsEnv(repo.head), cwd: repo.dir })
      expect(facts.prSha.value).toBe(repo.c)
    }))

  it.effect("no CI, git HEAD a local merge: the PR-side parent", () =>
    Effect.gen(function* () {
      const repo = repository("base-first")
      const { facts } = yield* resolvePrFacts({
        flags: { prNumber: "12", prBranch: "feature", baseBranch: "main" },
        env: {},
        cwd: repo.dir
      })
      expect(facts.prSha.value).toBe(repo.c)
      expect(facts.prSha.source).toContain("git rev-parse HEAD was a merge commit")
    }))

  it.effect("GitLab merged results without CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: CI_COMMIT_SHA's PR-side parent", () =>
    Effect.gen(function* () {
      const repo = repository("base-first")
      const env = {
        GITLAB_CI: "true",
        CI_MERGE_REQUEST_IID: "12",
        CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "feature",
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
        CI_COMMIT_SHA: repo.head
      }
      const { facts } = yield* resolvePrFacts({ flags: {}, env, cwd: repo.dir })
      expect(facts.prSha.value).toBe(repo.c)
      // With the source branch SHA, it wins and git is not asked.
      const withSource = yield* resolvePrFacts({
        flags: {},
        env: { ...env, CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: repo.c },
        cwd: repo.dir
      })
      expect(withSource.facts.prSha).toStrictEqual({ value: repo.c, source: "env CI_MERGE_REQUEST_SOURCE_BRANCH_SHA" })
    }))

  it.effect("Azure Pipelines on a GitHub repository, without SOURCECOMMITID: BUILD_SOURCEVERSION's PR-side parent", () =>
    Effect.gen(function* () {
      const repo = repository("base-first")
      const { facts } = yield* resolvePrFacts({
        flags: {},
        env: {
          TF_BUILD: "True",
          BUILD_REPOSITORY_PROVIDER: "GitHub",
          SYSTEM_PULLREQUEST_PULLREQUESTID: "987654321",
          SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: "12",
          SYSTEM_PULLREQUEST_SOURCEBRANCH: "refs/heads/feature",
          SYSTEM_PULLREQUEST_TARGETBRANCH: "refs/heads/main",
          BUILD_SOURCEVERSION: repo.head
        },
        cwd: repo.dir
      })
      expect(facts.prNumber.value).toBe(12)
      expect(facts.prSha.value).toBe(repo.c)
    }))

  it.effect("a merge already on a remote branch is the PR's own commit: kept", () =>
    Effect.gen(function* () {
      const repo = repository("pushed")
      const { facts } = yield* resolvePrFacts({ flags: {}, env: jenkinsEnv(repo.head), cwd: repo.dir })
      expect(facts.prSha.value).toBe(repo.head)
    }))

  it.effect("a merge whose sides cannot be told apart (no base branch locally): refused, saying what to fetch", () =>
    Effect.gen(function* () {
      const repo = repository("no-base")
      const error = yield* Effect.flip(resolvePrFacts({ flags: {}, env: jenkinsEnv(repo.head), cwd: repo.dir }))
      expect(error._tag).toBe("MissingPrFactError")
      expect(error.message).toContain("is a merge commit")
      expect(error.message).toContain("git fetch origin main")
      expect(error.message).toContain("--pr-sha")
    }))

  it.effect("--pr-sha is never second-guessed, even when it names a merge", () =>
    Effect.gen(function* () {
      const repo = repository("pr-first")
      const { facts } = yield* resolvePrFacts({
        flags: { prSha: repo.head },
        env: jenkinsEnv(repo.head),
        cwd: repo.dir
      })
      expect(facts.prSha.value).toBe(repo.head)
    }))
})
