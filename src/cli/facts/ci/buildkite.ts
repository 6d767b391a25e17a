/**
 * Buildkite: `BUILDKITE_PULL_REQUEST` is `false` on builds that are not for a PR.
 *
 * @module
 */
import { type CiSystem, doesNotProvide, envVar, exampleCommand, isOn, read } from "./CiSystem.ts"

/** Buildkite. */
export const buildkite: CiSystem = {
  name: "buildkite",
  label: "Buildkite",
  detect: (env) => isOn(env, "BUILDKITE"),
  candidates: (env) => {
    const pr = read(env, "BUILDKITE_PULL_REQUEST")
    return {
      prNumber: [
        pr === "false"
          ? {
            source: "env BUILDKITE_PULL_REQUEST",
            value: undefined,
            absent: '"false": this build is not for a pull request'
          }
          : { source: "env BUILDKITE_PULL_REQUEST", value: pr }
      ],
      prBranch: [envVar(env, "BUILDKITE_BRANCH")],
      baseBranch: [envVar(env, "BUILDKITE_PULL_REQUEST_BASE_BRANCH")],
      prSha: [envVar(env, "BUILDKITE_COMMIT")],
      baseSha: [doesNotProvide("Buildkite", "base SHA")]
    }
  },
  example: `command: ${exampleCommand}`
}
