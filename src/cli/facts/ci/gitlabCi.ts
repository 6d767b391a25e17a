/**
 * GitLab CI, merge request pipelines (merged-results pipelines included).
 *
 * @module
 */
import { type CiSystem, envVar, exampleCommand, isOn } from "./CiSystem.ts"

/** GitLab CI. */
export const gitlabCi: CiSystem = {
  name: "gitlab-ci",
  label: "GitLab CI",
  detect: (env) => isOn(env, "GITLAB_CI"),
  candidates: (env) => ({
    prNumber: [envVar(env, "CI_MERGE_REQUEST_IID")],
    prBranch: [envVar(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")],
    baseBranch: [envVar(env, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME")],
    // In merged-results pipelines CI_COMMIT_SHA is the merge commit; the source branch SHA
    // (set only there) is the real PR head. Without it, a merge is resolved with git.
    prSha: [envVar(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA"), envVar(env, "CI_COMMIT_SHA", { mayBeMerge: true })],
    baseSha: [envVar(env, "CI_MERGE_REQUEST_DIFF_BASE_SHA")]
  }),
  example: `script: ${exampleCommand}`,
  notes: ['Merge request pipelines (rules: if: $CI_PIPELINE_SOURCE == "merge_request_event").']
}
