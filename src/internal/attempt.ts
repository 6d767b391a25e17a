/**
 * One attempt at a call: send, read the body within the cap, interpret the answer,
 * all within the per-attempt timeout or what is left of the overall deadline. How the
 * request travels is a {@link Send}: over a wire (`sendOverWire.ts`) or over any
 * `HttpClient` (`sendOverClient.ts`); the time limit and the span are set here for both.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import { MIN_ATTEMPT_MILLIS } from "../core/attemptTime.ts"
import { timeoutDetail } from "../core/messages.ts"
import { type DatafoldError, DatafoldNetworkError } from "../DatafoldError.ts"
import { whenTraced } from "./tracing.ts"
import type { WireRequest } from "./wire.ts"

/** A decoder of a 2xx answer's JSON. */
export type Decode<A> = (json: unknown) => Either.Either<A, ParseResult.ParseError>

/**
 * Send `request` once and decode a 2xx body with `decode`, giving up at `deadlineAt`
 * (epoch ms). A streamed body's source can fail with `E`.
 */
export type Attempt = <A, E = never>(
  request: WireRequest<E>,
  decode: Decode<A>,
  deadlineAt: number
) => Effect.Effect<A, DatafoldError | E>

/**
 * The time limit of an attempt that streams its body: it may take as long as it keeps
 * moving, up to the deadline; `idleMillis` (the client's timeout) without a chunk taken,
 * or without an answer after the last one, and it times out.
 */
export interface IdleLimit {
  readonly idleMillis: number
  readonly deadlineAt: number
}

/** One attempt, once its time limit is known; `onStatus` sees the answer's status. */
export type Send = <A, E>(
  request: WireRequest<E>,
  decode: Decode<A>,
  millis: number,
  onTimeout: () => DatafoldError,
  onStatus: (status: number) => void,
  idle?: IdleLimit
) => Effect.Effect<A, DatafoldError | E>

/** {@link MIN_ATTEMPT_MILLIS}, or the timeout or deadline when either is shorter. */
export const minimumAttemptMillis = (
  settings: { readonly timeout: Duration.Duration; readonly deadline: Duration.Duration }
): number => Math.min(MIN_ATTEMPT_MILLIS, Duration.toMillis(settings.timeout), Duration.toMillis(settings.deadline))

/** The time limits of a client's attempts. */
export interface AttemptTiming {
  readonly timeout: Duration.Duration
  readonly deadline: Duration.Duration
  /** No attempt starts with less than this left of the deadline (see {@link minimumAttemptMillis}). */
  readonly minAttemptMillis: number
  /** `timeout` in milliseconds, worked out once per client. */
  readonly timeoutMillis: number
}

/** How long an attempt that starts now may take, and the error when it takes longer; or why it cannot start. */
export type AttemptPlan =
  | { readonly _tag: "Start"; readonly millis: number; readonly onTimeout: () => DatafoldError }
  | { readonly _tag: "TooLate"; readonly error: DatafoldError }

/**
 * The plan of an attempt of `request` starting at `now` (epoch ms): one timer serves both
 * the timeout and the deadline, because the common call makes a single attempt.
 */
export const planAttempt = (
  timing: AttemptTiming,
  request: WireRequest<unknown>,
  deadlineAt: number,
  now: number
): AttemptPlan => {
  const timeoutMillis = timing.timeoutMillis
  const remaining = deadlineAt - now
  const deadlineFirst = remaining < timeoutMillis
  const onTimeout = () =>
    new DatafoldNetworkError({
      reason: "Timeout",
      url: request.url,
      detail: deadlineFirst
        ? timeoutDetail("deadline", Duration.format(timing.deadline))
        : timeoutDetail("attempt", Duration.format(timing.timeout))
    })
  // Never start what cannot finish: a wait cut to the deadline can end a hair before it.
  if (remaining < timing.minAttemptMillis) return { _tag: "TooLate", error: onTimeout() }
  return { _tag: "Start", millis: Math.min(remaining, timeoutMillis), onTimeout }
}

const ignoreStatus = (_: number): void => {}

/**
 * The attempt function of one client over `send`. When a tracer is installed, each
 * attempt is traced by a span of its own rather than the platform's HTTP span, which
 * records every response header verbatim, and a server could echo the key into one.
 */
export const makeAttempt = (send: Send, timing: AttemptTiming): Attempt => (request, decode, deadlineAt) =>
  Effect.clockWith((clock) => {
    const plan = planAttempt(timing, request, deadlineAt, clock.unsafeCurrentTimeMillis())
    if (plan._tag === "TooLate") return Effect.fail(plan.error)
    const { millis, onTimeout } = plan
    const idle = typeof request.body === "object" ? { idleMillis: timing.timeoutMillis, deadlineAt } : undefined
    return whenTraced(
      send(request, decode, millis, onTimeout, ignoreStatus, idle),
      () =>
        Effect.useSpan(
          `DatafoldClient.http ${request.method}`,
          {
            kind: "client",
            captureStackTrace: false,
            attributes: { "http.request.method": request.method, "url.full": request.url + request.query }
          },
          (span) =>
            Effect.withParentSpan(
              send(request, decode, millis, onTimeout, (status) => {
                span.attribute("http.response.status_code", status)
              }, idle),
              span
            )
        )
    )
  })
