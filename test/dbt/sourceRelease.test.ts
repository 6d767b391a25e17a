/**
 * However an attempt with a streamed body ends, the body's read stops and its `finally`
 * runs (closing the file it reads), even when the transport gave up on the request
 * without cancelling the body it was pulling: a wire here that reads one chunk and then
 * fails, or never answers, models such a transport.
 */
import { describe, expect, it } from "@effect/vitest"
import type * as Either from "effect/Either"
import type { StreamBody } from "../../src/core/streamBody.ts"
import { DatafoldNetworkError } from "../../src/DatafoldError.ts"
import type { WireSend } from "../../src/internal/wire.ts"
import { startWireAttempt, wireSettings } from "../../src/internal/wireAttempt.ts"

/** A body whose read records when its `finally` ran. */
const trackedBody = () => {
  const state = { closed: false }
  const body: StreamBody<never> = {
    _tag: "StreamBody",
    contentType: "application/octet-stream",
    open: () => ({
      chunks: (async function* () {
        try {
          for (let i = 0; i < 1000; i++) yield new Uint8Array(1024)
        } finally {
          state.closed = true
        }
      })(),
      failure: () => undefined
    })
  }
  return { body, state }
}

/** A wire that takes one chunk of the body, then fails (or hangs) without cancelling the body. */
const givingUpWire = (outcome: "fail" | "hang"): WireSend => (_, __, source) => {
  const answer = (async () => {
    await source!.chunks.next()
    if (outcome === "fail") throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })
    return new Promise<never>(() => {})
  })()
  return { answer, abort: () => {} }
}

const attempt = (outcome: "fail" | "hang", millis: number) =>
  new Promise<{ readonly outcome: Either.Either<unknown, unknown>; readonly closed: boolean }>((resolve) => {
    const { body, state } = trackedBody()
    startWireAttempt(
      wireSettings(givingUpWire(outcome), {}, (text) => text),
      { method: "POST", url: "http://127.0.0.1:9/upload", query: "", body },
      () => ({ _tag: "Right", right: undefined }) as never,
      millis,
      () => new DatafoldNetworkError({ reason: "Timeout", url: "http://127.0.0.1:9/upload", detail: "No answer" }),
      () => {},
      (result) => setTimeout(() => resolve({ outcome: result, closed: state.closed }), 20)
    )
  })

describe("an attempt's streamed body", () => {
  it("is closed when the transport fails without cancelling it", async () => {
    const { closed, outcome } = await attempt("fail", 5_000)
    expect(outcome._tag).toBe("Left")
    expect(closed).toBe(true)
  })

  it("is closed when the attempt times out", async () => {
    const { closed, outcome } = await attempt("hang", 50)
    expect(outcome._tag === "Left" && (outcome.left as DatafoldNetworkError).reason).toBe("Timeout")
    expect(closed).toBe(true)
  })
})
