/**
 * Reads the diffs for `submit` and `trigger --diffs`: the Datafold SDK's JSON array,
 * from a file or from stdin. Only the shape "a JSON array" is checked here; each diff
 * is checked by the library, which names every bad field.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import { readFile } from "node:fs/promises"
import { DiffsFileError } from "./CliError.ts"
import { parseJsonText, unreadableReason } from "./jsonFile.ts"

/** How the program reads stdin; absent when it has none (then `--diffs -` fails clearly). */
export interface Stdin {
  /** Whether stdin is a terminal: then nothing is piped in, and reading would wait forever. */
  readonly isTTY: boolean
  readonly read: () => Promise<string>
}

/** Where the diffs come from: `--diffs FILE`, or stdin for `--diffs -` and no `--diffs`. */
export const diffsSource = (flag: string | undefined): string => flag === undefined || flag === "-" ? "stdin" : flag

/** Reads and parses the diffs as a JSON array. */
export const readDiffs = (
  flag: string | undefined,
  stdin: Stdin | undefined
): Effect.Effect<ReadonlyArray<unknown>, DiffsFileError> => {
  const source = diffsSource(flag)
  const fail = (why: string) => Effect.fail(new DiffsFileError({ source, reason: why }))
  const text: Effect.Effect<string, DiffsFileError> = source === "stdin"
    ? stdin === undefined || stdin.isTTY
      ? fail("nothing is piped in (stdin is a terminal); pass --diffs FILE or pipe the JSON in")
      : Effect.tryPromise({
        try: () => stdin.read(),
        catch: (error) => new DiffsFileError({ source, reason: `cannot read it: ${unreadableReason(error)}` })
      })
    : Effect.tryPromise({
      try: () => readFile(source, "utf8"),
      catch: (error) => new DiffsFileError({ source, reason: `cannot read it: ${unreadableReason(error)}` })
    })
  return Effect.flatMap(text, (raw) => {
    const parsed = parseJsonText(raw)
    if (!parsed.ok) return fail(parsed.why)
    const json = parsed.json
    return Array.isArray(json)
      ? Effect.succeed(json)
      : fail(`it is JSON but not an array (${json === null ? "null" : typeof json})`)
  })
}
