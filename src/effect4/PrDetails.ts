/**
 * The pull request details a trigger carries, as the strict Effect 4 schema the client
 * accepts from users. The rules and words are the shared core's, so both entries refuse
 * the same input the same way.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"
import { branchNameProblem } from "../core/branchName.ts"
import { COMMIT_SHA, INPUT_WORDS, LOWER_COMMIT_SHA } from "../core/inputRules.ts"

/** A string whose wrong type reads `problem` ("is missing" when absent, see the issue formatter). */
const text = (problem: string): Schema.String => Schema.String.annotate({ message: problem })

/** A whole number: a wrong type or a fraction reads "must be a whole number". */
const wholeNumber = (positive: string): Schema.Number =>
  Schema.Number.annotate({ message: INPUT_WORDS.wholeNumber }).check(
    Schema.isInt({ message: INPUT_WORDS.wholeNumber }),
    Schema.isGreaterThan(0, { message: positive })
  )

/**
 * A full commit id: 40 (SHA-1) or 64 (SHA-256) hexadecimal characters, normalised to
 * lower case.
 *
 * @since 0.2.0
 * @category schemas
 */
export const CommitSha: Schema.decodeTo<Schema.String, Schema.String> = text(INPUT_WORDS.shaType).check(
  Schema.isPattern(COMMIT_SHA, { message: INPUT_WORDS.shaFormat })
).pipe(
  Schema.decodeTo(
    Schema.String.check(Schema.isPattern(LOWER_COMMIT_SHA)),
    SchemaTransformation.transform({ decode: (sha: string) => sha.toLowerCase(), encode: (sha: string) => sha })
  )
)

/**
 * A branch name as git accepts it (`git check-ref-format --branch`).
 *
 * @since 0.2.0
 * @category schemas
 */
export const BranchName: Schema.String = text(INPUT_WORDS.branchType).check(
  Schema.makeFilter((name: string) => branchNameProblem(name) ?? true)
)

/**
 * A pull request (or merge request) number: a positive integer.
 *
 * @since 0.2.0
 * @category schemas
 */
export const PrNumber: Schema.Number = wholeNumber(INPUT_WORDS.positive)

/**
 * A CI configuration id, as shown in Datafold's CI settings: a positive integer.
 *
 * @since 0.2.0
 * @category schemas
 */
export const CiConfigId: Schema.Number = wholeNumber(INPUT_WORDS.positiveConfigId)

/**
 * The strict pull request details the client accepts. Decoding normalises SHAs to
 * lower case; encoding gives the wire JSON.
 *
 * @since 0.2.0
 * @category schemas
 */
export const PrDetails: Schema.Struct<{
  readonly pr_number: Schema.Number
  readonly pr_branch: Schema.String
  readonly base_branch: Schema.String
  readonly pr_sha: typeof CommitSha
  readonly base_sha: typeof CommitSha
}> = Schema.Struct({
  pr_number: PrNumber,
  pr_branch: BranchName,
  base_branch: BranchName,
  pr_sha: CommitSha,
  base_sha: CommitSha
})

/**
 * Validated pull request details.
 *
 * @since 0.2.0
 * @category models
 */
export type PrDetails = typeof PrDetails.Type

/**
 * What a caller passes to `trigger`: the wire fields, checked by {@link PrDetails}.
 *
 * @since 0.2.0
 * @category models
 */
export type PrDetailsInput = typeof PrDetails.Encoded
