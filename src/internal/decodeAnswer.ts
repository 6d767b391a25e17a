/**
 * The decoders of the answers the client reads: `SubmitCiJob` (trigger, upload) and
 * `CiRuns` (the runs listing). A well-formed trigger answer is recognised without the
 * schema (`core/quickAccept.ts`); anything else goes through it.
 */
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { type CiRun, CiRuns } from "../CiRun.ts"
import { acceptJobIds } from "../core/quickAccept.ts"
import { SubmitCiJob } from "../SubmitCiJob.ts"

const decodeJobWithSchema = Schema.decodeUnknownEither(SubmitCiJob)

/** A trigger's or upload's answer, as `Schema.decodeUnknownEither(SubmitCiJob)` gives it. */
export const decodeSubmitCiJob = (json: unknown): Either.Either<SubmitCiJob, ParseResult.ParseError> => {
  const ids = acceptJobIds(json)
  // What the schema's decode builds from the ids it checked: the class, unvalidated again.
  return ids === undefined ? decodeJobWithSchema(json) : Either.right(new SubmitCiJob(ids, true))
}

/** The runs listing's answer. */
export const decodeCiRuns: (json: unknown) => Either.Either<ReadonlyArray<CiRun>, ParseResult.ParseError> = Schema
  .decodeUnknownEither(CiRuns)
