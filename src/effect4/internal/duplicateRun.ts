/**
 * One run per commit, on Effect 4: before a trigger is sent again, look for the run an
 * earlier attempt may have started, for as long as that attempt may still be creating
 * it, and return that run instead of starting a second. The registry and the rules are
 * the shared core's (`InFlight`, `mayHaveBeenDelivered`); this is the Effect shell.
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { InFlight } from "../../core/inFlight.ts"
import { attemptEnded, isTriggeredRun, lookStep, triggerKey } from "../../core/duplicateRun.ts"
import { lookupDeadlineDetail } from "../../core/messages.ts"
import {
  deduplicatedEventAttributes,
  deduplicatedLogAttributes,
  TRIGGER_DEDUPLICATED_EVENT
} from "../../core/operations.ts"
import { type CiRun, CiRuns } from "../CiRun.ts"
import { type DatafoldError, DatafoldNetworkError } from "../DatafoldError.ts"
import type { PrDetails } from "../PrDetails.ts"
import { SubmitCiJob } from "../SubmitCiJob.ts"
import type { Attempt } from "./attempt.ts"
import { decoderFor } from "./interpretResponse.ts"
import { type CheckedTrigger, runsRequest, triggerRequest } from "./requests.ts"

const decodeCiRuns = decoderFor(CiRuns)
const decodeSubmitCiJob = decoderFor(SubmitCiJob)

/** What the guard needs from the client. */
export interface OneRunSettings {
  readonly attempt: Attempt
  readonly host: string
  readonly timeout: Duration.Duration
  readonly deadline: Duration.Duration
  readonly retryBase: Duration.Duration
  readonly maxRetryDelay: Duration.Duration
  readonly minAttemptMillis: number
}

/** One trigger call: the attempt to hand to the retry driver, and how many it made. */
export interface TriggerCall {
  readonly once: (deadlineAt: number) => Effect.Effect<SubmitCiJob, DatafoldError>
  readonly attempts: () => number
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
    Effect.andThen(addSpanEvent(TRIGGER_DEDUPLICATED_EVENT, deduplicatedEventAttributes(run.id))),
    Effect.as(new SubmitCiJob({ ci_run_id: run.id, run_id: null }))
  )

/** The failure an attempt ended with, when it ended with one (not a defect or an interruption). */
const failureOf = <A>(exit: Exit.Exit<A, DatafoldError>): DatafoldError | undefined =>
  Exit.isFailure(exit) && !Cause.hasInterrupts(exit.cause) && !Cause.hasDies(exit.cause)
    ? Cause.findErrorOption(exit.cause).pipe((option) => option._tag === "Some" ? option.value : undefined)
    : undefined

/** The trigger calls of one client (see the Effect 3 `duplicateRun.ts` for the design). */
export const makeTriggerCalls = (settings: OneRunSettings): (checked: CheckedTrigger) => TriggerCall => {
  const inFlight = new InFlight()
  const timeoutMillis = Duration.toMillis(settings.timeout)
  const firstWait = Duration.toMillis(settings.retryBase)
  const longestWait = Duration.toMillis(settings.maxRetryDelay)

  return (checked) => {
    const { details } = checked
    const key = triggerKey(checked.id, details.pr_number, details.pr_sha)
    const request = triggerRequest(checked)
    const runs = runsRequest(settings.host, checked.id, { prSha: details.pr_sha, prNumber: details.pr_number })
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
        settings.attempt(runs, decodeCiRuns, deadlineAt),
        (list) => list.find((run) => isTriggeredRun(run, details.pr_number, details.pr_sha))
      )

    const lookForRun = (deadlineAt: number, step = 0): Effect.Effect<CiRun | undefined, DatafoldError> =>
      Effect.clockWith((clock) => {
        const inFlightBefore = inFlight.mayBeInFlight(key, clock.currentTimeMillisUnsafe())
        return Effect.flatMap(findRun(deadlineAt), (run) => {
          const next = lookStep({
            found: run !== undefined,
            inFlightBefore,
            step,
            now: clock.currentTimeMillisUnsafe(),
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
              return Effect.andThen(Effect.sleep(Duration.millis(next.millis)), lookForRun(deadlineAt, step + 1))
          }
        })
      })

    const send = (deadlineAt: number) =>
      Effect.suspend(() => {
        inFlight.begin(key)
        return settings.attempt(request, decodeSubmitCiJob, deadlineAt).pipe(
          Effect.onExit((exit) =>
            Effect.clockWith((clock) =>
              Effect.sync(() => {
                const error = failureOf(exit)
                const settled = attemptEnded({
                  error,
                  interrupted: Exit.isFailure(exit) && error === undefined,
                  now: clock.currentTimeMillisUnsafe(),
                  timeoutMillis
                })
                if (settled.lost) lostAnswer = true
                inFlight.end(key, settled.inFlightUntil)
              })
            )
          )
        )
      })

    const once = (deadlineAt: number): Effect.Effect<SubmitCiJob, DatafoldError> =>
      Effect.clockWith((clock) => {
        attempts += 1
        if (!lostAnswer && !inFlight.mayBeInFlight(key, clock.currentTimeMillisUnsafe())) return send(deadlineAt)
        return Effect.flatMap(lookForRun(deadlineAt), (run) =>
          run === undefined ? send(deadlineAt) : reuseRun(run, details))
      })

    return { once, attempts: () => attempts }
  }
}
