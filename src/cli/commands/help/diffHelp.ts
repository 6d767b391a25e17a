/**
 * The `--help` texts of `datafold-ci diff` and its commands.
 *
 * @module
 */
import type { DiffCommandName } from "../../args/CliArgs.ts"
import { DEFAULT_TARGET_FOLDER } from "../../args/dbtDefaults.ts"
import { reportOptions } from "./reportOptions.ts"

const texts: { readonly [K in DiffCommandName]: string } = {
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
  --wait-timeout M      minutes to wait for the diffs; default 60
  --poll-interval S     the first wait between looks at a diff, in seconds; default 2
${reportOptions}
  --dry-run             read the project and print the diffs it would create; send nothing
                        (no API key needed)
  --host URL            Datafold URL; or DATAFOLD_HOST; default https://app.datafold.com
  --request-timeout S   seconds per attempt (alias: --timeout); or DATAFOLD_TIMEOUT
  --retries N           retries of transient failures (0 to 10); or DATAFOLD_RETRIES
  --json                print exactly one JSON object on stdout; progress and logs go to stderr
  -h, --help            show this help

Exit 2 when a dbt file is missing or malformed (the file is named) or the run built no
model; 10 when the diffs did not finish in time; 12 when a --fail-on gate tripped.
`
}

/** The help of `datafold-ci diff`, or of one of its commands. */
export const diffHelpText = (command?: DiffCommandName): string =>
  command === undefined
    ? `datafold-ci diff: data diffs from outside a CI run

Usage:
  datafold-ci diff dbt [options]          diff the models the last dbt run built against production
  datafold-ci diff <command> --help       that command's options
`
    : texts[command]
