/**
 * Jenkins, three ways: the GitHub pull request builder (`ghprb*`), the GitLab plugin
 * (`gitlabMergeRequest*`), and multibranch pipelines (`CHANGE_*`). Each can check out a
 * merge of the target into the PR head, so `GIT_COMMIT` is only a fallback, resolved to
 * the PR-side parent with git.
 *
 * @module
 */
import { type CiSystem, doesNotProvide, envVar, exampleCommand, read } from "./CiSystem.ts"

/** Jenkins with the GitHub pull request builder plugin. */
export const jenkinsGhprb: CiSystem = {
  name: "jenkins-ghprb",
  label: "Jenkins (GitHub PR builder)",
  detect: (env) => read(env, "ghprbPullId") !== undefined,
  candidates: (env) => ({
    prNumber: [envVar(env, "ghprbPullId")],
    prBranch: [envVar(env, "ghprbSourceBranch")],
    baseBranch: [envVar(env, "ghprbTargetBranch")],
    // GIT_COMMIT (and sha1) may be the merge ref the plugin builds.
    prSha: [envVar(env, "ghprbActualCommit"), envVar(env, "GIT_COMMIT", { mayBeMerge: true })],
    baseSha: [doesNotProvide("Jenkins (GitHub PR builder)", "base SHA")]
  }),
  example: `sh '${exampleCommand}'`
}

/** Jenkins with the GitLab plugin, on merge request events. */
export const jenkinsGitlab: CiSystem = {
  name: "jenkins-gitlab",
  label: "Jenkins (GitLab plugin)",
  detect: (env) => read(env, "gitlabMergeRequestIid") !== undefined,
  candidates: (env) => ({
    prNumber: [envVar(env, "gitlabMergeRequestIid")],
    prBranch: [envVar(env, "gitlabSourceBranch")],
    baseBranch: [envVar(env, "gitlabTargetBranch")],
    prSha: [envVar(env, "gitlabMergeRequestLastCommit"), envVar(env, "GIT_COMMIT", { mayBeMerge: true })],
    baseSha: [doesNotProvide("Jenkins (GitLab plugin)", "base SHA")]
  }),
  example: `sh '${exampleCommand}'`
}

/** Jenkins multibranch pipelines. */
export const jenkins: CiSystem = {
  name: "jenkins",
  label: "Jenkins (multibranch)",
  // Last: CHANGE_ID is a generic name that another system's job could happen to export.
  detect: (env) => read(env, "JENKINS_URL") !== undefined || read(env, "CHANGE_ID") !== undefined,
  candidates: (env) => ({
    prNumber: [envVar(env, "CHANGE_ID")],
    prBranch: [envVar(env, "CHANGE_BRANCH")],
    baseBranch: [envVar(env, "CHANGE_TARGET")],
    // With the "merge with target" strategy GIT_COMMIT is a local merge commit.
    prSha: [envVar(env, "GIT_COMMIT", { mayBeMerge: true })],
    baseSha: [doesNotProvide("Jenkins", "base SHA")]
  }),
  example: `sh '${exampleCommand}'`,
  notes: [
    'Multibranch "merge with target" checks out a local merge: its PR-side parent is sent, found with git (fetch the target branch).'
  ]
}
