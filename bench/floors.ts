/**
 * The floors: the same trigger POST written by hand, first with the runtime's `fetch`
 * (what "ten lines of fetch" costs), then with `undici.request` (the fastest HTTP/1.1
 * client on Node). Each checks the status and parses the JSON answer, as a careful
 * hand-written call would. Then the floor of any Effect program around `fetch`.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { loadUndici } from "./undiciModule.ts"
import { TRIGGER_HEADERS, triggerBodyFor, type TriggerCall, type TriggerResult } from "./workload.ts"

/** The `n`th trigger with the global `fetch`; throws on a non-2xx status. */
export const fetchTrigger = async (url: string, n: number): Promise<TriggerResult> => {
  const response = await fetch(url, { method: "POST", headers: TRIGGER_HEADERS, body: triggerBodyFor(n) })
  if (!response.ok) throw new Error(`status ${response.status}`)
  return (await response.json()) as TriggerResult
}

/**
 * A trigger with `undici.request` on an `Agent` of its own (shared with neither `fetch`
 * nor any other contender); the call throws on a non-2xx status.
 */
export const makeUndiciTrigger = async (url: string): Promise<TriggerCall> => {
  const { Agent, request } = await loadUndici()
  const dispatcher = new Agent()
  return async (n) => {
    const { body, statusCode } = await request(url, {
      method: "POST",
      headers: TRIGGER_HEADERS,
      body: triggerBodyFor(n),
      dispatcher
    })
    if (statusCode < 200 || statusCode >= 300) {
      await body.dump()
      throw new Error(`status ${statusCode}`)
    }
    return (await body.json()) as TriggerResult
  }
}

/**
 * The floor of any Effect program around `fetch`: the same call as {@link fetchTrigger},
 * run as `Effect.promise` through a `ManagedRuntime`'s `runPromise`, as the client's calls
 * are run. What it costs over raw `fetch` is Effect's own (a root fiber per call), before
 * any client logic.
 */
export const makeEffectFetchTrigger = async (
  url: string
): Promise<{ readonly trigger: TriggerCall; readonly dispose: () => Promise<void> }> => {
  const runtime = ManagedRuntime.make(Layer.empty)
  await runtime.runtime()
  return {
    trigger: (n) => runtime.runPromise(Effect.promise(() => fetchTrigger(url, n))),
    dispose: () => runtime.dispose()
  }
}
