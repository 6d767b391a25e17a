/**
 * Drone, and Harness: Harness CI and Harness Open Source (Gitness) export Drone's
 * `DRONE_*` variables (Harness CI's environment variables reference lists them).
 *
 * @module
 */
import { type CiSystem, doesNotProvide, envVar, exampleCommand, isOn, read } from "./CiSystem.ts"

/** Drone and Harness. */
export const drone: CiSystem = {
  name: "drone",
  label: "Drone / Harness",
  detect: (env) => isOn(env, "DRONE") || read(env, "HARNESS_BUILD_ID") !== undefined,
  candidates: (env) => {
    const event = read(env, "DRONE_BUILD_EVENT")
    const notPr = event !== undefined && event !== "pull_request"
    return {
      prNumber: [
        notPr
          ? {
            source: "env DRONE_PULL_REQUEST",
            value: undefined,
            absent: `DRONE_BUILD_EVENT=${event}, not pull_request`
          }
          : envVar(env, "DRONE_PULL_REQUEST")
      ],
      prBranch: [envVar(env, "DRONE_SOURCE_BRANCH")],
      baseBranch: [envVar(env, "DRONE_TARGET_BRANCH")],
      prSha: [envVar(env, "DRONE_COMMIT_SHA")],
      baseSha: [doesNotProvide("Drone", "base SHA")]
    }
  },
  example: `commands: [${exampleCommand}]`,
  notes: ["Runs on pull_request events (DRONE_BUILD_EVENT)."]
}
