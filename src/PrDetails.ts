/**
 * The pull request details a trigger carries (`APIPrDetails` in Datafold's spec).
 *
 * Two schemas: {@link ApiPrDetails} is the wire shape exactly as Datafold publishes it
 * (what the local server accepts, what the OpenAPI contract test compares), and
 * {@link PrDetails} is the strict shape the client accepts from users, refusing the
 * mistakes Datafold cannot link to a pull request before anything is sent.
 *
 * @since 0.1.0
 */
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { branchNameProblem } from "./core/branchName.ts"
import { COMMIT_SHA, INPUT_WORDS, LOWER_COMMIT_SHA } from "./core/inputRules.ts"

/**
 * `APIPrDetails` exactly as on the wire: five required fields, snake_case.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ApiPrDetails: Schema.Struct<{
  pr_number: Schema.refine<number, typeof Schema.Number>
  pr_branch: Schema.SchemaClass<string>
  base_branch: Schema.SchemaClass<string>
  pr_sha: Schema.SchemaClass<string>
  base_sha: Schema.SchemaClass<string>
}> = Schema.Struct({
  pr_number: Schema.Int.annotations({ title: "Pr Number" }),
  pr_branch: Schema.String.annotations({ title: "Pr Branch" }),
  base_branch: Schema.String.annotations({ title: "Base Branch" }),
  pr_sha: Schema.String.annotations({ title: "Pr Sha" }),
  base_sha: Schema.String.annotations({ title: "Base Sha" })
}).annotations({
  identifier: "APIPrDetails",
  title: "APIPrDetails",
  // Like FastAPI, report every bad field at once, not the first.
  parseOptions: { errors: "all" }
})

/**
 * The wire type of {@link ApiPrDetails}.
 *
 * @since 0.1.0
 * @category models
 */
export type ApiPrDetails = typeof ApiPrDetails.Type

/** "is missing" when there is no value at all, else `otherwise`: a field's own words for a wrong type. */
const missingOr = (otherwise: string) => (issue: ParseResult.ParseIssue): string =>
  issue._tag === "Type" && issue.actual === undefined ? INPUT_WORDS.missing : otherwise

/** A string field whose wrong type is described as `problem`. */
const text = (problem: string): Schema.SchemaClass<string> => Schema.String.annotations({ message: missingOr(problem) })

/** A whole number field: a wrong type or a fraction reads "must be a whole number". */
const wholeNumber: Schema.filter<Schema.SchemaClass<number>> = Schema.Number.annotations({
  message: missingOr(INPUT_WORDS.wholeNumber)
}).pipe(Schema.int({ message: () => INPUT_WORDS.wholeNumber }))

/**
 * A full commit id: 40 (SHA-1) or 64 (SHA-256) hexadecimal characters, normalised to
 * lower case. A short SHA or a branch name here is a mistake Datafold cannot link to
 * the pull request, so it is refused.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CommitSha: Schema.transform<
  Schema.filter<Schema.SchemaClass<string>>,
  Schema.filter<typeof Schema.String>
> = Schema.transform(
  text(INPUT_WORDS.shaType).pipe(Schema.pattern(COMMIT_SHA, { message: () => INPUT_WORDS.shaFormat })),
  Schema.String.pipe(Schema.pattern(LOWER_COMMIT_SHA)),
  { strict: true, decode: (sha) => sha.toLowerCase(), encode: (sha) => sha }
).annotations({ identifier: "CommitSha" })

/**
 * A branch name as git accepts it (`git check-ref-format --branch`): not empty, no
 * surrounding or inner white space, no control characters, none of `~^:?*[\`, no `..`,
 * `@{` or `//`, no part starting with `.` or ending in `.lock`, not ending in `/` or `.`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BranchName: Schema.refine<string, Schema.SchemaClass<string>> = text(INPUT_WORDS.branchType).pipe(
  Schema.filter(branchNameProblem)
).annotations({ identifier: "BranchName" })

/**
 * A pull request (or merge request) number: a positive integer.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PrNumber: Schema.refine<number, Schema.filter<Schema.SchemaClass<number>>> = wholeNumber.pipe(
  Schema.positive({ message: () => INPUT_WORDS.positive })
).annotations({ identifier: "PrNumber" })

/**
 * A CI configuration id, as shown in Datafold's CI settings: a positive integer.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CiConfigId: Schema.refine<number, Schema.filter<Schema.SchemaClass<number>>> = wholeNumber.pipe(
  Schema.positive({ message: () => INPUT_WORDS.positiveConfigId })
).annotations({ identifier: "CiConfigId" })

/**
 * The strict pull request details the client accepts. Decoding normalises SHAs to
 * lower case; encoding gives the wire JSON of {@link ApiPrDetails}.
 *
 * @example
 * ```ts
 * import { Either, Schema } from "effect"
 * import { PrDetails } from "effect-datafold"
 *
 * // What the client checks before a trigger is sent, on your own input
 * const details = Schema.decodeUnknownEither(PrDetails)({
 *   pr_number: 42,
 *   pr_branch: "feature/orders-rollup",
 *   base_branch: "main",
 *   pr_sha: "8F14E45FCEEA167A5A36DEDD4BEA2543C0A1B2C3",
 *   base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
 * })
 * if (Either.isRight(details)) console.log(details.right.pr_sha) // in lower case, as sent
 * else console.error(details.left.message)
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const PrDetails: Schema.Struct<{
  pr_number: typeof PrNumber
  pr_branch: typeof BranchName
  base_branch: typeof BranchName
  pr_sha: typeof CommitSha
  base_sha: typeof CommitSha
}> = Schema.Struct({
  pr_number: PrNumber,
  pr_branch: BranchName,
  base_branch: BranchName,
  pr_sha: CommitSha,
  base_sha: CommitSha
}).annotations({ identifier: "PrDetails" })

/**
 * Validated pull request details.
 *
 * @since 0.1.0
 * @category models
 */
export type PrDetails = typeof PrDetails.Type

/**
 * What a caller passes to `trigger`: the wire fields, checked by {@link PrDetails}.
 *
 * @since 0.1.0
 * @category models
 */
export type PrDetailsInput = typeof PrDetails.Encoded
