/**
 * One run per commit: before a trigger is sent again, look for the run an earlier
 * attempt may have started, for as long as that attempt may still be creating it, and
 * return that run instead of starting a second.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Fiber from "effect/Fiber"
import type { CiRun } from "../CiRun.ts"
import { lookupDeadlineDetail } from "../core/messages.ts"
import { type DatafoldError, DatafoldNetworkError } from "../DatafoldError.ts"
import type { PrDetails } from "../PrDetails.ts"
import { SubmitCiJob } from "../SubmitCiJob.ts"
import { decodeCiRuns, decodeSubmitCiJob } from "./decodeAnswer.ts"
import { type Attempt, type AttemptTiming, planAttempt } from "./attempt.ts"
import type { RetryDriver } from "./retryDriver.ts"
import { startWireAttempt, type WireSettings } from "./wireAttempt.ts"
import { InFlight } from "../core/inFlight.ts"
import { attemptEnded, isTriggeredRun, lookStep, triggerKey } from "../core/duplicateRun.ts"
import { type CheckedTrigger, runsRequest, triggerRequest } from "./requests.ts"
import type { WireRequest } from "./wire.ts"
import {
  deduplicatedEventAttributes,
  deduplicatedLogAttributes,
  TRIGGER_DEDUPLICATED_EVENT
} from "../core/operations.ts"

const ignore = (_: number): void => {}

/** What the guard needs from the client. */
export interface OneRunSettings extends AttemptTiming {
  readonly attempt: Attempt
  /** The client's wire, when it sends over one of the library's own (see {@link TriggerCall.direct}). */
  readonly wire: WireSettings | undefined
  readonly host: string
  /** The first wait between lookups; later waits double it, up to `maxRetryDelay`. */
  readonly retryBase: Duration.Duration
  readonly maxRetryDelay: Duration.Duration
}

/** One trigger call: the attempt to hand to the retry driver, and how many it made. */
export interface TriggerCall {
  readonly once: (deadlineAt: number) => Effect.Effect<SubmitCiJob, DatafoldError>
  readonly attempts: () => number
  /**
   * The whole call driven by `retries`, its first attempt made as one asynchronous step
   * straight over the wire (no fiber operations around it); or `undefined` when that
   * cannot be: the client has no wire of its own, or a trigger for this commit may be in
   * flight, so the call must look before it sends. Retries, if any, go on through
   * {@link once}, exactly as after a first attempt made by `once`. `fiber` is the one
   * running the call: its end is watched while the attempt is open, so an interrupted
   * call abandons its request.
   */
  readonly direct: (
    fiber: Fiber.RuntimeFiber<unknown, unknown>,
    clock: Clock.Clock,
    retries: RetryDriver
  ) => Effect.Effect<SubmitCiJob, DatafoldError> | undefined
}

const addSpanEvent = (name: string, attributes: Record<string, unknown>): Effect.Effect<void> =>
  Effect.currentSpan.pipe(
    Effect.flatMap((span) =>
      Effect.map(Clock.currentTimeNanos, (now) => {
        span.event(name, now, attributes)
      })
    ),
    Effect.ignore
  )

/** A found run as the trigger's answer, logged and marked on the trigger span. */
const reuseRun = (run: CiRun, details: PrDetails): Effect.Effect<SubmitCiJob> =>
  Effect.logInfo("Datafold already started a run for this PR and SHA; returning it").pipe(
    Effect.annotateLogs(deduplicatedLogAttributes(run.id, details.pr_number)),
    Effect.zipRight(addSpanEvent(TRIGGER_DEDUPLICATED_EVENT, deduplicatedEventAttributes(run.id))),
    Effect.as(new SubmitCiJob({ ci_run_id: run.id, run_id: null }))
  )

/**
 * The trigger calls of one client. An in-flight registry, keyed by CI config, PR number
 * and head SHA, spans the client's calls: while an attempt for a commit is being sent,
 * or its answer was lost less than `LOOK_WINDOW_TIMEOUTS` (core/lookWindow.ts) timeouts ago, no call
 * sends another for that commit; it looks for the run instead, with backoff, within its
 * deadline, and sends only once the run has not appeared in that time.
 */
export const makeTriggerCalls = (settings: OneRunSettings): (checked: CheckedTrigger) => TriggerCall => {
  const inFlight = new InFlight()
  const timeoutMillis = Duration.toMillis(settings.timeout)
  const deadlineMillis = Duration.toMillis(settings.deadline)
  const firstWait = Duration.toMillis(settings.retryBase)
  const longestWait = Duration.toMillis(settings.maxRetryDelay)

  return (checked) => {
    const { details } = checked
    const key = triggerKey(checked.id, details.pr_number, details.pr_sha)
    const request = triggerRequest(checked)
    // Built on the first lookup: the common call never looks.
    let runs: WireRequest | undefined
    const deadlineError = () =>
      new DatafoldNetworkError({
        reason: "Timeout",
        url: checked.url,
        detail: lookupDeadlineDetail(Duration.format(settings.deadline))
      })
    let attempts = 0
    let lostAnswer = false

    const findRun = (deadlineAt: number) =>
      Effect.map(
        settings.attempt(
          runs ??= runsRequest(settings.host, checked.id, { prSha: details.pr_sha, prNumber: details.pr_number }),
          decodeCiRuns,
          deadlineAt
        ),
        (list) => list.find((run) => isTriggeredRun(run, details.pr_number, details.pr_sha))
      )

    /**
     * Look until the run shows up, or until a lookup that began after every earlier
     * attempt for this commit had settled comes back empty.
     */
    const lookForRun = (deadlineAt: number, step = 0): Effect.Effect<CiRun | undefined, DatafoldError> =>
      Effect.clockWith((clock) => {
        const inFlightBefore = inFlight.mayBeInFlight(key, clock.unsafeCurrentTimeMillis())
        return Effect.flatMap(findRun(deadlineAt), (run) => {
          const next = lookStep({
            found: run !== undefined,
            inFlightBefore,
            step,
            now: clock.unsafeCurrentTimeMillis(),
            deadlineAt,
            firstWaitMillis: firstWait,
            longestWaitMillis: longestWait,
            minAttemptMillis: settings.minAttemptMillis
          })
          switch (next._tag) {
            case "Settled":
              return Effect.succeed(run)
            case "DeadlineReached":
              return Effect.fail(deadlineError())
            case "Sleep":
              return Effect.zipRight(Effect.sleep(next.millis), lookForRun(deadlineAt, step + 1))
          }
        })
      })

    /**
     * An attempt for this commit has ended: with `error`, or `interrupted`. One whose
     * answer was lost, or that was interrupted, may still create a run, so the commit
     * stays in flight for the look window.
     */
    const ended = (error: DatafoldError | undefined, interrupted: boolean, now: number): void => {
      const settled = attemptEnded({ error, interrupted, now, timeoutMillis })
      if (settled.lost) lostAnswer = true
      inFlight.end(key, settled.inFlightUntil)
    }

    const send = (deadlineAt: number) =>
      Effect.suspend(() => {
        inFlight.begin(key)
        return settings.attempt(request, decodeSubmitCiJob, deadlineAt).pipe(
          Effect.onExit((exit) =>
            Effect.clockWith((clock) =>
              Effect.sync(() => {
                const failed = exit._tag === "Failure" && exit.cause._tag === "Fail" ? exit.cause.error : undefined
                ended(failed, exit._tag === "Failure" && exit.cause._tag !== "Fail", clock.unsafeCurrentTimeMillis())
              })
            )
          )
        )
      })

    const once = (deadlineAt: number): Effect.Effect<SubmitCiJob, DatafoldError> =>
      Effect.clockWith((clock) => {
        attempts += 1
        // After an attempt that may have started a run, or while one may be in flight
        // for this commit, look before triggering again.
        if (!lostAnswer && !inFlight.mayBeInFlight(key, clock.unsafeCurrentTimeMillis())) return send(deadlineAt)
        return Effect.flatMap(lookForRun(deadlineAt), (run) =>
          run === undefined ? send(deadlineAt) : reuseRun(run, details))
      })

    const direct = (fiber: Fiber.RuntimeFiber<unknown, unknown>, clock: Clock.Clock, retries: RetryDriver) => {
      const wire = settings.wire
      const now = clock.unsafeCurrentTimeMillis()
      if (wire === undefined || lostAnswer || inFlight.mayBeInFlight(key, now)) return undefined
      const deadlineAt = now + deadlineMillis
      const plan = planAttempt(settings, request, deadlineAt, now)
      if (plan._tag === "TooLate") return undefined
      attempts += 1
      // No canceler is handed to `Effect.async`, which would wrap the step in an
      // interruption handler of several fiber steps on every call; instead the fiber's end
      // is watched while the attempt is open. A fiber interrupted while it waits here ends
      // (its finalizers run first), and the request is abandoned then.
      return Effect.async<SubmitCiJob, DatafoldError>((resume) => {
        inFlight.begin(key)
        let open = true
        const onFiberEnd = () => {
          if (!open) return
          open = false
          cancel()
          ended(undefined, true, clock.unsafeCurrentTimeMillis())
        }
        const cancel = startWireAttempt(
          wire,
          request,
          decodeSubmitCiJob,
          plan.millis,
          plan.onTimeout,
          ignore,
          (outcome) => {
            if (!open) return
            open = false
            fiber.removeObserver(onFiberEnd)
            if (Either.isRight(outcome)) {
              ended(undefined, false, clock.unsafeCurrentTimeMillis())
              return resume(outcome)
            }
            ended(outcome.left, false, clock.unsafeCurrentTimeMillis())
            resume(retries.afterFailure(once, deadlineAt, outcome.left))
          }
        )
        if (open) fiber.addObserver(onFiberEnd)
      })
    }

    return { once, attempts: () => attempts, direct }
  }
}
