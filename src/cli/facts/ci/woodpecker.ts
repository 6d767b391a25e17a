/**
 * Woodpecker CI (2.x and later).
 *
 * @module
 */
import { type CiSystem, doesNotProvide, envVar, exampleCommand, read } from "./CiSystem.ts"

/** Woodpecker CI. */
export const woodpecker: CiSystem = {
  name: "woodpecker",
  label: "Woodpecker CI",
  detect: (env) => read(env, "CI") === "woodpecker",
  candidates: (env) => {
    const event = read(env, "CI_PIPELINE_EVENT")
    const notPr = event !== undefined && event !== "pull_request"
    return {
      prNumber: [
        notPr
          ? {
            source: "env CI_COMMIT_PULL_REQUEST",
            value: undefined,
            absent: `CI_PIPELINE_EVENT=${event}, not pull_request`
          }
          : envVar(env, "CI_COMMIT_PULL_REQUEST")
      ],
      prBranch: [envVar(env, "CI_COMMIT_SOURCE_BRANCH")],
      baseBranch: [envVar(env, "CI_COMMIT_TARGET_BRANCH")],
      prSha: [envVar(env, "CI_COMMIT_SHA")],
      baseSha: [doesNotProvide("Woodpecker CI", "base SHA")]
    }
  },
  example: `commands: [${exampleCommand}]`,
  notes: ["Runs on pull_request events (CI_PIPELINE_EVENT)."]
}
