/**
 * The merge commit a CI checks out on a pull request build, as its own variables name it:
 * GitHub's `GITHUB_SHA` on a `refs/pull/N/merge` build, GitLab's `CI_COMMIT_SHA` in a
 * merged-results pipeline, Azure's `BUILD_SOURCEVERSION` on a PR build. A pipeline that
 * passes one of these as `--commit-sha` names a commit Datafold cannot link to the PR.
 *
 * @module
 */
import type { Env } from "./CiEnvironment.ts"

/** A merge commit the CI made, and the variable that holds it. */
export interface CiMergeCommit {
  readonly sha: string
  readonly variable: string
}

const value = (env: Env, name: string): string | undefined => {
  const raw = env[name]?.trim()
  return raw === undefined || raw === "" ? undefined : raw
}

/** The merge commit this build checked out, when the CI's variables say it is one. */
export const ciMergeCommit = (env: Env): CiMergeCommit | undefined => {
  const githubSha = value(env, "GITHUB_SHA")
  if (githubSha !== undefined && /^refs\/pull\/\d+\/merge$/.test(value(env, "GITHUB_REF") ?? "")) {
    return { sha: githubSha, variable: `GITHUB_SHA (GITHUB_REF=${value(env, "GITHUB_REF")})` }
  }
  const gitlabSha = value(env, "CI_COMMIT_SHA")
  const gitlabHead = value(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA")
  if (value(env, "GITLAB_CI") !== undefined && gitlabSha !== undefined && gitlabHead !== undefined) {
    if (gitlabSha.toLowerCase() !== gitlabHead.toLowerCase()) {
      return { sha: gitlabSha, variable: "CI_COMMIT_SHA (a merged-results pipeline)" }
    }
  }
  const azureSha = value(env, "BUILD_SOURCEVERSION")
  const azureHead = value(env, "SYSTEM_PULLREQUEST_SOURCECOMMITID")
  if (azureSha !== undefined && azureHead !== undefined && azureSha.toLowerCase() !== azureHead.toLowerCase()) {
    return { sha: azureSha, variable: "BUILD_SOURCEVERSION (an Azure Pipelines PR build)" }
  }
  return undefined
}
