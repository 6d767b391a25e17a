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
import { DiffBodyError } from "./DiffBodyError.ts"
import { jsonKind, parseJsonText, unreadableReason } from "./jsonFile.ts"

/** The body file's object, read relative to the working directory. */
export const readDiffBody = (
  file: string,
  cwd: string
): Effect.Effect<Readonly<Record<string, unknown>>, DiffBodyError> =>
  Effect.flatMap(
    Effect.tryPromise({
      try: () => readFile(resolve(cwd, file), "utf8"),
      catch: (error) => new DiffBodyError({ file, reason: `cannot read it: ${unreadableReason(error)}` })
    }),
    (raw) => {
      const parsed = parseJsonText(raw)
      if (!parsed.ok) return Effect.fail(new DiffBodyError({ file, reason: parsed.why }))
      const json = parsed.json
      return typeof json === "object" && json !== null && !Array.isArray(json)
        ? Effect.succeed(json as Readonly<Record<string, unknown>>)
        : Effect.fail(new DiffBodyError({ file, reason: `it is JSON but not an object (${jsonKind(json)})` }))
    }
  )
