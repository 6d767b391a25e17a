/**
 * The `--help` texts of `datafold-ci dbt` and its commands.
 *
 * @module
 */
import type { DbtCommandName } from "../../args/CliArgs.ts"
import { DEFAULT_TARGET_FOLDER } from "../../args/dbtDefaults.ts"
import { reportOptions, waitReportNote } from "./reportOptions.ts"

const connection = `  --ci-config-id N      Datafold CI config id (Settings → CI); or DATAFOLD_CI_CONFIG_ID
  --host URL            Datafold URL; or DATAFOLD_HOST; default https://app.datafold.com
  --request-timeout S   seconds per attempt (no progress for that long ends an upload's
                        attempt); or DATAFOLD_TIMEOUT; default 30
  --retries N           retries of transient failures (0 to 10); or DATAFOLD_RETRIES; default 3
  --json                print exactly one JSON object on stdout; progress and logs go to stderr`

const uploadOptions = `  --run-type TYPE       production (on merge to the main branch) or pull_request (on a PR build)
  --target-folder DIR   the dbt target folder; default ${DEFAULT_TARGET_FOLDER}
  --commit-sha SHA      the commit the artifacts were built from; default: on a CI pull request
                        build, the PR head (never the merge commit the CI checked out), else
                        git rev-parse HEAD in the target folder; the CI's merge commit
                        given here is replaced by the PR head, with a warning
  --exact-commit        send --commit-sha as given, even when it is the CI's merge commit
  --run-id ID           "low-drift" CI: the production run this PR build is compared with
  --max-upload-size N   a safety limit: refuse a folder holding more (20GB, 500MB, 16GiB);
                        or DATAFOLD_MAX_UPLOAD_SIZE; default 10GiB (past 4 GiB or 65 535
                        files the ZIP is ZIP64)
  --concurrency N       files or parts of a large file compressed at once, 1 to 16; or
                        DATAFOLD_UPLOAD_CONCURRENCY; default the cores, 2 to 4 (the same
                        archive whatever N; 1 uses one core and the least memory)
  --dry-run             read the folder and print what would be sent; send nothing`

const waitOptions = (timeoutFlag: string) =>
  `  ${timeoutFlag.padEnd(22)}minutes to wait for the run to end; default 60
  --appear-timeout S    seconds a run may take to appear in Datafold's listing; default 60
  --poll-interval S     the first wait between looks at the run, in seconds; default 2
                        (each next wait half as long again, up to 15)`

const texts: { readonly [K in DbtCommandName]: string } = {
  upload: `datafold-ci dbt upload: upload a dbt run's artifacts to Datafold

Usage:
  datafold-ci dbt upload --ci-config-id N --run-type production|pull_request [options]

Sends POST /api/v1/dbt/submit_artifacts/{ci_config_id}: the whole target folder as a deflate
ZIP (paths relative to it), streamed from disk as it is zipped, with commit_sha, run_type and
run_id. Refused before anything is sent: no such folder, no manifest.json in it, a file that
cannot be read. Symbolic links are followed only inside the folder. An upload is retried
only when it surely did not arrive (connection refused, 429, 503).

Options:
${uploadOptions}
${connection}
  --timeout S           as --request-timeout (here, and everywhere but upload-and-wait)
  -h, --help            show this help
`,
  "upload-and-wait": `datafold-ci dbt upload-and-wait: upload a dbt run's artifacts, then wait for its CI run

Usage:
  datafold-ci dbt upload-and-wait --ci-config-id N --run-type pull_request [options]

As dbt upload, then (for pull_request) waits until Datafold's CI run for the commit ends,
looking at GET /api/v1/ci/{ci_config_id}/runs?pr_sha=…: exit 0 when it is done, 8 when it
failed, 9 when it was cancelled, 10 when no run appeared or it did not finish in time. A
production upload starts no run: there is nothing to wait for.

Here --timeout is in MINUTES, as in the Python SDK's upload-and-wait; the time per attempt
is --request-timeout, in seconds.

Options:
${uploadOptions}
${waitOptions("--timeout MINUTES")}
  --wait-timeout M      the same as --timeout here
${reportOptions}
${connection}
  -h, --help            show this help

${waitReportNote}
`,
  "check-post-upload-dbt-artifacts":
    `datafold-ci dbt check-post-upload-dbt-artifacts: does Datafold have a commit's artifacts?

Usage:
  datafold-ci dbt check-post-upload-dbt-artifacts --ci-config-id N --run-type TYPE [options]

Sends POST /api/v1/dbt/post_upload_check_artifacts/{ci_config_id} (commit_sha, run_type,
branch). Exit 0 when Datafold answers {"status": "ok"}, 11 when it does not have them
(the Python SDK exits 0 either way: --warn-only does as it does).

Options:
  --run-type TYPE       production or pull_request
  --branch NAME         default: the CI's PR branch, else git's current branch
  --commit-sha SHA      default: the CI's PR head, else git rev-parse HEAD; the CI's merge
                        commit given here is replaced by the PR head, with a warning
  --exact-commit        send --commit-sha as given, even when it is the CI's merge commit
  --warn-only           missing artifacts print a warning and exit 0, as the SDK does
${connection}
  --timeout S           as --request-timeout
  -h, --help            show this help
`,
  "check-primary-keys": `datafold-ci dbt check-primary-keys: the primary keys Datafold finds for each dbt model

Usage:
  datafold-ci dbt check-primary-keys --ci-config-id N MANIFEST [--json]

Sends the manifest (e.g. target/manifest.json, streamed from disk) to
POST /api/internal/ci/{ci_config_id}/check_pks_in_dbt_manifest and prints a table: each
model, its table, the keys dbt declares and the keys Datafold finds, with any warnings,
then a summary line ("22 models, 3 with a primary key").

Options:
  --fail-on-missing     exit 12 when a model has no primary key (dbt's or Datafold's)
${connection}
  --timeout S           as --request-timeout
  -h, --help            show this help
`
}

/** The help of `datafold-ci dbt`, or of one of its commands. */
export const dbtHelpText = (command?: DbtCommandName): string =>
  command !== undefined ? texts[command] : `datafold-ci dbt: the dbt Core CI workflow (the Python SDK's datafold dbt …)

Usage:
  datafold-ci dbt upload [options]                            upload a dbt target folder's artifacts
  datafold-ci dbt upload-and-wait [options]                   upload, then wait for the CI run
  datafold-ci dbt check-post-upload-dbt-artifacts [options]   does Datafold have them?
  datafold-ci dbt check-primary-keys MANIFEST [options]       the primary keys of each model
  datafold-ci dbt <command> --help

A pipeline uploads twice: on merge to the main branch (--run-type production), and on every
pull request build (--run-type pull_request); Datafold then diffs the models the PR changes.
The Python SDK's flags work as they are: replace \`datafold\` with \`datafold-ci\`.
`
