import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import {
  detectCiSystem,
  type Env,
  factsFromCiEnvironment,
  readTextFileFromDisk
} from "../../src/cli/facts/CiEnvironment.ts"
import { CiEventFileError, MissingPrFactError } from "../../src/cli/facts/PrFactsError.ts"
import { resolvePrFacts } from "../../src/cli/facts/resolvePrFacts.ts"
import { commit, git } from "./support/gitRepo.ts"

// Made-up SHAs for facts that never reach git.
const HEAD_SHA = "1111111111111111111111111111111111111111"
const BASE_SHA = "2222222222222222222222222222222222222222"
const MERGE_SHA = "3333333333333333333333333333333333333333"

let root = ""
/** main: b - d ; feature: b - c (checked out, detached as CI does); origin/main at d. */
let repo = ""
let b = ""
let c = ""
let notARepo = ""

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "datafold-cienv-"))
  repo = join(root, "repo")
  mkdirSync(repo)
  git(repo, "init", "-q", "-b", "main")
  b = commit(repo, "b.txt")
  git(repo, "checkout", "-q", "-b", "feature")
  c = commit(repo, "c.txt")
  git(repo, "checkout", "-q", "main")
  const d = commit(repo, "d.txt")
  git(repo, "update-ref", "refs/remotes/origin/main", d)
  git(repo, "checkout", "-q", "--detach", c)
  // Local main points elsewhere, so only origin/main gives b as the merge base.
  git(repo, "branch", "-f", "main", c)
  notARepo = join(root, "not-a-repo")
  mkdirSync(notARepo)
})

afterAll(() => {
  if (root !== "") rmSync(root, { recursive: true, force: true })
})

const writeEvent = (name: string, event: unknown): string => {
  const path = join(root, name)
  writeFileSync(path, typeof event === "string" ? event : JSON.stringify(event))
  return path
}

const fromEnv = (env: Env) => factsFromCiEnvironment(env, readTextFileFromDisk)

describe("detectCiSystem", () => {
  it("recognises each CI system by its documented marker", () => {
    expect(detectCiSystem({ GITHUB_ACTIONS: "true" })).toBe("github-actions")
    expect(detectCiSystem({ GITLAB_CI: "true" })).toBe("gitlab-ci")
    expect(detectCiSystem({ BITBUCKET_BUILD_NUMBER: "12" })).toBe("bitbucket-pipelines")
    expect(detectCiSystem({ TF_BUILD: "True" })).toBe("azure-pipelines")
    expect(detectCiSystem({ CIRCLECI: "true" })).toBe("circleci")
    expect(detectCiSystem({ BUILDKITE: "true" })).toBe("buildkite")
    expect(detectCiSystem({ JENKINS_URL: "https://ci.example.invalid/" })).toBe("jenkins")
    expect(detectCiSystem({ CHANGE_ID: "5" })).toBe("jenkins")
  })

  it("finds nothing in an empty environment, and empty or false markers do not count", () => {
    expect(detectCiSystem({})).toBeUndefined()
    expect(detectCiSystem({ GITHUB_ACTIONS: "", GITLAB_CI: "false", TF_BUILD: "   " })).toBeUndefined()
  })
})

describe("GitHub Actions", () => {
  const prEvent = {
    action: "synchronize",
    number: 42,
    pull_request: {
      number: 42,
      head: { sha: HEAD_SHA, ref: "feature/login" },
      base: { sha: BASE_SHA, ref: "main" }
    }
  }

  it.effect("a pull_request event gives all five facts; the head SHA comes from the event, not GITHUB_SHA", () =>
    Effect.gen(function* () {
      const env: Env = {
        GITHUB_ACTIONS: "true",
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: writeEvent("pr-event.json", prEvent),
        GITHUB_SHA: MERGE_SHA,
        GITHUB_HEAD_REF: "feature/login",
        GITHUB_BASE_REF: "main"
      }
      const found = yield* fromEnv(env)
      expect(found.system).toBe("github-actions")
      expect(found.facts).toEqual({
        prNumber: { value: 42, source: "GitHub event file .pull_request.number" },
        prBranch: { value: "feature/login", source: "env GITHUB_HEAD_REF" },
        baseBranch: { value: "main", source: "env GITHUB_BASE_REF" },
        prSha: { value: HEAD_SHA, source: "GitHub event file .pull_request.head.sha" },
        baseSha: { value: BASE_SHA, source: "GitHub event file .pull_request.base.sha" }
      })
      // Nothing from git is needed: this directory is not even a repository.
      const resolved = yield* resolvePrFacts({ flags: {}, env, cwd: notARepo })
      expect(resolved.system).toBe("github-actions")
      expect(resolved.facts).toEqual(found.facts)
      expect(resolved.facts.prSha.value).not.toBe(MERGE_SHA)
    }))

  it.effect("without GITHUB_HEAD_REF/GITHUB_BASE_REF the branches come from the event file", () =>
    Effect.gen(function* () {
      const found = yield* fromEnv({
        GITHUB_ACTIONS: "true",
        GITHUB_EVENT_PATH: writeEvent("pr-event-2.json", prEvent),
        GITHUB_HEAD_REF: ""
      })
      expect(found.facts.prBranch).toEqual({
        value: "feature/login",
        source: "GitHub event file .pull_request.head.ref"
      })
      expect(found.facts.baseBranch).toEqual({ value: "main", source: "GitHub event file .pull_request.base.ref" })
    }))

  it.effect("a push event has no PR facts, and GITHUB_SHA is still not used", () =>
    Effect.gen(function* () {
      const env: Env = {
        GITHUB_ACTIONS: "true",
        GITHUB_EVENT_NAME: "push",
        GITHUB_EVENT_PATH: writeEvent("push-event.json", { ref: "refs/heads/main", after: HEAD_SHA }),
        GITHUB_SHA: HEAD_SHA
      }
      const found = yield* fromEnv(env)
      expect(found.facts).toEqual({})
      expect(found.sourcesTried.prSha).toEqual([
        "GitHub event file .pull_request.head.sha (the event has no pull_request (GITHUB_EVENT_NAME=push))",
        "env GITHUB_SHA (not used: on pull_request events it is a temporary merge commit)"
      ])
      const error = yield* Effect.flip(resolvePrFacts({ flags: {}, env, cwd: repo }))
      expect(error).toBeInstanceOf(MissingPrFactError)
      if (!(error instanceof MissingPrFactError)) return
      expect(error.fact).toBe("prNumber")
      expect(error.flag).toBe("--pr-num")
      expect(error.sourcesTried).toEqual([
        "flag --pr-num (not given)",
        "GitHub event file .pull_request.number (the event has no pull_request (GITHUB_EVENT_NAME=push))"
      ])
    }))

  it.effect("an event file that does not exist is a CiEventFileError", () =>
    Effect.gen(function* () {
      const path = join(root, "missing-event.json")
      const error = yield* Effect.flip(fromEnv({ GITHUB_ACTIONS: "true", GITHUB_EVENT_PATH: path }))
      expect(error).toBeInstanceOf(CiEventFileError)
      expect(error.path).toBe(path)
      expect(error.reason).toContain("cannot read it")
      expect(error.reason).toContain("no such file")
      expect(error.message).toContain(path)
    }))

  it.effect("the injected reader is used, and the cause of its failure is reported", () =>
    Effect.gen(function* () {
      const path = join(root, "also-missing-event.json")
      const requested: Array<string> = []
      const readTextFile = (p: string) => {
        requested.push(p)
        return Effect.tryPromise(() => readFile(p, "utf8"))
      }
      const error = yield* Effect.flip(
        factsFromCiEnvironment({ GITHUB_ACTIONS: "true", GITHUB_EVENT_PATH: path }, readTextFile)
      )
      expect(requested).toEqual([path])
      expect(error.reason).toContain("no such file")
      const event = writeEvent("via-reader.json", { pull_request: { number: 8 } })
      const found = yield* factsFromCiEnvironment({ GITHUB_ACTIONS: "true", GITHUB_EVENT_PATH: event }, readTextFile)
      expect(found.facts.prNumber).toEqual({ value: 8, source: "GitHub event file .pull_request.number" })
    }))

  it.effect("an event file that is not JSON is a CiEventFileError", () =>
    Effect.gen(function* () {
      const path = writeEvent("broken-event.json", "{ not json")
      const error = yield* Effect.flip(
        resolvePrFacts({ flags: {}, env: { GITHUB_ACTIONS: "true", GITHUB_EVENT_PATH: path }, cwd: repo })
      )
      expect(error._tag).toBe("CiEventFileError")
      if (error._tag !== "CiEventFileError") return
      expect(error.path).toBe(path)
      expect(error.reason).toContain("not JSON")
    }))

  it.effect("the event file is not read when the flags give every fact", () =>
    Effect.gen(function* () {
      const resolved = yield* resolvePrFacts({
        flags: { prNumber: "9", prBranch: "f", baseBranch: "main", prSha: HEAD_SHA, baseSha: BASE_SHA },
        env: { GITHUB_ACTIONS: "true", GITHUB_EVENT_PATH: join(root, "missing-event.json") },
        cwd: notARepo
      })
      expect(resolved.system).toBe("github-actions")
      expect(resolved.facts.prNumber).toEqual({ value: 9, source: "flag --pr-num" })
    }))
})

describe("GitLab CI", () => {
  const mrEnv: Env = {
    GITLAB_CI: "true",
    CI_MERGE_REQUEST_IID: "314",
    CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "feature",
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
    CI_COMMIT_SHA: HEAD_SHA,
    CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: "",
    CI_MERGE_REQUEST_DIFF_BASE_SHA: BASE_SHA
  }

  it.effect("a merge request pipeline gives all five facts (empty SOURCE_BRANCH_SHA counts as absent)", () =>
    Effect.gen(function* () {
      const resolved = yield* resolvePrFacts({ flags: {}, env: mrEnv, cwd: notARepo })
      expect(resolved).toEqual({
        system: "gitlab-ci",
        facts: {
          prNumber: { value: 314, source: "env CI_MERGE_REQUEST_IID" },
          prBranch: { value: "feature", source: "env CI_MERGE_REQUEST_SOURCE_BRANCH_NAME" },
          baseBranch: { value: "main", source: "env CI_MERGE_REQUEST_TARGET_BRANCH_NAME" },
          prSha: { value: HEAD_SHA, source: "env CI_COMMIT_SHA" },
          baseSha: { value: BASE_SHA, source: "env CI_MERGE_REQUEST_DIFF_BASE_SHA" }
        }
      })
    }))

  it.effect("in a merged-results pipeline the source branch SHA wins over the merge commit", () =>
    Effect.gen(function* () {
      const found = yield* fromEnv({ ...mrEnv, CI_COMMIT_SHA: MERGE_SHA, CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: HEAD_SHA })
      expect(found.facts.prSha).toEqual({ value: HEAD_SHA, source: "env CI_MERGE_REQUEST_SOURCE_BRANCH_SHA" })
    }))

  it.effect("flags override the environment", () =>
    Effect.gen(function* () {
      const resolved = yield* resolvePrFacts({
        flags: {
          prNumber: "7",
          prBranch: "refs/heads/other",
          baseBranch: "develop",
          prSha: MERGE_SHA,
          baseSha: HEAD_SHA
        },
        env: mrEnv,
        cwd: notARepo
      })
      expect(resolved.facts).toEqual({
        prNumber: { value: 7, source: "flag --pr-num" },
        prBranch: { value: "other", source: "flag --pr-branch" },
        baseBranch: { value: "develop", source: "flag --base-branch" },
        prSha: { value: MERGE_SHA, source: "flag --pr-sha" },
        baseSha: { value: HEAD_SHA, source: "flag --base-sha" }
      })
    }))

  it.effect("one flag overrides only its own fact; an empty flag is not given", () =>
    Effect.gen(function* () {
      const resolved = yield* resolvePrFacts({ flags: { prSha: MERGE_SHA, prNumber: "" }, env: mrEnv, cwd: notARepo })
      expect(resolved.facts.prSha).toEqual({ value: MERGE_SHA, source: "flag --pr-sha" })
      expect(resolved.facts.prNumber).toEqual({ value: 314, source: "env CI_MERGE_REQUEST_IID" })
    }))

  it.effect("a --pr-num that is not a number is refused rather than replaced by the environment", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(resolvePrFacts({ flags: { prNumber: "12a" }, env: mrEnv, cwd: notARepo }))
      // The value is invalid: said so, rather than "could not find the PR number".
      expect(error._tag).toBe("UsageError")
      expect(error.message).toContain('--pr-num "12a" is invalid: it takes a positive whole number')
    }))
})

describe("CI systems without a base SHA: git merge-base fills it in", () => {
  it.effect("Bitbucket Pipelines", () =>
    Effect.gen(function* () {
      const resolved = yield* resolvePrFacts({
        flags: {},
        env: {
          BITBUCKET_BUILD_NUMBER: "88",
          BITBUCKET_PR_ID: "12",
          BITBUCKET_BRANCH: "feature",
          BITBUCKET_PR_DESTINATION_BRANCH: "main",
          BITBUCKET_COMMIT: c
        },
        cwd: repo
      })
      expect(resolved).toEqual({
        system: "bitbucket-pipelines",
        facts: {
          prNumber: { value: 12, source: "env BITBUCKET_PR_ID" },
          prBranch: { value: "feature", source: "env BITBUCKET_BRANCH" },
          baseBranch: { value: "main", source: "env BITBUCKET_PR_DESTINATION_BRANCH" },
          prSha: { value: c, source: "env BITBUCKET_COMMIT" },
          baseSha: { value: b, source: `git merge-base ${c} origin/main` }
        }
      })
    }))

  it.effect("Azure Pipelines with Azure Repos: PR id, refs/heads/ stripped", () =>
    Effect.gen(function* () {
      const resolved = yield* resolvePrFacts({
        flags: {},
        env: {
          TF_BUILD: "True",
          BUILD_REPOSITORY_PROVIDER: "TfsGit",
          BUILD_SOURCEVERSION: MERGE_SHA,
          SYSTEM_PULLREQUEST_PULLREQUESTID: "501",
          SYSTEM_PULLREQUEST_SOURCEBRANCH: "refs/heads/feature",
          SYSTEM_PULLREQUEST_TARGETBRANCH: "refs/heads/main",
          SYSTEM_PULLREQUEST_SOURCECOMMITID: c
        },
        cwd: repo
      })
      expect(resolved).toEqual({
        system: "azure-pipelines",
        facts: {
          prNumber: { value: 501, source: "env SYSTEM_PULLREQUEST_PULLREQUESTID" },
          prBranch: { value: "feature", source: "env SYSTEM_PULLREQUEST_SOURCEBRANCH" },
          baseBranch: { value: "main", source: "env SYSTEM_PULLREQUEST_TARGETBRANCH" },
          prSha: { value: c, source: "env SYSTEM_PULLREQUEST_SOURCECOMMITID" },
          baseSha: { value: b, source: `git merge-base ${c} origin/main` }
        }
      })
    }))

  it.effect("Azure Pipelines with a GitHub repository uses the PR number, never GitHub's internal id", () =>
    Effect.gen(function* () {
      const env: Env = {
        TF_BUILD: "True",
        BUILD_REPOSITORY_PROVIDER: "GitHub",
        SYSTEM_PULLREQUEST_PULLREQUESTID: "987654321",
        SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: "77"
      }
      const found = yield* fromEnv(env)
      expect(found.facts.prNumber).toEqual({ value: 77, source: "env SYSTEM_PULLREQUEST_PULLREQUESTNUMBER" })
      const withoutNumber = yield* fromEnv({ ...env, SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: undefined })
      expect(withoutNumber.facts.prNumber).toBeUndefined()
      expect(withoutNumber.sourcesTried.prNumber).toEqual([
        "env SYSTEM_PULLREQUEST_PULLREQUESTNUMBER (not set)",
        "env SYSTEM_PULLREQUEST_PULLREQUESTID (not used: BUILD_REPOSITORY_PROVIDER=GitHub)"
      ])
    }))

  it.effect("CircleCI: PR number from the URL tail; the base branch must come from a flag", () =>
    Effect.gen(function* () {
      const env: Env = {
        CIRCLECI: "true",
        CIRCLE_PULL_REQUEST: "https://github.com/acme/warehouse/pull/2718",
        CIRCLE_BRANCH: "feature",
        CIRCLE_SHA1: c
      }
      const missing = yield* Effect.flip(resolvePrFacts({ flags: {}, env, cwd: repo }))
      expect(missing._tag).toBe("MissingPrFactError")
      if (missing._tag !== "MissingPrFactError") return
      expect(missing.fact).toBe("baseBranch")
      expect(missing.flag).toBe("--base-branch")
      expect(missing.sourcesTried).toEqual([
        "flag --base-branch (not given)",
        "CircleCI (does not provide the base branch)"
      ])

      const resolved = yield* resolvePrFacts({ flags: { baseBranch: "main" }, env, cwd: repo })
      expect(resolved).toEqual({
        system: "circleci",
        facts: {
          prNumber: { value: 2718, source: "env CIRCLE_PULL_REQUEST" },
          prBranch: { value: "feature", source: "env CIRCLE_BRANCH" },
          baseBranch: { value: "main", source: "flag --base-branch" },
          prSha: { value: c, source: "env CIRCLE_SHA1" },
          baseSha: { value: b, source: `git merge-base ${c} origin/main` }
        }
      })
    }))

  it.effect("Buildkite pull request build", () =>
    Effect.gen(function* () {
      const resolved = yield* resolvePrFacts({
        flags: {},
        env: {
          BUILDKITE: "true",
          BUILDKITE_PULL_REQUEST: "64",
          BUILDKITE_BRANCH: "feature",
          BUILDKITE_PULL_REQUEST_BASE_BRANCH: "main",
          BUILDKITE_COMMIT: c
        },
        cwd: repo
      })
      expect(resolved).toEqual({
        system: "buildkite",
        facts: {
          prNumber: { value: 64, source: "env BUILDKITE_PULL_REQUEST" },
          prBranch: { value: "feature", source: "env BUILDKITE_BRANCH" },
          baseBranch: { value: "main", source: "env BUILDKITE_PULL_REQUEST_BASE_BRANCH" },
          prSha: { value: c, source: "env BUILDKITE_COMMIT" },
          baseSha: { value: b, source: `git merge-base ${c} origin/main` }
        }
      })
    }))

  it.effect("Buildkite: BUILDKITE_PULL_REQUEST=false means no PR number; BUILDKITE_COMMIT=HEAD falls through to git", () =>
    Effect.gen(function* () {
      const env: Env = {
        BUILDKITE: "true",
        BUILDKITE_PULL_REQUEST: "false",
        BUILDKITE_BRANCH: "feature",
        BUILDKITE_PULL_REQUEST_BASE_BRANCH: "",
        BUILDKITE_COMMIT: "HEAD"
      }
      const found = yield* fromEnv(env)
      expect(found.facts.prNumber).toBeUndefined()
      expect(found.facts.prSha).toBeUndefined()

      const error = yield* Effect.flip(resolvePrFacts({ flags: {}, env, cwd: repo }))
      expect(error._tag).toBe("MissingPrFactError")
      if (error._tag !== "MissingPrFactError") return
      expect(error.fact).toBe("prNumber")
      expect(error.sourcesTried).toEqual([
        "flag --pr-num (not given)",
        'env BUILDKITE_PULL_REQUEST ("false": this build is not for a pull request)'
      ])

      const resolved = yield* resolvePrFacts({ flags: { prNumber: "5", baseBranch: "main" }, env, cwd: repo })
      expect(resolved.facts.prSha).toEqual({ value: c, source: "git rev-parse HEAD" })
      expect(resolved.facts.baseSha).toEqual({ value: b, source: `git merge-base ${c} origin/main` })
    }))

  it.effect("Jenkins multibranch", () =>
    Effect.gen(function* () {
      const resolved = yield* resolvePrFacts({
        flags: {},
        env: {
          JENKINS_URL: "https://jenkins.example.invalid/",
          CHANGE_ID: "19",
          CHANGE_BRANCH: "feature",
          CHANGE_TARGET: "main",
          GIT_COMMIT: c
        },
        cwd: repo
      })
      expect(resolved).toEqual({
        system: "jenkins",
        facts: {
          prNumber: { value: 19, source: "env CHANGE_ID" },
          prBranch: { value: "feature", source: "env CHANGE_BRANCH" },
          baseBranch: { value: "main", source: "env CHANGE_TARGET" },
          prSha: { value: c, source: "env GIT_COMMIT" },
          baseSha: { value: b, source: `git merge-base ${c} origin/main` }
        }
      })
    }))

  it.effect("a non-numeric PR number is treated as absent and recorded", () =>
    Effect.gen(function* () {
      const found = yield* fromEnv({ JENKINS_URL: "https://jenkins.example.invalid/", CHANGE_ID: "PR-19" })
      expect(found.facts.prNumber).toBeUndefined()
      expect(found.sourcesTried.prNumber).toEqual(['env CHANGE_ID ("PR-19" is not a positive whole number)'])
      const error = yield* Effect.flip(
        resolvePrFacts({
          flags: {},
          env: { JENKINS_URL: "https://jenkins.example.invalid/", CHANGE_ID: "0" },
          cwd: repo
        })
      )
      expect(error._tag === "MissingPrFactError" && error.sourcesTried).toEqual([
        "flag --pr-num (not given)",
        'env CHANGE_ID ("0" is not a positive whole number)'
      ])
    }))
})

describe("no CI system", () => {
  it.effect("reports nothing found and says so in sourcesTried", () =>
    Effect.gen(function* () {
      const found = yield* fromEnv({ HOME: "/home/someone", CI: "true" })
      expect(found.system).toBeUndefined()
      expect(found.facts).toEqual({})
      expect(found.sourcesTried.baseSha).toEqual(["CI environment (no known CI system detected)"])
    }))

  it.effect("the git PR branch is used when the checkout is on a branch", () =>
    Effect.gen(function* () {
      const onBranch = join(root, "on-branch")
      git(root, "clone", "-q", "--no-local", repo, onBranch)
      git(onBranch, "checkout", "-q", "-b", "topic", c)
      const resolved = yield* resolvePrFacts({ flags: { prNumber: "3", baseBranch: "main" }, env: {}, cwd: onBranch })
      expect(resolved.facts.prBranch).toEqual({ value: "topic", source: "git rev-parse --abbrev-ref HEAD" })
      expect(resolved.facts.prSha).toEqual({ value: c, source: "git rev-parse HEAD" })
    }))

  it.effect("a detached checkout gives no PR branch", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        resolvePrFacts({ flags: { prNumber: "3", baseBranch: "main" }, env: {}, cwd: repo })
      )
      expect(error._tag === "MissingPrFactError" && error.sourcesTried).toEqual([
        "flag --pr-branch (not given)",
        "CI environment (no known CI system detected)",
        "git rev-parse --abbrev-ref HEAD (detached HEAD: no branch checked out)"
      ])
    }))
})
