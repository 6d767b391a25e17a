/**
 * Per operation, what both Effect majors trace and retry alike: the span (and retry log)
 * name, the retry policy, and the span and log attributes under their keys. Written once
 * so a trace reads the same whichever major made it.
 *
 * @since 0.2.0
 */
import { type RetryPolicy, retryTransient, retryUndelivered } from "./retryPolicy.ts"

/**
 * An operation's name (its span, its retry log label) and which failures it retries.
 *
 * @since 0.2.0
 * @category models
 */
export interface Operation {
  readonly span: string
  readonly retry: RetryPolicy
}

/**
 * Every call of the client that sends a request.
 *
 * @since 0.2.0
 * @category operations
 */
export const OPERATIONS = {
  // A trigger that may have arrived is looked up before the next attempt, so it retries freely.
  trigger: { span: "DatafoldClient.trigger", retry: retryTransient },
  listRuns: { span: "DatafoldClient.listRuns", retry: retryTransient },
  // No lookup can find an upload that arrived, so only what surely did not is retried.
  submitDiffs: { span: "DatafoldClient.submitDiffs", retry: retryUndelivered },
  uploadDbtArtifacts: { span: "DatafoldClient.uploadDbtArtifacts", retry: retryUndelivered },
  // Both checks only read, so they are retried as freely as a runs listing.
  checkDbtArtifacts: { span: "DatafoldClient.checkDbtArtifacts", retry: retryTransient },
  checkPrimaryKeys: { span: "DatafoldClient.checkPrimaryKeys", retry: retryTransient }
} as const satisfies Record<string, Operation>

/**
 * The attribute keys of spans, span events and logs.
 *
 * @since 0.2.0
 * @category attributes
 */
export const ATTRIBUTE = {
  ciConfigId: "datafold.ci_config_id",
  prNumber: "datafold.pr_number",
  diffs: "datafold.diffs",
  attempts: "datafold.attempts",
  outcome: "datafold.outcome",
  ciRunId: "datafold.ci_run_id",
  retry: "datafold.retry",
  retries: "datafold.retries",
  reason: "datafold.reason",
  waitMs: "datafold.wait_ms"
} as const

/**
 * The span event of a trigger answered by a run found in the listing.
 *
 * @since 0.2.0
 * @category attributes
 */
export const TRIGGER_DEDUPLICATED_EVENT = "datafold.trigger.deduplicated"

/**
 * Attributes as a span or log takes them.
 *
 * @since 0.2.0
 * @category models
 */
export type Attributes = Readonly<Record<string, string | number>>

/**
 * The trigger span's attributes.
 *
 * @since 0.2.0
 * @category attributes
 */
export const triggerAttributes = (ciConfigId: number, prNumber: number): Attributes => ({
  [ATTRIBUTE.ciConfigId]: ciConfigId,
  [ATTRIBUTE.prNumber]: prNumber
})

/**
 * What the trigger span learns at its end: how many attempts, and the outcome (the
 * error's tag, or `triggered` with the run id, `"null"` when Datafold gave none).
 *
 * @since 0.2.0
 * @category attributes
 */
export const triggerOutcomeAttributes = (
  attempts: number,
  outcome: { readonly _tag: string } | { readonly ciRunId: number | null | undefined }
): Attributes =>
  "_tag" in outcome ? { [ATTRIBUTE.attempts]: attempts, [ATTRIBUTE.outcome]: outcome._tag } : {
    [ATTRIBUTE.attempts]: attempts,
    [ATTRIBUTE.outcome]: "triggered",
    [ATTRIBUTE.ciRunId]: outcome.ciRunId ?? "null"
  }

/**
 * The runs listing span's attributes.
 *
 * @since 0.2.0
 * @category attributes
 */
export const listRunsAttributes = (ciConfigId: number): Attributes => ({ [ATTRIBUTE.ciConfigId]: ciConfigId })

/**
 * The diffs upload span's attributes.
 *
 * @since 0.2.0
 * @category attributes
 */
export const submitDiffsAttributes = (ciConfigId: number, prNumber: number, diffs: number): Attributes => ({
  [ATTRIBUTE.ciConfigId]: ciConfigId,
  [ATTRIBUTE.prNumber]: prNumber,
  [ATTRIBUTE.diffs]: diffs
})

/**
 * The log annotations of a found run answering a trigger.
 *
 * @since 0.2.0
 * @category attributes
 */
export const deduplicatedLogAttributes = (ciRunId: number, prNumber: number): Attributes => ({
  [ATTRIBUTE.ciRunId]: ciRunId,
  [ATTRIBUTE.prNumber]: prNumber
})

/**
 * The deduplicated span event's attributes.
 *
 * @since 0.2.0
 * @category attributes
 */
export const deduplicatedEventAttributes = (ciRunId: number): Attributes => ({ [ATTRIBUTE.ciRunId]: ciRunId })

/**
 * The log annotations of a retry: its number (from 1) of how many allowed, why, and the
 * wait before it.
 *
 * @since 0.2.0
 * @category attributes
 */
export const retryLogAttributes = (
  retry: number,
  retries: number,
  reason: string,
  waitMillis: number
): Attributes => ({
  [ATTRIBUTE.retry]: retry,
  [ATTRIBUTE.retries]: retries,
  [ATTRIBUTE.reason]: reason,
  [ATTRIBUTE.waitMs]: waitMillis
})
