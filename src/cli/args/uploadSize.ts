/**
 * `--max-upload-size` (or `DATAFOLD_MAX_UPLOAD_SIZE`): the upload's safety limit, as a
 * number of bytes with an optional unit: `500MB`, `20GB` (powers of 1000, as disks are
 * sold), `16GiB` (powers of 1024), or bytes alone.
 *
 * @module
 */
import { Either } from "effect"
import { UsageError } from "./CliError.ts"

const UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4
}

/** `20GB` → 20 000 000 000; `undefined` for what is not a positive size. */
export const parseByteSize = (given: string): number | undefined => {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(given.trim())
  if (match === null) return undefined
  const unit = UNITS[match[2]!.toLowerCase()]
  if (unit === undefined) return undefined
  const bytes = Math.floor(Number(match[1]) * unit)
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined
}

/**
 * The upload's limit in bytes from the flag, else the environment; `undefined` when neither
 * gives one (the library's default applies).
 */
export const readMaxUploadBytes = (
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  command: string
): Either.Either<number | undefined, UsageError> => {
  const fromEnv = env["DATAFOLD_MAX_UPLOAD_SIZE"]
  const [name, given] = flag !== undefined && flag.trim() !== ""
    ? ["--max-upload-size", flag]
    : fromEnv !== undefined && fromEnv.trim() !== ""
    ? ["DATAFOLD_MAX_UPLOAD_SIZE", fromEnv]
    : [undefined, undefined]
  if (name === undefined) return Either.right(undefined)
  const bytes = parseByteSize(given)
  return bytes === undefined
    ? Either.left(
      new UsageError({
        problem: `${name} ${JSON.stringify(given)} is not a size: give bytes, or a number with a unit ` +
          `(such as 20GB, 500MB or 16GiB).`,
        command
      })
    )
    : Either.right(bytes)
}
