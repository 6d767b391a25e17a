/**
 * The one request every contender sends: the same trigger, URL, headers and body, so
 * the figures compare only what each path does around the wire.
 */
import { USER_AGENT } from "../src/version.ts"

/** The API key every contender sends (the loopback server does not check it). */
export const BENCH_API_KEY = "bench-key-not-a-real-datafold-key"

/** The CI configuration id the benchmark triggers. */
export const CI_CONFIG_ID = 1

/** A 40-hex commit SHA for the PR head. */
export const PR_SHA = "0123456789abcdef0123456789abcdef01234567"

/** A 40-hex commit SHA for the base branch. */
export const BASE_SHA = "89abcdef0123456789abcdef0123456789abcdef"

/** The pull request details, exactly as a caller passes them to `trigger`. */
export const PR_DETAILS = {
  pr_number: 1,
  pr_branch: "f",
  base_branch: "main",
  pr_sha: PR_SHA,
  base_sha: BASE_SHA
} as const

/** The JSON body the client sends for {@link PR_DETAILS} (the floors send the same bytes). */
export const TRIGGER_BODY = JSON.stringify(PR_DETAILS)

/**
 * The details of a contender's `n`th call: each call is for a pull request of its own,
 * as a CI fleet's triggers are. With one pull request for every call, the client's
 * duplicate-run guard (it looks for the run before triggering a commit whose trigger
 * may still be in flight) would be what the concurrency figure measures.
 */
export const prDetailsFor = (n: number): Omit<typeof PR_DETAILS, "pr_number"> & { readonly pr_number: number } => ({
  ...PR_DETAILS,
  pr_number: n + 1
})

/** The JSON body of a contender's `n`th call: {@link prDetailsFor} as the client sends it. */
export const triggerBodyFor = (n: number): string => JSON.stringify(prDetailsFor(n))

/** The headers the client sends; the floors send the same set. */
export const TRIGGER_HEADERS: Readonly<Record<string, string>> = {
  authorization: `Key ${BENCH_API_KEY}`,
  accept: "application/json",
  "user-agent": USER_AGENT,
  "content-type": "application/json"
}

/** The trigger URL on a given base host (no trailing slash). */
export const triggerUrl = (host: string, ciConfigId: number = CI_CONFIG_ID): string =>
  `${host}/api/v1/ci/${ciConfigId}/trigger`

/** One trigger through a contender: its `n`th call (see {@link prDetailsFor}). */
export type TriggerCall = (n: number) => Promise<TriggerResult>

/** What every contender returns: the decoded run ids. */
export interface TriggerResult {
  readonly ci_run_id: number | null
  readonly run_id: number | null
}
