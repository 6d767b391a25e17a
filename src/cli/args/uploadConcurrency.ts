/**
 * `--concurrency N` (or `DATAFOLD_UPLOAD_CONCURRENCY`): how many segments of a large file
 * (or files of 64 KiB to 1 MiB) the upload deflates at once, 1 to {@link MAX_CONCURRENCY}.
 *
 * @module
 */
import { Either } from "effect"
import { MAX_CONCURRENCY } from "../../core/dbt/dbtInput.ts"
import { UsageError } from "./CliError.ts"

/**
 * The concurrency from the flag, else the environment; `undefined` when neither gives one
 * (the cores, two to four).
 */
export const readUploadConcurrency = (
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  command: string
): Either.Either<number | undefined, UsageError> => {
  const fromEnv = env["DATAFOLD_UPLOAD_CONCURRENCY"]
  const [name, given] = flag !== undefined && flag.trim() !== ""
    ? ["--concurrency", flag.trim()]
    : fromEnv !== undefined && fromEnv.trim() !== ""
    ? ["DATAFOLD_UPLOAD_CONCURRENCY", fromEnv.trim()]
    : [undefined, undefined]
  if (name === undefined) return Either.right(undefined)
  const value = /^\d+$/.test(given) ? Number(given) : Number.NaN
  return value >= 1 && value <= MAX_CONCURRENCY ? Either.right(value) : Either.left(
    new UsageError({
      problem: `${name} ${JSON.stringify(given)} is invalid: it is a whole number from 1 to ${MAX_CONCURRENCY} ` +
        `(how many files or parts of a large file are compressed at once).`,
      command
    })
  )
}
