/**
 * The text of `datafold-ci --help`: every option, the environment variables, the exit
 * codes, and a one-line setup for each CI system whose PR facts are detected.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import { DEFAULT_HOST, DEFAULTS } from "../../../DatafoldConfig.ts"
import type { CommandName, DbtCommandName, DiffCommandName, HelpTopic } from "../../args/CliArgs.ts"
import { ciSystems } from "../../facts/ci/systems.ts"
import { dbtHelpText } from "./dbtHelp.ts"
import { diffHelpText } from "./diffHelp.ts"
import { doctorHelpText } from "./doctorHelp.ts"
import { reportOptions, waitReportNote } from "./reportOptions.ts"
import { exitCodeDescriptions } from "../../shell/ExitCode.ts"

/** One line per CI system; each assumes the API key is a secret exposed as DATAFOLD_API_KEY. */
const examples: ReadonlyArray<readonly [string, string]> = ciSystems.map((system) => [system.label, system.example])

const connectionOptions = `  --ci-config-id N      Datafold CI config id (Settings → CI); or DATAFOLD_CI_CONFIG_ID
  --host URL            Datafold URL; or DATAFOLD_HOST; default ${DEFAULT_HOST}
  --timeout SECONDS     per attempt; or DATAFOLD_TIMEOUT; default ${Duration.toSeconds(DEFAULTS.timeout)}
  --retries N           retries of transient failures (0 to 10); or DATAFOLD_RETRIES;
                        default ${DEFAULTS.retries}
  --json                print exactly one JSON object on stdout: {"ok":true,...} or
                        {"ok":false,"error":{"_tag":...,"message":...}}; logs go to stderr`

const waitOptions = `  --wait                then wait for the CI run to end: exit 0 when done, 8 failed,
                        9 cancelled, 10 not there or not finished in time
  --wait-timeout M      minutes to wait; default 60
  --appear-timeout S    seconds a run may take to appear in the listing; default 60
  --poll-interval S     the first wait between looks, in seconds; default 2 (then half as
                        long again each time, up to 15)`

const commandHelp: { readonly [K in Exclude<CommandName, "trigger">]: () => string } = {
  dbt: () => dbtHelpText(),
  diff: () => diffHelpText(),
  doctor: doctorHelpText,
  submit: () =>
    `datafold-ci submit: upload PR/MR changes (the tables to diff) to the CI run waiting for the PR

Usage:
  datafold-ci submit --ci-config-id N [--pr-num N] [--diffs FILE | --diffs -] [options]

Sends POST /api/v1/ci/{ci_config_id}/{pr_num} with the diffs: the Datafold SDK's JSON
array, e.g. [{"prod": "db.prod.orders", "pr": "db.pr_42.orders", "pk": ["id"],
"include_columns": [], "exclude_columns": ["updated_at"]}]. The run must exist: trigger
first (datafold-ci trigger, or trigger --diffs to do both in one step). The PR number is
found as trigger finds it: --pr-num, then the CI environment.

Options:
  --pr-num N            PR/MR number (alias: --pr-number)
  --diffs FILE          the diffs file; "-" or no --diffs reads stdin
  --dry-run             check everything and print the upload (key redacted); send nothing
${waitOptions}
${reportOptions}
${connectionOptions}
  -h, --help            show this help

${waitReportNote}
Uploads are retried only when they surely did not arrive (connection refused, 429, 503).
Exit 7 when no CI run is waiting for the PR: trigger first.
`,
  runs: () =>
    `datafold-ci runs: list the CI runs of a Datafold CI configuration

Usage:
  datafold-ci runs --ci-config-id N [--pr-sha SHA] [--pr-num N] [--limit N] [--json]

Sends GET /api/v1/ci/{ci_config_id}/runs and prints a table: id, PR, branches, short
PR and base SHAs, status and source; with --json, {"ok":true,"runs":[...]}.

Options:
  --pr-sha SHA          only runs for this PR head commit (a full SHA)
  --pr-num N            only runs for this PR/MR number (alias: --pr-number)
  --limit N             at most N runs, 1 to 1000 (Datafold's default: 100)
${connectionOptions}
  -h, --help            show this help
`,
  results: () =>
    `datafold-ci results: what a CI run's data diffs found, table by table, and the gates

Usage:
  datafold-ci results --ci-config-id N [--run-id N] [--wait] [--fail-on LIST]
                      [--markdown FILE] [--junit FILE] [--json] [options]

Finds the run (--run-id, or the newest run of the PR's head commit and number, found as
trigger finds them: flags, the CI environment, then git), reads its data diffs
(GET /api/v1/datadiffs?ci_run_id=…, each diff checked to be the run's own) and their
results (waiting, up to --wait-timeout, for any diff still running), and prints one line
per table: verdict, rows added, removed and updated, the
columns that differ with their match %, and the diff's link. On GitHub Actions the same
table goes to the step summary (cut to "and N more tables" under GitHub's 1 MiB).

Options:
  --run-id N            the CI run (default: found from the PR facts)
  --pr-num N, --pr-sha SHA, --pr-branch NAME, --base-branch NAME, --base-sha SHA
                        the PR facts, as for trigger
${reportOptions}
${waitOptions}
${connectionOptions}
  -h, --help            show this help

Exit 10 when no run of the PR's commit is listed (add --wait, or pass --run-id).
`,
  serve: () =>
    `datafold-ci serve: a local Datafold-compatible server, for trying datafold-ci offline

Usage:
  datafold-ci serve [--port N] [--fail SPEC]... [--delay-ms N] [--lose-answer]
                    [--fault-endpoint ENDPOINT] [--run-statuses S1,S2,...]

Serves trigger, runs, upload and dbt's artifact upload, post-upload check and primary-key
check on 127.0.0.1 with Datafold's validation and 401/403/404/422 answers
(effect-datafold/testing). Prints its URL on the first line of stdout, then one JSON line
per request (never a header, so never a key). Accepts only the key in DATAFOLD_API_KEY
when it is set, any key otherwise. Stops on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port N              the port; default 0, any free port (the URL says which)
  --fail SPEC           answer the next request(s) with a fault: a status (401, 403, 404,
                        413, 422, 429, 500, 502, 503, 504, any 4xx/5xx) or drop, reset,
                        malformed, lose-answer, cut-upload (reset after 64 KiB of the
                        body); xN repeats it: --fail 503x2. Repeatable.
  --delay-ms N          answer the next request N milliseconds late
  --lose-answer         create the next run, then drop the connection
  --fault-endpoint E    which endpoint the faults hit: trigger (default), runs, upload,
                        dbtUpload, dbtCheck or checkPks
  --run-statuses LIST   the statuses a run shows, one per listing, the last one sticking;
                        default running,done (also running,failed or cancelled)
  -h, --help            show this help

Example:
  datafold-ci serve --port 8080 --fail 503x2 &
  DATAFOLD_HOST=http://127.0.0.1:8080 DATAFOLD_API_KEY=test datafold-ci trigger ...
`
}

/** `datafold-ci --help`: the commands, where to read more, and what every command shares (kept under 40 lines). */
const overview = (): string =>
  `datafold-ci: Datafold CI from a pipeline (the Python SDK's datafold ci … and datafold dbt …)

Usage:
  datafold-ci trigger [options]           trigger a Datafold CI run for the PR
  datafold-ci submit [options]            upload the PR's changes (diffs) to its run
  datafold-ci runs [options]              list CI runs
  datafold-ci results [options]           what a run's diffs found; --fail-on gates it
  datafold-ci dbt upload [options]        upload dbt artifacts (on merge, and on each PR)
  datafold-ci dbt upload-and-wait         upload, then wait for the PR's CI run
  datafold-ci dbt check-post-upload-dbt-artifacts | check-primary-keys MANIFEST
  datafold-ci diff dbt [options]          diff the models dbt built against production
  datafold-ci serve [options]             a local Datafold-compatible server
  datafold-ci doctor [options]            check the key, host, CI config, manifest, PR facts
  datafold-ci <command> --help            that command's options
  datafold-ci --version

The SDK's spellings work as written: datafold ci trigger … becomes datafold-ci ci trigger …
(or datafold-ci trigger …), datafold dbt upload … becomes datafold-ci dbt upload ….

Every command:
  --ci-config-id N      Datafold CI config id (Settings → CI); or DATAFOLD_CI_CONFIG_ID
  --host URL            Datafold URL; or DATAFOLD_HOST; default ${DEFAULT_HOST}
  --json                exactly one JSON object on stdout; progress and logs on stderr
  --dry-run             check everything and print what would be sent; send nothing

The API key comes only from DATAFOLD_API_KEY (a CI secret); --api-key is refused.
PR facts left out are found from the CI environment, then git.

Exit codes: 0 ok, 2 usage or settings, 3-7 Datafold or the network, 8 run failed,
9 run cancelled, 10 no run or not finished in time, 11 dbt artifacts missing,
12 a gate tripped;
\`datafold-ci trigger --help\` lists them all, with every CI system's setup line.
`

/** The help text: the program's overview, or one command's. */
export const helpText = (command?: HelpTopic): string => {
  if (command === undefined) return overview()
  if (command.startsWith("dbt ")) return dbtHelpText(command.slice("dbt ".length) as DbtCommandName)
  if (command.startsWith("diff ")) return diffHelpText(command.slice("diff ".length) as DiffCommandName)
  if (command !== "trigger") return commandHelp[command as Exclude<CommandName, "trigger">]()
  const codeWidth = Math.max(...exitCodeDescriptions.map(([code]) => String(code).length))
  const ciWidth = Math.max(...examples.map(([name]) => name.length))
  return `datafold-ci trigger: trigger a Datafold PR/MR data-diff run from a CI pipeline

Usage:
  datafold-ci trigger [options]           (the SDK's datafold ci trigger: datafold-ci ci trigger)
  datafold-ci --help                      the other commands

Sends POST /api/v1/ci/{ci_config_id}/trigger with the PR number, branch, base branch,
PR head SHA and base SHA. Every PR value left out is found: flags first, then the CI
environment (every system below), then git (current branch, HEAD, merge base with
origin/<base>). A checked-out merge commit (a CI's merge of the base into the PR) is
replaced by its PR-side parent: the parent that is not on the base branch.

Options:
  --ci-config-id N      Datafold CI config id (Settings → CI); or DATAFOLD_CI_CONFIG_ID
  --pr-num N            PR/MR number (alias: --pr-number)
  --pr-branch NAME      the PR's branch (a refs/heads/ prefix is removed)
  --base-branch NAME    the branch the PR merges into
  --pr-sha SHA          full SHA of the PR head commit (not GitHub's merge commit)
  --base-sha SHA        full SHA of the base commit
  --diffs FILE          then upload these diffs to the run once it is waiting ("-": stdin);
                        one exit code for both steps
${waitOptions}
${reportOptions}
  --host URL            Datafold URL; or DATAFOLD_HOST; default ${DEFAULT_HOST}
  --timeout SECONDS     per attempt (alias: --request-timeout); or DATAFOLD_TIMEOUT;
                        default ${Duration.toSeconds(DEFAULTS.timeout)}
  --retries N           retries of transient failures (0 to 10); or DATAFOLD_RETRIES;
                        default ${DEFAULTS.retries}
  --dry-run             check everything and print the request (key redacted) and
                        where each value came from; send nothing (no API key needed)
  --json                print exactly one JSON object on stdout: {"ok":true,...} or
                        {"ok":false,"error":{"_tag":...,"message":...}}; logs go to stderr
  -h, --help            show this help
  --version             print the version

The API key is never a flag: --api-key is refused.
${waitReportNote}

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
${ciSystems.flatMap((system) => (system.notes ?? []).map((note) => `  - ${system.label}: ${note}`)).join("\n")}
  - Where the CI gives no base SHA, it is git merge-base <pr-sha> origin/<base>: check out
    enough history, not a depth-1 clone.
`
}
