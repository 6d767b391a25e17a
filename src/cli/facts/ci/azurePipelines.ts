/**
 * Azure Pipelines PR builds, for Azure Repos and GitHub repositories.
 *
 * @module
 */
import { type CiSystem, doesNotProvide, envVar, exampleCommand, isOn, read } from "./CiSystem.ts"

/** Azure Pipelines. */
export const azurePipelines: CiSystem = {
  name: "azure-pipelines",
  label: "Azure Pipelines",
  detect: (env) => isOn(env, "TF_BUILD"),
  candidates: (env) => {
    const provider = read(env, "BUILD_REPOSITORY_PROVIDER")
    const isGitHubRepo = provider !== undefined && /^github/i.test(provider)
    return {
      prNumber: isGitHubRepo
        ? [
          envVar(env, "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER"),
          // For GitHub repositories the "ID" is GitHub's internal id, not the PR number.
          { note: `env SYSTEM_PULLREQUEST_PULLREQUESTID (not used: BUILD_REPOSITORY_PROVIDER=${provider})` }
        ]
        : [envVar(env, "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER"), envVar(env, "SYSTEM_PULLREQUEST_PULLREQUESTID")],
      prBranch: [envVar(env, "SYSTEM_PULLREQUEST_SOURCEBRANCH")],
      baseBranch: [envVar(env, "SYSTEM_PULLREQUEST_TARGETBRANCH")],
      // BUILD_SOURCEVERSION is the merge commit of a PR build: only a fallback, resolved with git.
      prSha: [
        envVar(env, "SYSTEM_PULLREQUEST_SOURCECOMMITID"),
        envVar(env, "BUILD_SOURCEVERSION", { mayBeMerge: true })
      ],
      baseSha: [doesNotProvide("Azure Pipelines", "base SHA")]
    }
  },
  example: `script: ${exampleCommand}`,
  notes: [
    "Secrets are not in the environment by default: give the step env: { DATAFOLD_API_KEY: $(DATAFOLD_API_KEY) }.",
    "PR builds check out a merge commit; the PR head is SYSTEM_PULLREQUEST_SOURCECOMMITID (GitHub repositories too)."
  ]
}
