/**
 * The Effect 4 data-diffs service, built as the Effect 4 client is (`DatafoldClient.ts`):
 * the same authorized `HttpClient`, attempt, retry drivers and key scrubbing; the rules
 * (input, decoding, waits, the report) are the shared core's (`core/diffs/`).
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import type { Checked } from "../../core/checked.ts"
import type { FieldIssue } from "../../core/dbt/dbtInput.ts"
import { isWaitMillis } from "../../core/dbt/runWait.ts"
import {
  decodeCancelledDataDiff,
  decodeDataDiff,
  decodeDataDiffPage,
  decodeOrganizationMeta,
  decodeSummaryResults
} from "../../core/diffs/decode.ts"
import {
  dataDiffBody,
  dataDiffInputIssues,
  diffIdIssues,
  listQueryIssues,
  listQueryParams
} from "../../core/diffs/input.ts"
import {
  cancelPath,
  DATA_DIFFS_PATH,
  dataDiffLink,
  dataDiffPath,
  ORGANIZATION_META_PATH,
  summaryResultsPath
} from "../../core/diffs/paths.ts"
import { runReport } from "../../core/diffs/report.ts"
import type { DataDiff, FinishedSummary, SummaryResults } from "../../core/diffs/shapes.ts"
import { diffWaitLimitsOf, diffWaitStep } from "../../core/diffs/wait.ts"
import { authorizationFor } from "../../core/requestHeaders.ts"
import { retryTransient, retryUndelivered } from "../../core/retryPolicy.ts"
import { makeScrub } from "../../core/scrub.ts"
import type { DataDiffsService, SettledDataDiff, WaitForDataDiffOptions } from "../DataDiffsService.ts"
import {
  DatafoldDataDiffCancelledError,
  DatafoldDataDiffFailedError,
  DatafoldDataDiffTimeoutError
} from "../DataDiffError.ts"
import type { ResolvedOptions } from "../DatafoldConfig.ts"
import type { DatafoldError } from "../DatafoldError.ts"
import { makeAttempt, minimumAttemptMillis } from "./attempt.ts"
import { authorizedClient } from "./authorizedClient.ts"
import { inputErrorOfFields } from "./inputIssues.ts"
import type { Decode } from "./interpretResponse.ts"
import { makeRetryDriver } from "./retryDriver.ts"

/** A shared decoder as the attempt's: its problem becomes a `DatafoldResponseError`. */
const decoderOf = <A>(check: (json: unknown) => Checked<A>): Decode<A> => (json) => {
  const checked = check(json)
  return checked.ok ? Result.succeed(checked.value) : Result.fail(checked.problem)
}

const decoders = {
  diff: decoderOf(decodeDataDiff),
  page: decoderOf(decodeDataDiffPage),
  summary: decoderOf(decodeSummaryResults),
  meta: decoderOf(decodeOrganizationMeta),
  cancelled: decoderOf(decodeCancelledDataDiff)
}

const inputError = (issues: ReadonlyArray<FieldIssue>) => inputErrorOfFields(issues)

/** A duration option in milliseconds: `undefined` when left out, `null` when not a positive duration. */
const millisOf = (input: Duration.Input | undefined): number | null | undefined => {
  if (input === undefined) return undefined
  const millis = Option.map(Duration.fromInput(input), Duration.toMillis)
  return Option.isSome(millis) && isWaitMillis(millis.value) ? millis.value : null
}

const limitsOf = (options: WaitForDataDiffOptions) =>
  diffWaitLimitsOf({
    timeout: millisOf(options.timeout),
    pollEvery: millisOf(options.pollEvery),
    maxPollEvery: millisOf(options.maxPollEvery),
    concurrency: options.concurrency
  })

/**
 * The data-diffs service for checked options (`resolveOptions`) over `baseClient`, its
 * requests going through `transformClient` when given.
 */
export const makeDataDiffsService = (
  settings: ResolvedOptions,
  baseClient: HttpClient.HttpClient,
  transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
): DataDiffsService => {
  const secret = Redacted.value(settings.apiKey)
  const authorized = authorizedClient(baseClient, authorizationFor(secret))
  const client = transformClient === undefined ? authorized : transformClient(authorized)
  const minAttemptMillis = minimumAttemptMillis(settings)
  const attempt = makeAttempt({
    client,
    timeout: settings.timeout,
    deadline: settings.deadline,
    minAttemptMillis,
    scrub: makeScrub(secret)
  })
  const driverSettings = { ...settings, minAttemptMillis }
  const retries = {
    read: makeRetryDriver(driverSettings, "DatafoldDataDiffs.read", retryTransient),
    // A created diff cannot be looked up by what was sent: only what surely did not arrive is retried.
    create: makeRetryDriver(driverSettings, "DatafoldDataDiffs.createDataDiff", retryUndelivered),
    // Cancelling twice does what cancelling once does.
    cancel: makeRetryDriver(driverSettings, "DatafoldDataDiffs.cancelDataDiff", retryTransient)
  }
  const host = settings.host
  const get = (path: string, query: Record<string, string> = {}) =>
    HttpClientRequest.get(`${host}${path}`).pipe(HttpClientRequest.setUrlParams(query))
  const withId = <A>(id: number, call: (id: number) => Effect.Effect<A, DatafoldError>) => {
    const issues = diffIdIssues(id)
    return issues.length > 0 ? Effect.fail(inputError(issues)) : Effect.suspend(() => call(id))
  }

  const createDataDiff: DataDiffsService["createDataDiff"] = (input) =>
    Effect.suspend(() => {
      const issues = dataDiffInputIssues(input)
      if (issues.length > 0) return Effect.fail(inputError(issues))
      const request = HttpClientRequest.post(`${host}${DATA_DIFFS_PATH}`).pipe(
        HttpClientRequest.bodyText(dataDiffBody(input), "application/json")
      )
      return retries.create((deadlineAt) => attempt(request, decoders.diff, deadlineAt))
    })

  const getDataDiff: DataDiffsService["getDataDiff"] = (id) =>
    withId(id, (id) => retries.read((deadlineAt) => attempt(get(dataDiffPath(id)), decoders.diff, deadlineAt)))

  const cancelDataDiff: DataDiffsService["cancelDataDiff"] = (id) =>
    withId(id, (id) => {
      const request = HttpClientRequest.post(`${host}${cancelPath(id)}`)
      return retries.cancel((deadlineAt) => attempt(request, decoders.cancelled, deadlineAt))
    })

  const dataDiffResults: DataDiffsService["dataDiffResults"] = (id) =>
    withId(
      id,
      (id) => retries.read((deadlineAt) => attempt(get(summaryResultsPath(id)), decoders.summary, deadlineAt))
    )

  const organizationMeta: DataDiffsService["organizationMeta"] = () =>
    retries.read((deadlineAt) => attempt(get(ORGANIZATION_META_PATH), decoders.meta, deadlineAt))

  const listDataDiffs: DataDiffsService["listDataDiffs"] = (query = {}) => {
    const issues = listQueryIssues(query)
    if (issues.length > 0) return Stream.fail(inputError(issues))
    const first = query.page ?? 1
    return Stream.paginate(
      first,
      (page: number) =>
        retries.read((deadlineAt) =>
          attempt(get(DATA_DIFFS_PATH, listQueryParams(query, page)), decoders.page, deadlineAt)
        ).pipe(
          // Stop on the last page, and on an empty one whatever `total_pages` claims.
          Effect.map((answer) =>
            [
              answer.results,
              answer.results.length === 0 || page >= answer.total_pages ? Option.none() : Option.some(page + 1)
            ] as const
          )
        )
    )
  }

  /** One diff to its end: finished, failed or cancelled as data; only the timeout fails. */
  const settle = (
    id: number,
    limits: Exclude<ReturnType<typeof limitsOf>, { ok: false }>["value"],
    options: WaitForDataDiffOptions
  ): Effect.Effect<SettledDataDiff, DatafoldError | DatafoldDataDiffTimeoutError> =>
    Effect.gen(function* () {
      const start = yield* Clock.currentTimeMillis
      for (let polls = 1;; polls++) {
        const summary = yield* dataDiffResults(id)
        const elapsedMillis = (yield* Clock.currentTimeMillis) - start
        if (options.onProgress !== undefined) yield* options.onProgress({ diffId: id, summary, elapsedMillis, polls })
        const step = diffWaitStep(limits, polls, summary, elapsedMillis)
        switch (step._tag) {
          case "Finished":
          case "Failed":
          case "Cancelled":
            return { diffId: id, summary: step.summary, elapsedMillis }
          case "Timeout":
            return yield* new DatafoldDataDiffTimeoutError({
              diffId: id,
              link: dataDiffLink(host, id),
              status: step.summary.status,
              waitedMillis: elapsedMillis
            })
          case "Sleep":
            yield* Effect.sleep(Duration.millis(step.millis))
        }
      }
    })

  const waitForDataDiffs: DataDiffsService["waitForDataDiffs"] = (ids, options = {}) =>
    Effect.suspend(() => {
      const limits = limitsOf(options)
      const issues = [
        ...ids.flatMap((id, index) => diffIdIssues(id, `ids[${index}]`)),
        ...(limits.ok ? [] : limits.issues)
      ]
      if (!limits.ok || issues.length > 0) return Effect.fail(inputError(issues))
      return Effect.forEach(ids, (id) => settle(id, limits.value, options), { concurrency: limits.value.concurrency })
    })

  const waitForDataDiff: DataDiffsService["waitForDataDiff"] = (id, options = {}) =>
    Effect.flatMap(waitForDataDiffs([id], options), ([settled]): Effect.Effect<
      FinishedSummary,
      DatafoldDataDiffFailedError | DatafoldDataDiffCancelledError
    > => {
      const { elapsedMillis, summary } = settled!
      const link = dataDiffLink(host, id)
      switch (summary._tag) {
        case "Failed":
          return Effect.fail(
            new DatafoldDataDiffFailedError({
              diffId: id,
              link,
              errorType: summary.error.error_type,
              errorValue: summary.error.error_value,
              elapsedMillis
            })
          )
        case "Cancelled":
          return Effect.fail(new DatafoldDataDiffCancelledError({ diffId: id, link, elapsedMillis }))
        default:
          return Effect.succeed(summary)
      }
    })

  const runReportOf: DataDiffsService["runReport"] = (ciConfigId, run, options = {}) =>
    Effect.suspend(() => {
      const ciRunId = typeof run === "number" ? run : run.id
      const issues = [...diffIdIssues(ciConfigId, "ciConfigId"), ...diffIdIssues(ciRunId, "ciRunId")]
      const limits = limitsOf(options.wait ?? {})
      if (issues.length > 0 || !limits.ok) {
        return Effect.fail(inputError([...issues, ...(limits.ok ? [] : limits.issues)]))
      }
      return Effect.gen(function* () {
        // Every diff the listing gives is checked: a server that ignores the filter sends others' too.
        const listed: ReadonlyArray<DataDiff> = yield* Stream.runCollect(
          listDataDiffs({ ciRunId, pageSize: options.pageSize ?? 100, orderBy: "id" })
        )
        const own = listed.filter((diff: DataDiff) => diff.ci_run_id === ciRunId)
        const results = new Map<number, SummaryResults>()
        if (options.wait === undefined) {
          yield* Effect.forEach(
            own,
            (diff) => Effect.map(dataDiffResults(diff.id), (summary) => results.set(diff.id, summary)),
            { concurrency: limits.value.concurrency, discard: true }
          )
        } else {
          const settled = yield* waitForDataDiffs(own.map((diff) => diff.id), options.wait)
          for (const { diffId, summary } of settled) results.set(diffId, summary)
        }
        return runReport(host, ciConfigId, ciRunId, listed, results)
      })
    })

  return {
    host,
    createDataDiff,
    getDataDiff,
    cancelDataDiff,
    dataDiffResults,
    waitForDataDiff,
    waitForDataDiffs,
    listDataDiffs,
    runReport: runReportOf,
    organizationMeta
  }
}
