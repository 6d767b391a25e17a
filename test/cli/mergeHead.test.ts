/**
 * A checked-out merge commit (Jenkins "merge with target", GitLab merged results, Azure
 * PR builds): the PR-side parent is sent, decided by reachability from the base branch,
 * so both parent orders give the PR head. Real git repositories, nothing stubbed.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { rmSync } from "node:fs"
import { resolvePrFacts } from "../../src/cli/facts/resolvePrFacts.ts"
import { git, type MergeCheckout, mergeRepository } from "./support/gitRepo.ts"

const dirs: Array<string> = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const repository = (merge: MergeCheckout) => {
  const repo = mergeRepository(merge)
  dirs.push(repo.dir)
  return repo
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
