/**
 * One attempt over a wire, as plain callbacks: one request, one timer, the
 * body read within the cap, and the answer interpreted by the same rules as on the
 * general path (`interpretAnswer`, `bodyReadFailure`, `transportFailure`). It is the
 * body of both the wire's `Send` (`sendOverWire.ts`) and the trigger's first attempt
 * when that runs as a single step (`duplicateRun.ts`).
 */
import * as Either from "effect/Either"
import { isRedirect } from "../core/outcome.ts"
import type { Scrub } from "../core/scrub.ts"
import { transportFailure } from "../core/transportFailure.ts"
import { type DatafoldError, DatafoldNetworkError } from "../DatafoldError.ts"
import type { Decode, IdleLimit } from "./attempt.ts"
import { bodyReadFailure, interpretAnswer } from "./interpretResponse.ts"
import { closeSource } from "../core/streamBody.ts"
import type { BodySource, WireRequest, WireSend } from "./wire.ts"

/** A wire and what every request over it carries. */
export interface WireSettings {
  readonly wire: WireSend
  /** The headers of a request without a body. */
  readonly headers: Readonly<Record<string, string>>
  /** The headers of a request with a JSON body. */
  readonly postHeaders: Readonly<Record<string, string>>
  readonly scrub: Scrub
}

/** {@link WireSettings} for `wire` and the client's fixed headers. */
export const wireSettings = (
  wire: WireSend,
  headers: Readonly<Record<string, string>>,
  scrub: Scrub
): WireSettings => ({
  wire,
  headers,
  postHeaders: { ...headers, "content-type": "application/json" },
  scrub
})

/**
 * Start one attempt; `done` is called once with the outcome, unless the attempt is
 * cancelled first with the function returned (which aborts the request). On timeout the
 * request is aborted, its socket released, before `done` gets `onTimeout()`. A streamed
 * body is opened here, for this attempt; with `idle`, its timer is a limit on quiet
 * time rather than on the whole exchange: it runs out `idle.idleMillis` after the
 * transport last took a chunk (or, once all were sent, after the last one), and never
 * later than `idle.deadlineAt`. When the source fails, the attempt fails with its error.
 */
export const startWireAttempt = <A, E>(
  settings: WireSettings,
  request: WireRequest<E>,
  decode: Decode<A>,
  millis: number,
  onTimeout: () => DatafoldError,
  onStatus: (status: number) => void,
  done: (outcome: Either.Either<A, DatafoldError | E>) => void,
  idle?: IdleLimit
): () => void => {
  const body = request.body
  let source: BodySource<E> | undefined
  let lastActivity = 0
  let headers = body === undefined
    ? settings.headers
    : request.contentType === undefined
    ? settings.postHeaders
    : { ...settings.headers, "content-type": request.contentType }
  if (typeof body === "object") {
    lastActivity = Date.now()
    source = body.open(() => {
      lastActivity = Date.now()
    })
    headers = { ...settings.headers, "content-type": body.contentType }
  }
  const call = settings.wire(request, headers, source)
  const context = { url: request.url, scrub: settings.scrub }
  let settled = false
  // However the attempt ends, a streamed body's read stops (its file closed).
  const release = () => {
    if (source !== undefined) closeSource(source)
  }
  const settle = (outcome: Either.Either<A, DatafoldError | E>) => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    release()
    done(outcome)
  }
  const fail = (error: DatafoldError | E) => settle(Either.left(error))
  const onTimer = (): void => {
    if (settled) return
    if (source !== undefined && idle !== undefined) {
      const now = Date.now()
      const quiet = now - lastActivity
      if (quiet < idle.idleMillis && now < idle.deadlineAt) {
        timer = setTimeout(onTimer, Math.min(idle.idleMillis - quiet, idle.deadlineAt - now))
        return
      }
    }
    settled = true
    call.abort()
    release()
    done(Either.left(onTimeout()))
  }
  let timer = setTimeout(onTimer, millis)
  call.answer.then(
    (answer) => {
      if (settled) return
      onStatus(answer.status)
      if (isRedirect(answer.status)) {
        call.abort()
        return settle(interpretAnswer(answer, "", decode, context))
      }
      answer.text().then(
        (text) => settle(interpretAnswer(answer, text, decode, context)),
        (error) => {
          call.abort()
          fail(bodyReadFailure(answer, error, context))
        }
      )
    },
    (error) =>
      fail(
        source?.failure() ?? new DatafoldNetworkError({ ...transportFailure(error, settings.scrub), url: request.url })
      )
  )
  return () => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    call.abort()
    release()
  }
}
