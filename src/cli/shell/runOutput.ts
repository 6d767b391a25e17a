/**
 * How a CI run shows in every output: as its wire fields under `--json`, and, when
 * `--wait` followed it to its end, as a line of text and rows of a step summary.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import { CiRun } from "../../CiRun.ts"
import { formatElapsed } from "../../core/elapsed.ts"
import type { FollowedRun } from "./followRun.ts"
import { code } from "./markdown.ts"
import { runStatusPhrase } from "./text.ts"

// Built on first use, not at load: building an encoder costs start-up time.
let runEncoder: ((run: CiRun) => unknown) | undefined

/** The run as its wire fields, for `--json`. */
export const encodeRun = (run: CiRun): unknown => (runEncoder ??= Schema.encodeSync(CiRun))(run)

/** What `--wait` saw: the run, done, after how long. */
export const waitedLines = (waited: FollowedRun | undefined): ReadonlyArray<string> =>
  waited === undefined ? [] : [
    `Datafold CI run ${waited.run.id} ${runStatusPhrase(waited.run.status)} (waited ${
      formatElapsed(waited.elapsedMillis)
    }).`
  ]

/** `--wait`'s run in the `--json` object. */
export const waitedJson = (waited: FollowedRun | undefined): Record<string, unknown> =>
  waited === undefined ? {} : { run: encodeRun(waited.run), wait_elapsed_ms: waited.elapsedMillis }

/** The step-summary rows of a run `--wait` followed to its end: its id, status and the time waited. */
export const waitedRows = (waited: FollowedRun | undefined): ReadonlyArray<readonly [string, string]> =>
  waited === undefined ? [] : [
    ["Run status", `${code(waited.run.status)} (CI run ${code(String(waited.run.id))})`],
    ["Waited", formatElapsed(waited.elapsedMillis)]
  ]
