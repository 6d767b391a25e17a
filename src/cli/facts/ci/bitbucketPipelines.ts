/**
 * Bitbucket Pipelines, under `pipelines: pull-requests:`.
 *
 * @module
 */
import { type CiSystem, doesNotProvide, envVar, exampleCommand, read } from "./CiSystem.ts"

/** Bitbucket Pipelines. */
export const bitbucketPipelines: CiSystem = {
  name: "bitbucket-pipelines",
  label: "Bitbucket Pipelines",
  detect: (env) =>
    read(env, "BITBUCKET_BUILD_NUMBER") !== undefined || read(env, "BITBUCKET_PIPELINE_UUID") !== undefined,
  candidates: (env) => ({
    prNumber: [envVar(env, "BITBUCKET_PR_ID")],
    prBranch: [envVar(env, "BITBUCKET_BRANCH")],
    baseBranch: [envVar(env, "BITBUCKET_PR_DESTINATION_BRANCH")],
    prSha: [envVar(env, "BITBUCKET_COMMIT")],
    baseSha: [doesNotProvide("Bitbucket Pipelines", "base SHA")]
  }),
  example: `script: ${exampleCommand}`,
  notes: ["Under pipelines: pull-requests:. The base SHA is git merge-base: do not clone with depth 1."]
}
