/**
 * The `--help` texts of `datafold-ci diff` and its commands.
 *
 * @module
 */
import type { DiffCommandName } from "../../args/CliArgs.ts"
import { DEFAULT_TARGET_FOLDER } from "../../args/dbtDefaults.ts"
import { reportOptions } from "./reportOptions.ts"

const connectionOptions = `  --host URL            Datafold URL; or DATAFOLD_HOST; default https://app.datafold.com
  --request-timeout S   seconds per attempt (alias: --timeout); or DATAFOLD_TIMEOUT
  --retries N           retries of transient failures (0 to 10); or DATAFOLD_RETRIES
  --json                print exactly one JSON object on stdout; progress and logs go to stderr
  -h, --help            show this help`

const waitOptions = `  --wait-timeout M      minutes to wait for the diffs; default 60
  --poll-interval S     the first wait between looks at a diff, in seconds; default 2`

const texts: { readonly [K in DiffCommandName]: string } = {
  create: `datafold-ci diff create: start one data diff (POST /api/v1/datadiffs)

Usage:
  datafold-ci diff create --data-source-id N --table1 DB.SCHEMA.TABLE --table2 DB.SCHEMA.TABLE
                          (--pk COL ... | --infer-pk) [--wait] [options]

Each side is a table or a query; the key is --pk (once per column) or --infer-pk.
Everything is checked before anything is sent. It prints the diff's id and its link
in the Datafold app; with --wait it waits for the diff and prints what it found, as
datafold-ci results prints a run's tables.

Options:
  --data-source-id N    the data source both sides are in; or give each side's:
  --data-source1-id N   the data source of side 1 (production)
  --data-source2-id N   the data source of side 2 (the PR's build)
  --table1 PATH         side 1's table, DB.SCHEMA.TABLE; or
  --query1 SQL          side 1's query
  --table2 PATH, --query2 SQL
                        the same for side 2
  --pk COL              a primary key column; repeat for a composite key
  --infer-pk            have Datafold find the primary key
  --include-column COL  compare only these columns (repeatable)
  --exclude-column COL  leave these columns out (repeatable)
  --filter1 SQL, --filter2 SQL
                        a WHERE condition for side 1, side 2
  --diff-tolerance X    numbers closer than X count as equal
  --body FILE           the whole request body as JSON (the fields of POST /api/v1/datadiffs);
                        the flags above override its fields
  --wait                wait for the diff, then print what it found
${waitOptions}
${reportOptions}
  --dry-run             check the diff and print the body it would send; send nothing
${connectionOptions}

Exit 2 when the diff is invalid (each problem named, nothing sent); with --wait, 10 when
it did not finish in time and 12 when a --fail-on gate tripped.
`,
  wait: `datafold-ci diff wait: wait for data diffs to end and print what they found

Usage:
  datafold-ci diff wait ID... [--fail-on LIST] [--markdown FILE] [--junit FILE] [options]

Looks at each diff's results until every one has ended (done, failed or cancelled),
then prints one line per table as datafold-ci results does. A failed diff is a line
of the report, not a failure of the command: gate on it with --fail-on error.

Options:
${waitOptions}
${reportOptions}
${connectionOptions}

Exit 10 when a diff did not finish in time; 12 when a --fail-on gate tripped.
`,
  show: `datafold-ci diff show: one data diff as it stands now, without waiting

Usage:
  datafold-ci diff show ID [options]

Prints the diff's status, its tables and key, and (once it has ended) what it found.

Options:
${connectionOptions}
`,
  list: `datafold-ci diff list: the newest data diffs

Usage:
  datafold-ci diff list [--ci-run-id N] [--status S] [--limit N] [options]

Lists the organization's data diffs, newest first. The filters are checked on every
listed diff, so a server that ignores them still gives only the matching ones.

Options:
  --ci-run-id N         only the diffs of this CI run (datafold-ci runs lists them)
  --status S            only diffs with these statuses, comma-separated: waiting, queued,
                        processing, done, failed, cancelled (and needs_confirmation,
                        needs_authentication)
  --limit N             how many to print; default 20
${connectionOptions}
`,
  cancel: `datafold-ci diff cancel: cancel a queued or running data diff

Usage:
  datafold-ci diff cancel ID [options]

A diff that has already ended keeps its status; the output says so.

Options:
${connectionOptions}
`,
  dbt: `datafold-ci diff dbt: diff every model the last dbt run built against production
(the Python SDK's datafold diff dbt, data-diff's --dbt --cloud)

Usage:
  datafold-ci diff dbt --data-source-id N [--target-folder DIR] [--project-dir DIR]
                       [--fail-on LIST] [--markdown FILE] [--junit FILE] [--json] [options]

Reads target/manifest.json and target/run_results.json, and vars: data_diff: of
dbt_project.yml (prod_database, prod_schema, prod_custom_schema with <custom_schema>,
datasource_id), as data-diff does. For each model the run built (status success, not
ephemeral) it creates one data diff (POST /api/v1/datadiffs): table 1 the production
table, table 2 the PR build's (the manifest's database.schema.alias), on the primary key
found in dbt: the model's meta primary-key, columns with primary-key in meta or tags,
unique tests (and dbt_utils unique_combination_of_columns), then primary_key constraints.
meta: datafold: datadiff: filter / include_columns / exclude_columns apply. Snowflake
projects (manifest adapter_type) are upper-cased, as data-diff does. It waits for every
diff, then prints one line per table as datafold-ci results does, and lists the models
it could not diff with why (no primary key, no production path, not built, ephemeral).

Options:
  --data-source-id N    the Datafold data source both sides are in; or
                        DATAFOLD_DATA_SOURCE_ID; else vars.data_diff.datasource_id
  --target-folder DIR   the dbt target folder; default ${DEFAULT_TARGET_FOLDER}
  --project-dir DIR     where dbt_project.yml is; default: the working directory or the
                        nearest folder above it that has one (as dbt finds it)
${waitOptions}
${reportOptions}
  --dry-run             read the project and print the diffs it would create; send nothing
                        (no API key needed)
${connectionOptions}

Exit 2 when a dbt file is missing or malformed (the file is named) or the run built no
model; 10 when the diffs did not finish in time; 12 when a --fail-on gate tripped.
`
}

/** The help of `datafold-ci diff`, or of one of its commands. */
export const diffHelpText = (command?: DiffCommandName): string =>
  command === undefined
    ? `datafold-ci diff: data diffs from outside a CI run

Usage:
  datafold-ci diff create [options]       start one data diff (--table1/--table2, --pk)
  datafold-ci diff wait ID...             wait for diffs, then print what they found
  datafold-ci diff show ID                one diff as it stands now
  datafold-ci diff list [options]         the newest diffs (--ci-run-id, --status)
  datafold-ci diff cancel ID              cancel a queued or running diff
  datafold-ci diff dbt [options]          diff the models the last dbt run built against production
  datafold-ci diff <command> --help       that command's options
`
    : texts[command]
