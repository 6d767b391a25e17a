/**
 * Spans only when someone records them: with Effect's built-in tracer installed (the
 * default), a span is built, annotated and ended for nothing, a large share of a call's
 * own cost; so the client's spans are made only when another tracer is installed.
 */
import * as Effect from "effect/Effect"
import type * as Tracer from "effect/Tracer"

let builtIn: Tracer.Tracer | undefined

/** Effect's built-in tracer, as every fiber has it by default (read once). */
const builtInTracer = (): Tracer.Tracer => (builtIn ??= Effect.runSync(Effect.tracer))

/** `untraced` under Effect's built-in tracer; `traced()` under any other. */
export const whenTraced = <A, E, R>(
  untraced: Effect.Effect<A, E, R>,
  traced: () => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => Effect.tracerWith((tracer) => (isBuiltInTracer(tracer) ? untraced : traced()))

/** Whether `tracer` is Effect's built-in one, under which the client makes no spans. */
export const isBuiltInTracer = (tracer: Tracer.Tracer): boolean => tracer === builtInTracer()
