/**
 * TeamCity with the Pull Requests build feature. TeamCity keeps the PR facts in
 * configuration parameters, not in the environment: the build configuration maps them
 * to the variables read here (see the README).
 *
 * @module
 */
import { type CiSystem, doesNotProvide, envVar, exampleCommand, read } from "./CiSystem.ts"

/** The environment variables a TeamCity build configuration maps the PR parameters to. */
export const teamcityVariables = {
  prNumber: ["TEAMCITY_PULL_REQUEST_NUMBER", "teamcity.pullRequest.number"],
  prBranch: ["TEAMCITY_PULL_REQUEST_SOURCE_BRANCH", "teamcity.pullRequest.source.branch"],
  baseBranch: ["TEAMCITY_PULL_REQUEST_TARGET_BRANCH", "teamcity.pullRequest.target.branch"]
} as const

const mapped = (env: Parameters<CiSystem["detect"]>[0], [name, parameter]: readonly [string, string]) => ({
  ...envVar(env, name),
  absent: `not set: map it in the build configuration, env.${name} = %${parameter}%`
})

/** TeamCity. */
export const teamcity: CiSystem = {
  name: "teamcity",
  label: "TeamCity",
  detect: (env) => read(env, "TEAMCITY_VERSION") !== undefined,
  candidates: (env) => ({
    prNumber: [mapped(env, teamcityVariables.prNumber)],
    prBranch: [mapped(env, teamcityVariables.prBranch)],
    baseBranch: [mapped(env, teamcityVariables.baseBranch)],
    // The built revision; for Azure DevOps PRs TeamCity builds the merge branch.
    prSha: [envVar(env, "BUILD_VCS_NUMBER", { mayBeMerge: true })],
    baseSha: [doesNotProvide("TeamCity", "base SHA")]
  }),
  example: `script: ${exampleCommand}`,
  notes: [
    "Needs configuration: add the Pull Requests build feature, then parameters env.TEAMCITY_PULL_REQUEST_NUMBER = %teamcity.pullRequest.number%, env.TEAMCITY_PULL_REQUEST_SOURCE_BRANCH = %teamcity.pullRequest.source.branch%, env.TEAMCITY_PULL_REQUEST_TARGET_BRANCH = %teamcity.pullRequest.target.branch%."
  ]
}
