/**
 * A per-attempt timeout with one forked fiber and one timer.
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Runtime from "effect/Runtime"

/**
 * `Effect.timeoutFail` with one forked fiber and one timer. `Effect.timeoutFail` races
 * `self` against a sleeping fiber (two forks, a FiberRefs merge and an Effect timer);
 * here `self` runs in one fiber forked from the current runtime (same context, span and
 * FiberRefs) and a plain timer interrupts it, waiting for its finalizers (the request's
 * abort) before failing with `onTimeout`. The timer is the platform's, so `TestClock`
 * does not move it: tests of timeouts run on real time.
 */
export const timeoutFailFast = <A, E, E2>(
  self: Effect.Effect<A, E>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> =>
  Effect.flatMap(Effect.runtime<never>(), (runtime) =>
    Effect.async<A, E | E2>((resume) => {
      let settled = false
      const fiber = Runtime.runFork(runtime)(self)
      const timer = setTimeout(() => {
        if (settled) return
        settled = true
        resume(Effect.zipRight(Fiber.interrupt(fiber), Effect.fail(onTimeout())))
      }, millis)
      fiber.addObserver((exit) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resume(exit)
      })
      return Effect.suspend(() => {
        settled = true
        clearTimeout(timer)
        return Fiber.interrupt(fiber)
      })
    }))
