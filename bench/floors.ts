/**
 * The floors: the same trigger POST written by hand, first with the runtime's `fetch`
 * (what "ten lines of fetch" costs), then with `undici.request` (the fastest HTTP/1.1
 * client on Node). Each checks the status and parses the JSON answer, as a careful
 * hand-written call would.
 */
import { request as undiciRequest } from "undici"
import { TRIGGER_BODY, TRIGGER_HEADERS, type TriggerResult } from "./workload.ts"

/** One trigger with the global `fetch`; throws on a non-2xx status. */
export const fetchTrigger = async (url: string): Promise<TriggerResult> => {
  const response = await fetch(url, { method: "POST", headers: TRIGGER_HEADERS, body: TRIGGER_BODY })
  if (!response.ok) throw new Error(`status ${response.status}`)
  return (await response.json()) as TriggerResult
}

/** One trigger with `undici.request` (undici's own global agent); throws on a non-2xx status. */
export const undiciTrigger = async (url: string): Promise<TriggerResult> => {
  const { body, statusCode } = await undiciRequest(url, {
    method: "POST",
    headers: TRIGGER_HEADERS,
    body: TRIGGER_BODY
  })
  if (statusCode < 200 || statusCode >= 300) {
    await body.dump()
    throw new Error(`status ${statusCode}`)
  }
  return (await body.json()) as TriggerResult
}
