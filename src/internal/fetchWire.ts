/**
 * The portable wire: one request with the runtime's `fetch`. What `DatafoldClient.Default`
 * sends over, with nothing of `@effect/platform` loaded.
 */
import { isRedirectRefusal, REFUSED_REDIRECT_STATUS } from "../core/redirectRefusal.ts"
import { readCappedWebText } from "./responseBody.ts"
import { readableStreamOf, type WireAnswer, type WireSend } from "./wire.ts"

/** What fetch's "error" redirect mode becomes (see `core/redirectRefusal.ts`). */
const refusedRedirect: WireAnswer = {
  status: REFUSED_REDIRECT_STATUS,
  headers: () => ({}),
  text: () => Promise.resolve("")
}

/**
 * One request with `fetch`. Redirects are answered, never followed, so the key cannot
 * travel to another origin. The `fetch` is looked up at each call, so a runtime or test
 * that replaces the global one is honoured. A streamed body goes as a `ReadableStream`
 * that pulls one chunk at a time.
 */
export const fetchSend: WireSend = (request, headers, source) => {
  const controller = new AbortController()
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers,
    body: source !== undefined
      ? readableStreamOf(source.chunks)
      : typeof request.body === "string"
      ? request.body
      : null,
    // A streamed body: "error", or Node's fetch keeps a copy of it (core/redirectRefusal.ts).
    redirect: source === undefined ? "manual" : "error",
    signal: controller.signal
  }
  // A streamed body is sent as it is read ("half" duplex), which fetch requires saying.
  if (source !== undefined) init.duplex = "half"
  const answer = fetch(request.query === "" ? request.url : request.url + request.query, init).then(
    (response): WireAnswer => ({
      status: response.status,
      headers: () => Object.fromEntries(response.headers),
      text: () => readCappedWebText(response, request.maxAnswerBytes)
    }),
    (error: unknown): WireAnswer => {
      // In "error" mode a redirect is a rejection: answered as a redirect all the same.
      if (source !== undefined && source.failure() === undefined && isRedirectRefusal(error)) return refusedRedirect
      throw error
    }
  )
  return { answer, abort: () => controller.abort() }
}
