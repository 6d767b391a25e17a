/**
 * The fast path: an attempt over one of the library's own wires (the default `fetch`,
 * the Node layer's undici, the CLI's `node:http`) as a single asynchronous step.
 */
import * as Effect from "effect/Effect"
import type { DatafoldError } from "../DatafoldError.ts"
import type { Decode, IdleLimit, Send } from "./attempt.ts"
import type { WireRequest } from "./wire.ts"
import { startWireAttempt, type WireSettings } from "./wireAttempt.ts"

/** The {@link Send} over a wire. */
export const sendOverWire = (settings: WireSettings): Send =>
<A, E>(
  request: WireRequest<E>,
  decode: Decode<A>,
  millis: number,
  onTimeout: () => DatafoldError,
  onStatus: (status: number) => void,
  idle?: IdleLimit
) =>
  Effect.async<A, DatafoldError | E>((resume) =>
    Effect.sync(startWireAttempt(settings, request, decode, millis, onTimeout, onStatus, resume, idle))
  )
