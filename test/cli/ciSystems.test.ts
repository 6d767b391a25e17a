/**
 * The CI systems added as records: each is detected from its own variables and gives the
 * PR facts its documentation names, with a note where it needs configuration.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { ciSystems } from "../../src/cli/facts/ci/systems.ts"
import { detectCiSystem, factsFromCiEnvironment } from "../../src/cli/facts/CiEnvironment.ts"

const PR = "0123456789abcdef0123456789abcdef01234567"
const MERGE = "1111111111111111111111111111111111111111"
const noFile = () => Effect.fail(new Error("no event file in these tests"))

const cases: ReadonlyArray<{
  readonly system: string
  readonly env: Record<string, string>
  readonly expected: { prNumber: number; prBranch: string; baseBranch: string; prSha: string }
}> = [
  {
    system: "jenkins-ghprb",
    env: {
      JENKINS_URL: "https://ci",
      ghprbPullId: "31",
      ghprbSourceBranch: "feature",
      ghprbTargetBranch: "main",
      ghprbActualCommit: PR,
      GIT_COMMIT: MERGE,
      sha1: "origin/pr/31/merge"
    },
    expected: { prNumber: 31, prBranch: "feature", baseBranch: "main", prSha: PR }
  },
  {
    system: "jenkins-gitlab",
    env: {
      JENKINS_URL: "https://ci",
      gitlabMergeRequestIid: "7",
      gitlabSourceBranch: "feature",
      gitlabTargetBranch: "develop",
      gitlabMergeRequestLastCommit: PR,
      GIT_COMMIT: MERGE
    },
    expected: { prNumber: 7, prBranch: "feature", baseBranch: "develop", prSha: PR }
  },
  {
    system: "drone",
    env: {
      DRONE: "true",
      DRONE_BUILD_EVENT: "pull_request",
      DRONE_PULL_REQUEST: "5",
      DRONE_SOURCE_BRANCH: "feature",
      DRONE_TARGET_BRANCH: "main",
      DRONE_COMMIT_SHA: PR,
      DRONE_BRANCH: "main"
    },
    expected: { prNumber: 5, prBranch: "feature", baseBranch: "main", prSha: PR }
  },
  {
    // Harness CI exports Drone's variables; HARNESS_BUILD_ID says it is Harness.
    system: "drone",
    env: {
      HARNESS_BUILD_ID: "17",
      DRONE_BUILD_EVENT: "pull_request",
      DRONE_PULL_REQUEST: "6",
      DRONE_SOURCE_BRANCH: "feature",
      DRONE_TARGET_BRANCH: "main",
      DRONE_COMMIT_SHA: PR
    },
    expected: { prNumber: 6, prBranch: "feature", baseBranch: "main", prSha: PR }
  },
  {
    system: "woodpecker",
    env: {
      CI: "woodpecker",
      CI_PIPELINE_EVENT: "pull_request",
      CI_COMMIT_PULL_REQUEST: "9",
      CI_COMMIT_SOURCE_BRANCH: "feature",
      CI_COMMIT_TARGET_BRANCH: "main",
      CI_COMMIT_SHA: PR
    },
    expected: { prNumber: 9, prBranch: "feature", baseBranch: "main", prSha: PR }
  },
  {
    system: "aws-codebuild",
    env: {
      CODEBUILD_BUILD_ID: "proj:1",
      CODEBUILD_WEBHOOK_TRIGGER: "pr/14",
      CODEBUILD_WEBHOOK_HEAD_REF: "refs/heads/feature",
      CODEBUILD_WEBHOOK_BASE_REF: "refs/heads/main",
      CODEBUILD_RESOLVED_SOURCE_VERSION: PR
    },
    expected: { prNumber: 14, prBranch: "feature", baseBranch: "main", prSha: PR }
  },
  {
    system: "teamcity",
    env: {
      TEAMCITY_VERSION: "2025.11",
      TEAMCITY_PULL_REQUEST_NUMBER: "3",
      TEAMCITY_PULL_REQUEST_SOURCE_BRANCH: "feature",
      TEAMCITY_PULL_REQUEST_TARGET_BRANCH: "main",
      BUILD_VCS_NUMBER: PR
    },
    expected: { prNumber: 3, prBranch: "feature", baseBranch: "main", prSha: PR }
  },
  {
    system: "semaphore",
    env: {
      SEMAPHORE: "true",
      SEMAPHORE_GIT_PR_NUMBER: "8",
      SEMAPHORE_GIT_PR_BRANCH: "feature",
      SEMAPHORE_GIT_BRANCH: "main",
      SEMAPHORE_GIT_PR_SHA: PR,
      SEMAPHORE_GIT_SHA: MERGE
    },
    expected: { prNumber: 8, prBranch: "feature", baseBranch: "main", prSha: PR }
  }
]

describe("more CI systems, from their documented variables", () => {
  for (const { env, expected, system } of cases) {
    it.effect(`${system}: detected, and each fact from its variable`, () =>
      Effect.gen(function* () {
        expect(detectCiSystem(env)).toBe(system)
        const found = yield* factsFromCiEnvironment(env, noFile)
        expect(found.system).toBe(system)
        expect({
          prNumber: found.facts.prNumber?.value,
          prBranch: found.facts.prBranch?.value,
          baseBranch: found.facts.baseBranch?.value,
          prSha: found.facts.prSha?.value
        }).toStrictEqual(expected)
        expect(found.facts.baseSha).toBeUndefined()
      }))
  }

  it.effect("a system's merge commit is the fallback, marked for the git check", () =>
    Effect.gen(function* () {
      const found = yield* factsFromCiEnvironment({ SEMAPHORE: "true", SEMAPHORE_GIT_SHA: MERGE }, noFile)
      expect(found.facts.prSha).toStrictEqual({ value: MERGE, source: "env SEMAPHORE_GIT_SHA" })
      expect(found.mayBeMerge.has("env SEMAPHORE_GIT_SHA")).toBe(true)
    }))

  it.effect("events that are not pull requests say so (Drone push, Woodpecker push, CodeBuild branch)", () =>
    Effect.gen(function* () {
      const drone = yield* factsFromCiEnvironment(
        { DRONE: "true", DRONE_BUILD_EVENT: "push", DRONE_PULL_REQUEST: "5" },
        noFile
      )
      expect(drone.sourcesTried.prNumber).toStrictEqual([
        "env DRONE_PULL_REQUEST (DRONE_BUILD_EVENT=push, not pull_request)"
      ])
      const woodpecker = yield* factsFromCiEnvironment({ CI: "woodpecker", CI_PIPELINE_EVENT: "push" }, noFile)
      expect(woodpecker.facts.prNumber).toBeUndefined()
      const codebuild = yield* factsFromCiEnvironment(
        { CODEBUILD_BUILD_ID: "p:1", CODEBUILD_WEBHOOK_TRIGGER: "branch/main" },
        noFile
      )
      expect(codebuild.sourcesTried.prNumber).toStrictEqual([
        'env CODEBUILD_WEBHOOK_TRIGGER ("branch/main" is not pr/<number>)'
      ])
    }))

  it.effect("TeamCity without the mapped parameters says how to map them", () =>
    Effect.gen(function* () {
      const found = yield* factsFromCiEnvironment({ TEAMCITY_VERSION: "2025.11" }, noFile)
      expect(found.sourcesTried.prNumber).toStrictEqual([
        "env TEAMCITY_PULL_REQUEST_NUMBER (not set: map it in the build configuration, env.TEAMCITY_PULL_REQUEST_NUMBER = %teamcity.pullRequest.number%)"
      ])
    }))

  it("every system has a label, an example and a unique name", () => {
    expect(new Set(ciSystems.map((system) => system.name)).size).toBe(ciSystems.length)
    for (const system of ciSystems) {
      expect(system.label.length).toBeGreaterThan(0)
      expect(system.example).toContain("trigger --ci-config-id 123")
    }
  })
})
