/**
 * Semaphore (2.x): on PR builds `SEMAPHORE_GIT_SHA` is the merge commit and
 * `SEMAPHORE_GIT_BRANCH` the base branch.
 *
 * @module
 */
import { type CiSystem, doesNotProvide, envVar, exampleCommand, isOn } from "./CiSystem.ts"

/** Semaphore. */
export const semaphore: CiSystem = {
  name: "semaphore",
  label: "Semaphore",
  detect: (env) => isOn(env, "SEMAPHORE"),
  candidates: (env) => ({
    prNumber: [envVar(env, "SEMAPHORE_GIT_PR_NUMBER")],
    prBranch: [envVar(env, "SEMAPHORE_GIT_PR_BRANCH")],
    baseBranch: [envVar(env, "SEMAPHORE_GIT_BRANCH")],
    prSha: [envVar(env, "SEMAPHORE_GIT_PR_SHA"), envVar(env, "SEMAPHORE_GIT_SHA", { mayBeMerge: true })],
    baseSha: [doesNotProvide("Semaphore", "base SHA")]
  }),
  example: `commands: [${exampleCommand}]`
}
