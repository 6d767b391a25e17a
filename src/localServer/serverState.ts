/**
 * What the local Datafold server remembers (requests, runs, uploads of diffs and of dbt
 * artifacts, pending faults) and what its API does to it (create a run, list runs, attach
 * diffs, take dbt artifacts), in plain TypeScript: the Effect 3 and Effect 4 servers share
 * it, so both keep the same books.
 *
 * @since 0.2.0
 */
import type { LocalDataDiffOptions, LocalDataDiffOutcome, LocalDataDiffPlan, StoredDataDiff } from "./dataDiffs.ts"
import type { Fault } from "./Fault.ts"

/**
 * The endpoints faults can be aimed at: the CI API's (`trigger`, `runs`, `upload` of
 * diffs) and, since 0.2.0, dbt's (`dbtUpload`: `submit_artifacts`, `dbtCheck`:
 * `post_upload_check_artifacts`, `checkPks`: `check_pks_in_dbt_manifest`).
 *
 * @since 0.1.0
 * @category models
 */
export type Endpoint =
  | "trigger"
  | "runs"
  | "upload"
  | "dbtUpload"
  | "dbtCheck"
  | "checkPks"
  | DataDiffEndpoint
  | "other"

/**
 * The data-diff endpoints faults can be aimed at (since 0.3.0): `dataDiffCreate` (`POST
 * /api/v1/datadiffs`), `dataDiffList` (`GET` it), `dataDiff` (`GET …/{id}`),
 * `dataDiffResults` (`…/{id}/summary_results`), `dataDiffCancel` (`POST …/{id}/cancel`),
 * `organizationMeta` (`GET /api/v1/organization/meta`).
 *
 * @since 0.3.0
 * @category models
 */
export type DataDiffEndpoint =
  | "dataDiffCreate"
  | "dataDiffList"
  | "dataDiff"
  | "dataDiffResults"
  | "dataDiffCancel"
  | "organizationMeta"

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
  /**
   * The body as UTF-8 text. Not kept whole (an upload can be hundreds of MB): a
   * `multipart/form-data` body, and a body over 64 KiB sent to a dbt endpoint, are
   * recorded as a placeholder with their size, e.g. `<not recorded: 157286656 bytes of
   * multipart/form-data>`; a body cut by `Fault.cutUpload` as `<not recorded: cut after
   * 65536 bytes>`. Since 0.2.0; the uploaded archive itself is in `dbtUploads()`.
   */
  readonly body: string
  /** Which endpoint the path names (see {@link Endpoint}). */
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
 * The two kinds of dbt build whose artifacts are uploaded: the main branch's, and a PR's.
 *
 * @since 0.2.0
 * @category models
 */
export type DbtRunType = "production" | "pull_request"

/**
 * One file listed in an uploaded archive's central directory, in the archive's order
 * (directory entries such as `compiled/` included, as the archive has them).
 *
 * @since 0.2.0
 * @category models
 */
export interface DbtArchiveEntry {
  /** The path inside the archive, e.g. `manifest.json` or `compiled/model.sql`. */
  readonly name: string
  /** Its uncompressed size in bytes. */
  readonly size: number
}

/**
 * dbt artifacts the server accepted (`POST /api/v1/dbt/submit_artifacts/{id}`).
 *
 * @since 0.2.0
 * @category models
 */
export interface ReceivedDbtUpload {
  readonly ciConfigId: number
  readonly runType: DbtRunType
  readonly commitSha: string
  /** The `run_id` form field, when one was sent. */
  readonly runId: string | undefined
  /** The `artifacts` file part, byte for byte as received. */
  readonly archive: Uint8Array
  readonly entries: ReadonlyArray<DbtArchiveEntry>
  /** The CI run the upload created: a `pull_request` upload's, unless `createDbtRuns` is false. */
  readonly ciRunId: number | undefined
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
 * The PR facts a run created by a `pull_request` dbt upload gets (its `pr_sha` is the
 * upload's `commit_sha`). Each has a default: PR 1, branch `feature` into `main`, and
 * `base_sha` the commit of the CI config's latest `production` upload (40 zeros before
 * there is one).
 *
 * @since 0.2.0
 * @category models
 */
export interface DbtPullRequest {
  readonly prNumber?: number | undefined
  readonly prBranch?: string | undefined
  readonly baseBranch?: string | undefined
  readonly baseSha?: string | undefined
}

/**
 * What the state is started with: the server's options that shape its books.
 *
 * @since 0.2.0
 * @category models
 */
export interface ServerStateOptions {
  readonly apiKey?: string | undefined
  readonly acceptAnyKey?: boolean | undefined
  readonly ciConfigIds?: ReadonlyArray<number> | undefined
  readonly runStatuses?: ReadonlyArray<string> | undefined
  readonly dbtPullRequest?: DbtPullRequest | undefined
  readonly createDbtRuns?: boolean | undefined
  readonly dataDiffs?: LocalDataDiffOptions | undefined
  readonly ignoreRunFilters?: boolean | undefined
  readonly foreignRuns?: ReadonlyArray<ForeignRun> | undefined
}

/**
 * A run of another commit or PR that every listing returns beside the stored runs.
 *
 * @since 0.2.0
 * @category models
 */
export interface ForeignRun {
  readonly pr_sha: string
  readonly status: string
  readonly pr_num?: string | undefined
  /** Default: one above any stored run's id (the newest). */
  readonly id?: number | undefined
}

/**
 * A run as stored: the wire run, its CI config, how many listings have returned it, and
 * whether it still takes diffs (a triggered run that no upload of diffs has reached yet).
 *
 * @since 0.2.0
 * @category models
 */
export type StoredRun = WireCiRun & {
  readonly ciConfigId: number
  readonly listings: number
  readonly awaitsDiffs: boolean
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
  /** The statuses each run shows, listing after listing; `undefined`: `pending`, then `running`. */
  readonly runStatuses: ReadonlyArray<string> | undefined
  readonly dbtPullRequest: DbtPullRequest
  readonly createDbtRuns: boolean
  readonly dataDiffOptions: LocalDataDiffOptions
  readonly ignoreRunFilters: boolean
  readonly foreignRuns: ReadonlyArray<ForeignRun>
  requests: Array<RecordedRequest>
  runs: Array<StoredRun>
  uploads: Array<ReceivedUpload>
  dbtUploads: Array<ReceivedDbtUpload>
  faults: Array<{ readonly fault: Fault; readonly endpoint: Endpoint }>
  /** Every data diff, in the order created (since 0.3.0). */
  dataDiffs: Array<StoredDataDiff>
  nextId: number
  /** Diff ids are counted apart from run ids, so runs keep the ids they had before diffs. */
  nextDiffId: number
  /** Bumped by `reset()`, so a request still delayed from before it changes nothing after. */
  generation: number
}

/**
 * A fresh state; the key defaults to a random test key.
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeServerState = (options: ServerStateOptions): ServerState => ({
  apiKey: options.apiKey ?? `dfk_test_${crypto.randomUUID().replaceAll("-", "")}`,
  acceptAnyKey: options.acceptAnyKey ?? false,
  ciConfigIds: options.ciConfigIds === undefined ? undefined : new Set(options.ciConfigIds),
  // An empty sequence would leave nothing to show: it means "no sequence".
  runStatuses: options.runStatuses === undefined || options.runStatuses.length === 0
    ? undefined
    : [...options.runStatuses],
  dbtPullRequest: { ...options.dbtPullRequest },
  createDbtRuns: options.createDbtRuns ?? true,
  dataDiffOptions: { ...options.dataDiffs },
  ignoreRunFilters: options.ignoreRunFilters ?? false,
  foreignRuns: [...(options.foreignRuns ?? [])],
  requests: [],
  runs: [],
  uploads: [],
  dbtUploads: [],
  faults: [],
  dataDiffs: [],
  nextId: 1,
  nextDiffId: 1,
  generation: 0
})

/**
 * Forget requests, runs, uploads (of diffs and of dbt artifacts) and pending faults.
 *
 * @since 0.2.0
 * @category mutations
 */
export const resetState = (state: ServerState): void => {
  state.requests = []
  state.runs = []
  state.uploads = []
  state.dbtUploads = []
  state.faults = []
  state.dataDiffs = []
  state.nextId = 1
  state.nextDiffId = 1
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

const storeRun = (
  state: ServerState,
  ciConfigId: number,
  details: WirePrDetails,
  origin: { readonly source: string; readonly status: string; readonly awaitsDiffs: boolean }
): WireSubmitCiJob => {
  const id = state.nextId++
  state.runs.push({
    id,
    base_branch: details.base_branch,
    base_sha: details.base_sha,
    pr_branch: details.pr_branch,
    pr_sha: details.pr_sha,
    pr_num: String(details.pr_number),
    // With a sequence, what the run shows until a listing moves it on: its first status.
    status: state.runStatuses?.[0] ?? origin.status,
    source: origin.source,
    ciConfigId,
    listings: 0,
    awaitsDiffs: origin.awaitsDiffs
  })
  return { ci_run_id: id, run_id: id + 100_000 }
}

/**
 * Creates a pending run for the PR (waiting for its diffs) and answers with its ids.
 *
 * @since 0.2.0
 * @category mutations
 */
export const createRun = (state: ServerState, ciConfigId: number, details: WirePrDetails): WireSubmitCiJob => {
  const job = storeRun(state, ciConfigId, details, { source: "api", status: "pending", awaitsDiffs: true })
  storeRunDiffs(state, job.ci_run_id, state.dataDiffOptions.onTrigger ?? [])
  return job
}

/**
 * Stores one data diff with its wire record; gives its id.
 *
 * @since 0.3.0
 * @category mutations
 */
export const storeDataDiff = (
  state: ServerState,
  fields: Readonly<Record<string, unknown>>,
  plan: { readonly outcome: LocalDataDiffOutcome; readonly statuses?: ReadonlyArray<string> | undefined }
): StoredDataDiff => {
  const id = state.nextDiffId++
  const sameSource = fields["data_source1_id"] === fields["data_source2_id"]
  const kind = plan.outcome === "crossDatabase" || !sameSource ? "cross_db" : "in_db"
  const now = new Date().toISOString()
  const statuses = plan.statuses ?? state.dataDiffOptions.summaryStatuses
  const stored: StoredDataDiff = {
    record: {
      id,
      kind,
      algorithm: kind === "in_db" ? "join" : "fetch_and_join",
      status: "waiting",
      done: false,
      result: null,
      data_source1_id: 1,
      data_source2_id: 1,
      table1: null,
      table2: null,
      query1: null,
      query2: null,
      pk_columns: [],
      source: "api",
      ci_run_id: null,
      ci_pr_num: null,
      ci_pr_sha: null,
      ci_pr_branch: null,
      ci_base_branch: null,
      ...fields,
      created_at: now,
      updated_at: now,
      finished_at: null,
      diff_progress: null
    },
    outcome: plan.outcome,
    statuses: statuses === undefined || statuses.length === 0 ? ["running", "done"] : [...statuses],
    looks: 0,
    cancelled: false
  }
  state.dataDiffs.push(stored)
  return stored
}

const defaultDbtDiffs: ReadonlyArray<LocalDataDiffPlan> = [{ outcome: "different" }]

/** The diffs of run `ciRunId`, from its plans. */
const storeRunDiffs = (state: ServerState, ciRunId: number, plans: ReadonlyArray<LocalDataDiffPlan>): void => {
  const run = state.runs.find((candidate) => candidate.id === ciRunId)
  plans.forEach((plan, index) => {
    const n = state.nextDiffId
    storeDataDiff(state, {
      table1: plan.table1 ?? ["ANALYTICS", "PROD", `ORDERS_${n}`],
      table2: plan.table2 ?? ["ANALYTICS", `PR_${run?.pr_num ?? index}`, `ORDERS_${n}`],
      pk_columns: ["ID"],
      ...ciFields(run)
    }, { outcome: plan.outcome ?? "different", statuses: plan.statuses })
  })
}

const ciFields = (run: StoredRun | undefined): Record<string, unknown> =>
  run === undefined ? {} : {
    source: "ci",
    ci_run_id: run.id,
    ci_pr_num: Number(run.pr_num),
    ci_pr_sha: run.pr_sha,
    ci_pr_branch: run.pr_branch,
    ci_base_branch: run.base_branch
  }

/**
 * The runs of one CI config, filtered and paged as the query says.
 *
 * @since 0.2.0
 * @category queries
 */
export const listRuns = (state: ServerState, ciConfigId: number, query: RunsQuery): ReadonlyArray<WireCiRun> => {
  const listed = state.runs
    .filter((run) =>
      run.ciConfigId === ciConfigId &&
      (state.ignoreRunFilters || query.pr_sha === undefined || run.pr_sha === query.pr_sha) &&
      (state.ignoreRunFilters || query.pr_num === undefined || run.pr_num === query.pr_num)
    )
    .slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 100))
  const sequence = state.runStatuses
  const foreign = foreignRunsOf(state)
  if (sequence === undefined) return [...foreign, ...listed.map(withoutConfig)]
  return [
    ...foreign,
    ...listed.map((run) => {
      // The n-th listing that returns a run shows the n-th status; the last one sticks.
      const shown: StoredRun = {
        ...run,
        status: sequence[Math.min(run.listings, sequence.length - 1)] ?? run.status,
        listings: run.listings + 1
      }
      state.runs[state.runs.indexOf(run)] = shown
      return withoutConfig(shown)
    })
  ]
}

/** The foreign runs as listed: each one newer than any stored run unless its id is given. */
const foreignRunsOf = (state: ServerState): ReadonlyArray<WireCiRun> => {
  const newest = state.runs.reduce((max, run) => Math.max(max, run.id), 0)
  return state.foreignRuns.map((run, index) => ({
    id: run.id ?? newest + 1 + index,
    base_branch: "main",
    base_sha: "0".repeat(40),
    pr_branch: "someone-else",
    pr_sha: run.pr_sha,
    pr_num: run.pr_num ?? "999",
    status: run.status,
    source: "api"
  }))
}

/**
 * A stored run without the server's own bookkeeping.
 *
 * @since 0.2.0
 * @category queries
 */
export const withoutConfig = (
  { ciConfigId: _config, listings: _listings, awaitsDiffs: _awaits, ...run }: StoredRun
): WireCiRun => run

/**
 * Attaches diffs to the newest triggered run of the pull request that still waits for
 * them (status `pending`), which then starts (`running`; with `runStatuses`, its status
 * follows the sequence instead, listed or not). `undefined` when no run is waiting: the
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
      candidate?.ciConfigId === ciConfigId && candidate.pr_num === String(prNumber) && candidate.awaitsDiffs
    ) {
      break
    }
  }
  const run = state.runs[index]
  if (run === undefined) return undefined
  state.runs[index] = { ...run, status: state.runStatuses === undefined ? "running" : run.status, awaitsDiffs: false }
  state.uploads.push({ ciConfigId, prNumber, ciRunId: run.id, diffs })
  const outcomes = state.dataDiffOptions.onUpload ?? ["different"]
  diffs.forEach((diff, index) => {
    storeDataDiff(state, {
      table1: diff.prod.split("."),
      table2: diff.pr.split("."),
      pk_columns: diff.pk ?? [],
      include_columns: diff.include_columns,
      exclude_columns: diff.exclude_columns,
      ...ciFields(state.runs.find((candidate) => candidate.id === run.id))
    }, { outcome: outcomes[Math.min(index, outcomes.length - 1)] ?? "different" })
  })
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

/**
 * Keeps an accepted dbt upload; a `pull_request` one also creates a CI run for its commit
 * (as Datafold does once it has the PR build's artifacts), unless `createDbtRuns` is off.
 * The run's `source` is `dbt`, its status `running` (or the first of `runStatuses`), and
 * it takes no diffs.
 *
 * @since 0.2.0
 * @category mutations
 */
export const takeDbtUpload = (
  state: ServerState,
  upload: Omit<ReceivedDbtUpload, "ciRunId">
): ReceivedDbtUpload => {
  let ciRunId: number | undefined = undefined
  if (upload.runType === "pull_request" && state.createDbtRuns) {
    const facts = state.dbtPullRequest
    const production = state.dbtUploads.filter((earlier) =>
      earlier.ciConfigId === upload.ciConfigId && earlier.runType === "production"
    ).at(-1)
    ciRunId = storeRun(state, upload.ciConfigId, {
      pr_number: facts.prNumber ?? 1,
      pr_branch: facts.prBranch ?? "feature",
      base_branch: facts.baseBranch ?? "main",
      pr_sha: upload.commitSha,
      base_sha: facts.baseSha ?? production?.commitSha ?? "0".repeat(40)
    }, { source: "dbt", status: "running", awaitsDiffs: false }).ci_run_id
    storeRunDiffs(state, ciRunId, state.dataDiffOptions.onDbtRun ?? defaultDbtDiffs)
  }
  const received: ReceivedDbtUpload = { ...upload, ciRunId }
  state.dbtUploads.push(received)
  return received
}

/**
 * Whether the CI config has artifacts uploaded for this commit and run type
 * (`post_upload_check_artifacts`).
 *
 * @since 0.2.0
 * @category queries
 */
export const hasDbtUpload = (
  state: ServerState,
  ciConfigId: number,
  commitSha: string,
  runType: DbtRunType
): boolean =>
  state.dbtUploads.some((upload) =>
    upload.ciConfigId === ciConfigId && upload.commitSha === commitSha && upload.runType === runType
  )
