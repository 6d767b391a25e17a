/**
 * The portable wire: one request with the runtime's `fetch`. What `DatafoldClient.Default`
 * sends over, with nothing of `@effect/platform` loaded.
 */
import { readCappedWebText } from "./responseBody.ts"
import type { WireAnswer, WireSend } from "./wire.ts"

/**
 * One request with `fetch`. Redirects are answered, never followed, so the key cannot
 * travel to another origin. The `fetch` is looked up at each call, so a runtime or test
 * that replaces the global one is honoured.
 */
export const fetchSend: WireSend = (request, headers) => {
  const controller = new AbortController()
  const answer = fetch(request.query === "" ? request.url : request.url + request.query, {
    method: request.method,
    headers,
    body: request.body ?? null,
    redirect: "manual",
    signal: controller.signal
  }).then((response): WireAnswer => ({
    status: response.status,
    headers: () => Object.fromEntries(response.headers),
    text: () => readCappedWebText(response)
  }))
  return { answer, abort: () => controller.abort() }
}
