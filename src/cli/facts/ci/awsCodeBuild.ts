/**
 * AWS CodeBuild, builds started by a source provider's webhook.
 *
 * @module
 */
import { type CiSystem, doesNotProvide, envVar, exampleCommand, read } from "./CiSystem.ts"

/** AWS CodeBuild. */
export const awsCodeBuild: CiSystem = {
  name: "aws-codebuild",
  label: "AWS CodeBuild",
  detect: (env) => read(env, "CODEBUILD_BUILD_ID") !== undefined,
  candidates: (env) => {
    const trigger = read(env, "CODEBUILD_WEBHOOK_TRIGGER")
    // pr/<number> on pull request events; branch/… and tag/… otherwise.
    const number = trigger?.startsWith("pr/") === true ? trigger.slice(3) : undefined
    return {
      prNumber: [{
        source: "env CODEBUILD_WEBHOOK_TRIGGER",
        value: number,
        ...(trigger !== undefined && number === undefined ? { absent: `"${trigger}" is not pr/<number>` } : {})
      }],
      prBranch: [envVar(env, "CODEBUILD_WEBHOOK_HEAD_REF")],
      baseBranch: [envVar(env, "CODEBUILD_WEBHOOK_BASE_REF")],
      prSha: [envVar(env, "CODEBUILD_RESOLVED_SOURCE_VERSION")],
      baseSha: [doesNotProvide("AWS CodeBuild", "base SHA")]
    }
  },
  example: `build: commands: [${exampleCommand}]`,
  notes: ["Webhook builds of pull request events; a build started by hand has no PR facts: pass the flags."]
}
