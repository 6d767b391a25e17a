/**
 * CircleCI: the PR number is the tail of the PR's URL, and the base branch is not given.
 *
 * @module
 */
import { type CiSystem, doesNotProvide, envVar, exampleCommand, isOn, read } from "./CiSystem.ts"

/** CircleCI. */
export const circleci: CiSystem = {
  name: "circleci",
  label: "CircleCI",
  detect: (env) => isOn(env, "CIRCLECI"),
  candidates: (env) => {
    const url = read(env, "CIRCLE_PULL_REQUEST")
    // The PR number is the last path segment of the PR's URL (…/pull/123).
    const tail = url === undefined ? undefined : url.replace(/\/+$/, "").split("/").pop()
    return {
      prNumber: [{ source: "env CIRCLE_PULL_REQUEST", value: tail }],
      prBranch: [envVar(env, "CIRCLE_BRANCH")],
      baseBranch: [doesNotProvide("CircleCI", "base branch")],
      prSha: [envVar(env, "CIRCLE_SHA1")],
      baseSha: [doesNotProvide("CircleCI", "base SHA")]
    }
  },
  example: `run: ${exampleCommand} --base-branch main`,
  notes: ["CircleCI does not name the base branch: pass --base-branch."]
}
