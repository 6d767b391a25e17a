/**
 * The text of `datafold-ci --help`: every option, the environment variables, the exit
 * codes, and a one-line setup for each CI system whose PR facts are detected.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import { DEFAULT_HOST, DEFAULTS } from "../DatafoldConfig.ts"
import { exitCodeDescriptions } from "./ExitCode.ts"

const run = "npx datafold-ci trigger --ci-config-id 123"

/** One line per CI system; each assumes the API key is a secret exposed as DATAFOLD_API_KEY. */
const examples: ReadonlyArray<readonly [string, string]> = [
  ["GitHub Actions", `- run: ${run}`],
  ["GitLab CI", `script: ${run}`],
  ["Bitbucket Pipelines", `script: ${run}`],
  ["Azure Pipelines", `script: ${run}`],
  ["CircleCI", `run: ${run} --base-branch main`],
  ["Buildkite", `command: ${run}`],
  ["Jenkins", `sh '${run}'`]
]

/** The full help text. */
export const helpText = (): string => {
  const codeWidth = Math.max(...exitCodeDescriptions.map(([code]) => String(code).length))
  const ciWidth = Math.max(...examples.map(([name]) => name.length))
  return `datafold-ci: trigger a Datafold PR/MR data-diff run from a CI pipeline

Usage:
  datafold-ci trigger [options]
  datafold-ci --help | --version

Sends POST /api/v1/ci/{ci_config_id}/trigger with the PR number, branch, base branch,
PR head SHA and base SHA. Every PR value left out is found: flags first, then the CI
environment (GitHub Actions, GitLab CI, Bitbucket Pipelines, Azure Pipelines, CircleCI,
Buildkite, Jenkins), then git (current branch, HEAD, merge base with origin/<base>).

Options:
  --ci-config-id N      Datafold CI config id (Settings → CI); or DATAFOLD_CI_CONFIG_ID
  --pr-num N            PR/MR number (alias: --pr-number)
  --pr-branch NAME      the PR's branch (a refs/heads/ prefix is removed)
  --base-branch NAME    the branch the PR merges into
  --pr-sha SHA          full SHA of the PR head commit (not GitHub's merge commit)
  --base-sha SHA        full SHA of the base commit
  --host URL            Datafold URL; or DATAFOLD_HOST; default ${DEFAULT_HOST}
  --timeout SECONDS     per attempt; or DATAFOLD_TIMEOUT; default ${Duration.toSeconds(DEFAULTS.timeout)}
  --retries N           retries of transient failures (0 to 10); or DATAFOLD_RETRIES;
                        default ${DEFAULTS.retries}
  --dry-run             check everything and print the request (key redacted) and
                        where each value came from; send nothing
  --json                print exactly one JSON object on stdout: {"ok":true,...} or
                        {"ok":false,"error":{"_tag":...,"message":...}}; logs go to stderr
  -h, --help            show this help
  --version             print the version

The API key is never a flag: --api-key is refused.

Environment:
  DATAFOLD_API_KEY       the Datafold API key (required; the old DATAFOLD_APIKEY also works)
  DATAFOLD_HOST          Datafold URL, for dedicated and single-tenant deployments
  DATAFOLD_CI_CONFIG_ID  CI config id, when --ci-config-id is not given
  DATAFOLD_TIMEOUT       seconds per attempt, when --timeout is not given
  DATAFOLD_RETRIES       retry count, when --retries is not given
  GITHUB_STEP_SUMMARY    on GitHub Actions, a Markdown summary is appended here, and a
                         failure is also reported as an ::error annotation

Exit codes:
${exitCodeDescriptions.map(([code, text]) => `  ${String(code).padStart(codeWidth)}  ${text}`).join("\n")}

Examples (the API key stored as a CI secret named DATAFOLD_API_KEY):
${examples.map(([name, line]) => `  ${name.padEnd(ciWidth)}  ${line}`).join("\n")}

Notes:
  - GitHub Actions: run on pull_request events. The PR head SHA is read from the event
    file, never GITHUB_SHA (a merge commit Datafold cannot link to the PR).
  - GitLab CI: merge request pipelines. Bitbucket: under pipelines: pull-requests.
  - Azure Pipelines: secrets are not in the environment by default; give the step
    env: { DATAFOLD_API_KEY: $(DATAFOLD_API_KEY) }.
  - CircleCI does not name the base branch: pass --base-branch.
  - Where the CI gives no base SHA (Bitbucket, Azure, CircleCI, Buildkite, Jenkins), it is
    git merge-base <pr-sha> origin/<base>: check out enough history, not a depth-1 clone.
`
}
