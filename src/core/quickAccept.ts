/**
 * The common case checked without a schema: a valid trigger input and a well-formed
 * trigger answer are recognised with a few comparisons, where a schema decode costs tens
 * of microseconds a call. Each check only ever accepts: anything it does not recognise
 * goes to the schema (`PrDetails`, `SubmitCiJob`), which stays the definition and words
 * every refusal. `test/quickAccept.test.ts` holds each check to its schema: it accepts
 * nothing the schema refuses, and gives what the schema gives.
 */
import { branchNameProblem } from "./branchName.ts"
import { COMMIT_SHA } from "./inputRules.ts"

/** Valid pull request details, SHAs in lower case, in the wire's field order. */
export interface AcceptedDetails {
  readonly pr_number: number
  readonly pr_branch: string
  readonly base_branch: string
  readonly pr_sha: string
  readonly base_sha: string
}

const isPositiveWhole = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0

const isBranch = (value: unknown): value is string =>
  typeof value === "string" && branchNameProblem(value) === undefined

const isSha = (value: unknown): value is string => typeof value === "string" && COMMIT_SHA.test(value)

/**
 * The details of a trigger for CI config `ciConfigId`, when both are valid; `undefined`
 * when anything is off (the schema then says what). Like the schema, it reads the
 * input's own enumerable fields and ignores any others.
 */
export const acceptTrigger = (ciConfigId: unknown, details: unknown): AcceptedDetails | undefined => {
  if (!isPositiveWhole(ciConfigId) || typeof details !== "object" || details === null) return undefined
  // A copy, as the schema's input is: each getter runs once, inherited fields are absent.
  const { base_branch, base_sha, pr_branch, pr_number, pr_sha } = { ...details } as Record<string, unknown>
  if (!isPositiveWhole(pr_number) || !isBranch(pr_branch) || !isBranch(base_branch)) return undefined
  if (!isSha(pr_sha) || !isSha(base_sha)) return undefined
  return { pr_number, pr_branch, base_branch, pr_sha: pr_sha.toLowerCase(), base_sha: base_sha.toLowerCase() }
}

/** The ids of a trigger's answer (`SubmitCiJob`): each a safe integer or `null`. */
export interface AcceptedJobIds {
  readonly ci_run_id: number | null
  readonly run_id: number | null
}

const idOf = (record: Record<string, unknown>, key: string): number | null | false => {
  if (!Object.prototype.hasOwnProperty.call(record, key)) return null
  const value = record[key]
  return value === null ? null : typeof value === "number" && Number.isSafeInteger(value) ? value : false
}

/**
 * A trigger's decoded JSON answer as its two ids (an absent id is `null`, other fields
 * are ignored); `undefined` when it is not that shape (the schema then says why).
 */
export const acceptJobIds = (json: unknown): AcceptedJobIds | undefined => {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined
  const record = json as Record<string, unknown>
  const ci_run_id = idOf(record, "ci_run_id")
  const run_id = idOf(record, "run_id")
  return ci_run_id === false || run_id === false ? undefined : { ci_run_id, run_id }
}
