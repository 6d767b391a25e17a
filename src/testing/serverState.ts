/**
 * What the local Datafold server remembers (requests, runs, uploads, pending faults) and
 * the three things its API does to it (create a run, list runs, attach diffs), in plain
 * TypeScript: the Effect 3 and Effect 4 servers share it, so both keep the same books.
 *
 * @since 0.2.0
 */
import type { Fault } from "./Fault.ts"

/**
 * The endpoints faults can be aimed at.
 *
 * @since 0.1.0
 * @category models
 */
export type Endpoint = "trigger" | "runs" | "upload" | "other"

/**
 * A request as the server received it.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  /** Path and query, e.g. `/api/v1/ci/7/trigger`. */
  readonly url: string
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** Which endpoint the path names: `trigger`, `runs`, `upload` or `other`. */
  readonly endpoint: Endpoint
}

/**
 * A run as Datafold lists it (`ApiCiRun` on the wire), without any Effect class around it.
 *
 * @since 0.2.0
 * @category models
 */
export interface WireCiRun {
  readonly id: number
  readonly base_branch: string
  readonly base_sha: string
  readonly pr_branch: string
  readonly pr_sha: string
  readonly pr_num: string
  readonly status: string
  readonly source: string
}

/**
 * One diff of an upload as decoded from the wire: `pk` null and column lists `[]` when
 * left out.
 *
 * @since 0.2.0
 * @category models
 */
export interface WireCiDiff {
  readonly prod: string
  readonly pr: string
  readonly pk: ReadonlyArray<string> | null
  readonly include_columns: ReadonlyArray<string>
  readonly exclude_columns: ReadonlyArray<string>
}

/**
 * Diffs the server accepted for a run ("upload PR/MR changes").
 *
 * @since 0.1.0
 * @category models
 */
export interface ReceivedUpload {
  readonly ciConfigId: number
  readonly prNumber: number
  /** The run the diffs were attached to. */
  readonly ciRunId: number
  /** As decoded from the wire: `pk` null and column lists `[]` when left out. */
  readonly diffs: ReadonlyArray<WireCiDiff>
}

/**
 * The PR facts of a trigger request, as decoded from the wire.
 *
 * @since 0.2.0
 * @category models
 */
export interface WirePrDetails {
  readonly pr_number: number
  readonly pr_branch: string
  readonly base_branch: string
  readonly pr_sha: string
  readonly base_sha: string
}

/**
 * The answer to a trigger or an upload (`SubmitCiJob` on the wire).
 *
 * @since 0.2.0
 * @category models
 */
export interface WireSubmitCiJob {
  readonly ci_run_id: number
  readonly run_id: number
}

/**
 * The filters of a run listing, as decoded from the query.
 *
 * @since 0.2.0
 * @category models
 */
export interface RunsQuery {
  readonly pr_sha?: string | undefined
  readonly pr_num?: string | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}

/**
 * Everything one server instance remembers.
 *
 * @since 0.2.0
 * @category models
 */
export interface ServerState {
  readonly apiKey: string
  readonly acceptAnyKey: boolean
  readonly ciConfigIds: ReadonlySet<number> | undefined
  requests: Array<RecordedRequest>
  runs: Array<WireCiRun & { readonly ciConfigId: number }>
  uploads: Array<ReceivedUpload>
  faults: Array<{ readonly fault: Fault; readonly endpoint: Endpoint }>
  nextId: number
  /** Bumped by `reset()`, so a request still delayed from before it changes nothing after. */
  generation: number
}

/**
 * A fresh state; the key defaults to a random test key.
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeServerState = (options: {
  readonly apiKey?: string | undefined
  readonly acceptAnyKey?: boolean | undefined
  readonly ciConfigIds?: ReadonlyArray<number> | undefined
}): ServerState => ({
  apiKey: options.apiKey ?? `dfk_test_${crypto.randomUUID().replaceAll("-", "")}`,
  acceptAnyKey: options.acceptAnyKey ?? false,
  ciConfigIds: options.ciConfigIds === undefined ? undefined : new Set(options.ciConfigIds),
  requests: [],
  runs: [],
  uploads: [],
  faults: [],
  nextId: 1,
  generation: 0
})

/**
 * Forget requests, runs, uploads and pending faults.
 *
 * @since 0.2.0
 * @category mutations
 */
export const resetState = (state: ServerState): void => {
  state.requests = []
  state.runs = []
  state.uploads = []
  state.faults = []
  state.nextId = 1
  state.generation += 1
}

/**
 * Whether an `Authorization` header value is accepted: `"missing"` (401), `"wrong"` (403)
 * or `"ok"`.
 *
 * @since 0.2.0
 * @category auth
 */
export const checkAuthorization = (state: ServerState, value: string): "missing" | "wrong" | "ok" => {
  if (value === "") return "missing"
  const accepted = state.acceptAnyKey ? /^Key \S/.test(value) : value === `Key ${state.apiKey}`
  return accepted ? "ok" : "wrong"
}

/**
 * Whether a CI config id exists on this server.
 *
 * @since 0.2.0
 * @category queries
 */
export const isKnownConfig = (state: ServerState, ciConfigId: number): boolean =>
  state.ciConfigIds === undefined || state.ciConfigIds.has(ciConfigId)

/**
 * Creates a pending run for the PR and answers with its ids.
 *
 * @since 0.2.0
 * @category mutations
 */
export const createRun = (state: ServerState, ciConfigId: number, details: WirePrDetails): WireSubmitCiJob => {
  const id = state.nextId++
  state.runs.push({
    id,
    base_branch: details.base_branch,
    base_sha: details.base_sha,
    pr_branch: details.pr_branch,
    pr_sha: details.pr_sha,
    pr_num: String(details.pr_number),
    status: "pending",
    source: "api",
    ciConfigId
  })
  return { ci_run_id: id, run_id: id + 100_000 }
}

/**
 * The runs of one CI config, filtered and paged as the query says.
 *
 * @since 0.2.0
 * @category queries
 */
export const listRuns = (state: ServerState, ciConfigId: number, query: RunsQuery): ReadonlyArray<WireCiRun> =>
  state.runs
    .filter((run) =>
      run.ciConfigId === ciConfigId &&
      (query.pr_sha === undefined || run.pr_sha === query.pr_sha) &&
      (query.pr_num === undefined || run.pr_num === query.pr_num)
    )
    .slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 100))
    .map(withoutConfig)

/**
 * A stored run without the server's own bookkeeping.
 *
 * @since 0.2.0
 * @category queries
 */
export const withoutConfig = ({ ciConfigId: _, ...run }: WireCiRun & { readonly ciConfigId: number }): WireCiRun => run

/**
 * Attaches diffs to the newest run of the pull request that still waits for them (status
 * `pending`), which then starts (`running`). `undefined` when no run is waiting: the
 * real service's answer then is not documented; the servers say 404 and
 * {@link noRunWaitingDetail}.
 *
 * @since 0.2.0
 * @category mutations
 */
export const attachDiffs = (
  state: ServerState,
  ciConfigId: number,
  prNumber: number,
  diffs: ReadonlyArray<WireCiDiff>
): WireSubmitCiJob | undefined => {
  let index = state.runs.length - 1
  for (; index >= 0; index--) {
    const candidate = state.runs[index]
    if (
      candidate?.ciConfigId === ciConfigId && candidate.pr_num === String(prNumber) && candidate.status === "pending"
    ) {
      break
    }
  }
  const run = state.runs[index]
  if (run === undefined) return undefined
  state.runs[index] = { ...run, status: "running" }
  state.uploads.push({ ciConfigId, prNumber, ciRunId: run.id, diffs })
  return { ci_run_id: run.id, run_id: run.id + 100_000 }
}

/**
 * The `detail` of the 404 for an upload no run waits for.
 *
 * @since 0.2.0
 * @category constants
 */
export const noRunWaitingDetail = (prNumber: number): string =>
  `No CI run is waiting for PR #${prNumber}: trigger one first`
