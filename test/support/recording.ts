/**
 * In-memory observers for tests: a tracer that keeps every span with its attributes and
 * events, and a logger that keeps every log line as it would be printed.
 */
import { Effect, Layer, Logger, LogLevel, Option, Tracer } from "effect"

/** A finished or running span as the tracer saw it. */
export interface RecordedSpan {
  readonly name: string
  readonly parentName: string | undefined
  readonly attributes: Map<string, unknown>
  readonly events: Array<{ readonly name: string; readonly attributes: Record<string, unknown> }>
  ended: boolean
}

/** A tracer that records spans, and the list it records into. */
export const recordingTracer = () => {
  const spans: Array<RecordedSpan> = []
  let counter = 0
  const tracer = Tracer.make({
    span(name, parent, context, links, startTime, kind) {
      const record: RecordedSpan = {
        name,
        parentName: Option.match(parent, {
          onNone: () => undefined,
          onSome: (span) => (span._tag === "Span" ? span.name : undefined)
        }),
        attributes: new Map(),
        events: [],
        ended: false
      }
      spans.push(record)
      const id = String(++counter)
      let status: Tracer.SpanStatus = { _tag: "Started", startTime }
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: id,
        traceId: "trace",
        parent,
        context,
        get status() {
          return status
        },
        attributes: record.attributes,
        links: [...links],
        sampled: true,
        kind,
        end(endTime, exit) {
          status = { _tag: "Ended", startTime, endTime, exit }
          record.ended = true
        },
        attribute(key, value) {
          record.attributes.set(key, value)
        },
        event(eventName, _startTime, attributes) {
          record.events.push({ name: eventName, attributes: attributes ?? {} })
        },
        addLinks() {}
      }
      return span
    },
    context: (f) => f()
  })
  return { spans, layer: Layer.setTracer(tracer) }
}

/** A logger that keeps every line (all levels) in the logfmt form the default logger prints. */
export const recordingLogger = () => {
  const lines: Array<string> = []
  const logger = Logger.map(Logger.logfmtLogger, (line) => {
    lines.push(line)
  })
  return {
    lines,
    layer: Layer.mergeAll(Logger.replace(Logger.defaultLogger, logger), Logger.minimumLogLevel(LogLevel.All))
  }
}

/** Run an effect with both recorders, giving back what they saw. */
export const observed = <A, E, R>(effect: Effect.Effect<A, E, R>) => {
  const tracer = recordingTracer()
  const logger = recordingLogger()
  return effect.pipe(
    Effect.provide(Layer.merge(tracer.layer, logger.layer)),
    Effect.map((value) => ({ value, spans: tracer.spans, lines: logger.lines }))
  )
}
