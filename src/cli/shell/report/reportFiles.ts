/**
 * `--markdown FILE` and `--junit FILE`: the report written where a later step (a PR
 * comment, GitLab's `artifacts:reports:junit`, a CI test tab) picks it up.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import { mkdir, writeFile } from "node:fs/promises"
import { dirname, resolve } from "node:path"
import type { GateTrip } from "../../../core/diffs/gates.ts"
import type { RunReport } from "../../../core/diffs/report.ts"
import { ReportFileError } from "../ResultsError.ts"
import { reportJunit } from "./reportJunit.ts"
import { reportMarkdown } from "./reportMarkdown.ts"

/** Where the report files go, as given (relative to the working directory). */
export interface ReportFiles {
  readonly markdown?: string | undefined
  readonly junit?: string | undefined
}

const write = (flag: string, path: string, text: string): Effect.Effect<void, ReportFileError> =>
  Effect.tryPromise({
    try: async () => {
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, text, "utf8")
    },
    catch: (error) =>
      new ReportFileError({
        flag,
        path,
        reason: error instanceof Error && "code" in error ? String(error.code) : String(error)
      })
  })

/**
 * Writes the files asked for; the Markdown is not cut, since only GitHub's summary has a
 * limit. `markdownAppendix` goes after the report (`diff dbt`'s models it did not diff).
 */
export const writeReportFiles = (
  files: ReportFiles,
  cwd: string,
  report: RunReport,
  trips: ReadonlyArray<GateTrip>,
  markdownAppendix = ""
): Effect.Effect<void, ReportFileError> =>
  Effect.all([
    files.markdown === undefined ? Effect.void : write(
      "--markdown",
      resolve(cwd, files.markdown),
      reportMarkdown(report, trips, Number.POSITIVE_INFINITY) + markdownAppendix
    ),
    files.junit === undefined ? Effect.void : write("--junit", resolve(cwd, files.junit), reportJunit(report, trips))
  ], { discard: true })
