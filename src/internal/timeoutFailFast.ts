/**
 * A per-attempt timeout with one forked fiber and one timer.
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Runtime from "effect/Runtime"

/**
 * An attempt that streams its body: the timer runs out only after `idleMillis` without
 * activity (a chunk taken by the transport), and at `deadlineAt` in any case.
 */
export interface Activity {
  readonly lastActivity: () => number
  readonly idleMillis: number
  readonly deadlineAt: number
}

/**
 * `Effect.timeoutFail` with one forked fiber and one timer. `Effect.timeoutFail` races
 * `self` against a sleeping fiber (two forks, a FiberRefs merge and an Effect timer);
 * here `self` runs in one fiber forked from the current runtime (same context, span and
 * FiberRefs) and a plain timer interrupts it, waiting for its finalizers (the request's
 * abort) before failing with `onTimeout`. The timer is the platform's, so `TestClock`
 * does not move it: tests of timeouts run on real time. With `activity`, the limit is on
 * quiet time (see {@link Activity}).
 */
export const timeoutFailFast = <A, E, E2>(
  self: Effect.Effect<A, E>,
  millis: number,
  onTimeout: () => E2,
  activity?: Activity
): Effect.Effect<A, E | E2> =>
  Effect.flatMap(Effect.runtime<never>(), (runtime) =>
    Effect.async<A, E | E2>((resume) => {
      let settled = false
      const fiber = Runtime.runFork(runtime)(self)
      const onTimer = (): void => {
        if (settled) return
        if (activity !== undefined) {
          const now = Date.now()
          const quiet = now - activity.lastActivity()
          if (quiet < activity.idleMillis && now < activity.deadlineAt) {
            timer = setTimeout(onTimer, Math.min(activity.idleMillis - quiet, activity.deadlineAt - now))
            return
          }
        }
        settled = true
        resume(Effect.zipRight(Fiber.interrupt(fiber), Effect.fail(onTimeout())))
      }
      let timer = setTimeout(onTimer, millis)
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
