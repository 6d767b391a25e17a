/**
 * Reads `diff create --body FILE`: the whole `POST /api/v1/datadiffs` body as one JSON
 * object, which the command's flags then override. Only "one JSON object" is checked
 * here; each field is checked with the rest of the diff, before anything is sent.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import { readFile } from "node:fs/promises"
import { resolve } from "node:path"
import { DiffBodyError } from "./CliError.ts"

const reason = (error: unknown): string => {
  const code = (error as { code?: unknown }).code
  if (code === "ENOENT") return "the file does not exist"
  if (code === "EISDIR") return "it is a directory"
  if (code === "EACCES") return "permission denied"
  return error instanceof Error ? error.message : String(error)
}

/** The body file's object, read relative to the working directory. */
export const readDiffBody = (
  file: string,
  cwd: string
): Effect.Effect<Readonly<Record<string, unknown>>, DiffBodyError> =>
  Effect.flatMap(
    Effect.tryPromise({
      try: () => readFile(resolve(cwd, file), "utf8"),
      catch: (error) => new DiffBodyError({ file, reason: `cannot read it: ${reason(error)}` })
    }),
    (raw) => {
      const fail = (why: string) => Effect.fail(new DiffBodyError({ file, reason: why }))
      if (raw.trim() === "") return fail("it is empty")
      let json: unknown
      try {
        json = JSON.parse(raw)
      } catch (error) {
        return fail(`it is not JSON (${error instanceof Error ? error.message : String(error)})`)
      }
      return typeof json === "object" && json !== null && !Array.isArray(json)
        ? Effect.succeed(json as Readonly<Record<string, unknown>>)
        : fail(
          `it is JSON but not an object (${Array.isArray(json) ? "an array" : json === null ? "null" : typeof json})`
        )
    }
  )
