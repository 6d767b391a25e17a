/**
 * A vitest reporter, beside the default one, that ends every run with the slowest test
 * files: each file's own time (import and collect, then its tests and hooks), so that the
 * next slowdown shows in every run's output instead of in a stopwatch. `DATAFOLD_TEST_TIMINGS`
 * sets how many files are listed (10 by default; 0 for none).
 *
 * Both vitest majors this repository runs (3 here, 5 for the Effect 4 tree) call
 * `onTestRunEnd` with the test modules; only the fields read below are relied on.
 */

/** What this reporter reads of a vitest `TestModule`. */
interface TimedModule {
  readonly moduleId: string
  readonly project: { readonly name: string }
  diagnostic(): { readonly collectDuration: number; readonly duration: number }
}

const DEFAULT_LISTED = 10

/** How many files to list: `DATAFOLD_TEST_TIMINGS`, else {@link DEFAULT_LISTED}. */
const listedCount = (): number => {
  const raw = process.env["DATAFOLD_TEST_TIMINGS"]
  const count = raw === undefined || raw === "" ? DEFAULT_LISTED : Number(raw)
  return Number.isInteger(count) && count >= 0 ? count : DEFAULT_LISTED
}

const seconds = (millis: number): string => `${(millis / 1000).toFixed(1)} s`.padStart(8)

/** The reporter: a table of the slowest files, after the default summary. */
export default class SlowestFiles {
  onTestRunEnd(modules: ReadonlyArray<TimedModule>): void {
    const count = listedCount()
    if (count === 0 || modules.length === 0) return
    const root = process.cwd() + "/"
    const rows = modules
      .map((module) => {
        const { collectDuration, duration } = module.diagnostic()
        return {
          file: module.moduleId.replace(root, ""),
          project: module.project.name,
          millis: collectDuration + duration
        }
      })
      .sort((a, b) => b.millis - a.millis)
    const total = rows.reduce((sum, row) => sum + row.millis, 0)
    const lines = rows.slice(0, count).map((row) =>
      `${seconds(row.millis)}  ${row.project === "" ? "" : `[${row.project}] `}${row.file}`
    )
    process.stdout.write(
      `\nSlowest test files (import + tests, of ${seconds(total).trim()} over ${rows.length} files; ` +
        `DATAFOLD_TEST_TIMINGS=N lists N):\n${lines.join("\n")}\n`
    )
  }
}
