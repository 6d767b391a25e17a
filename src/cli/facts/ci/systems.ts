/**
 * Every CI system `datafold-ci` knows, in the order they are tried: the specific ones
 * first, and Jenkins multibranch last, since `CHANGE_ID` is a generic name.
 *
 * @module
 */
import { awsCodeBuild } from "./awsCodeBuild.ts"
import { azurePipelines } from "./azurePipelines.ts"
import { bitbucketPipelines } from "./bitbucketPipelines.ts"
import { buildkite } from "./buildkite.ts"
import { circleci } from "./circleci.ts"
import type { CiSystem } from "./CiSystem.ts"
import { drone } from "./drone.ts"
import { githubActions } from "./githubActions.ts"
import { gitlabCi } from "./gitlabCi.ts"
import { jenkins, jenkinsGhprb, jenkinsGitlab } from "./jenkins.ts"
import { semaphore } from "./semaphore.ts"
import { teamcity } from "./teamcity.ts"
import { woodpecker } from "./woodpecker.ts"

/** The known CI systems, in detection order. */
export const ciSystems: ReadonlyArray<CiSystem> = [
  githubActions,
  gitlabCi,
  bitbucketPipelines,
  azurePipelines,
  circleci,
  buildkite,
  drone,
  woodpecker,
  awsCodeBuild,
  teamcity,
  semaphore,
  jenkinsGhprb,
  jenkinsGitlab,
  jenkins
]
