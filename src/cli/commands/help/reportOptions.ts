/**
 * The help lines of a run's report flags (`--fail-on`, `--markdown`, `--junit`), said
 * once for `results` and every command that waits for a run.
 *
 * @module
 */

/** `--fail-on`, `--markdown` and `--junit`, as every reporting command's help lists them. */
export const reportOptions =
  `  --fail-on LIST        fail the step (exit 12) when a table trips a gate; comma-separated:
                        different  rows added, removed or updated, or values that differ
                        schema     a column added, removed or retyped
                        error      a diff failed
                        missing-pks  no primary key to compare rows by, or null keys
                        duplicate-pks  a duplicated primary key on either side
                        Without it, a report exits 0 whatever it found.
  --markdown FILE       also write the report as Markdown (a PR comment, a GitLab note)
  --junit FILE          also write JUnit XML, one test case per table (GitLab, CircleCI,
                        Jenkins and Azure show it natively)`

/** What a waiting command says about the report it ends with. */
export const waitReportNote = `Once the run is done, the command prints its report as datafold-ci results does (one
line per table; a "report" field under --json; the step summary), judged by --fail-on.`
