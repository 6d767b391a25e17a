/**
 * The text of `datafold-ci doctor --help`.
 *
 * @module
 */

/** `datafold-ci doctor --help`. */
export const doctorHelpText = (): string =>
  `datafold-ci doctor: check a pipeline's setup, one line per check with how to fix it

Usage:
  datafold-ci doctor [--ci-config-id N] [--target-folder DIR] [--json] [options]

Runs every check, none stopping the others, and marks each ✔ or ✘:
  settings        the host and where it came from; bad --timeout, --retries, --host
  host reachable  connection refused, DNS, TLS and timeouts told apart
  API key         DATAFOLD_API_KEY set and accepted (the organization's name shown)
  CI config       its runs can be listed (only with --ci-config-id or DATAFOLD_CI_CONFIG_ID)
  dbt manifest    in a dbt project (dbt_project.yml here) or with --target-folder:
                  target/manifest.json present and a dbt manifest
  CI system       the CI detected and the PR facts found, each with its source
                  (a missing fact outside CI is a warning)
  merge commit    a merge commit the CI checked out, and what is sent instead

Options:
  --ci-config-id N      also check this CI config; or DATAFOLD_CI_CONFIG_ID
  --target-folder DIR   the dbt target folder; default ./target/
  --host URL            Datafold URL; or DATAFOLD_HOST
  --timeout SECONDS     per request; default 10 (no retries unless --retries)
  --json                one object: {"ok":...,"checks":[{"name","ok","detail","fix"}]}
  -h, --help            show this help

Exit 0 when every check passes, 2 otherwise. On GitHub Actions the checklist is also the
step summary. The key is never printed.
`
