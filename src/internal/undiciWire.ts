/**
 * The undici wire (Node only): each request dispatched on an undici `Dispatcher` with a
 * handler of the library's own (`undiciExchange.ts`). What `effect-datafold/node` sends
 * the client's calls over; nothing of `@effect/platform` is loaded.
 */
import { Readable } from "node:stream"
import type { Dispatcher } from "undici"
import { UndiciExchange } from "./undiciExchange.ts"
import type { WireSend } from "./wire.ts"

/** Where a URL goes, as undici's `request` takes it: origin and path apart. */
const splitUrl = (url: string): { readonly origin: string; readonly path: string } => {
  const slash = url.indexOf("/", url.indexOf("//") + 2)
  return slash < 0 ? { origin: url, path: "/" } : { origin: url.slice(0, slash), path: url.slice(slash) }
}

/**
 * The wire over `dispatcher`: each request is dispatched with a handler of the library's
 * own ({@link UndiciExchange}), which undici's `request` would otherwise wrap in a stream
 * and an async resource.
 */
export const undiciSend = (dispatcher: Dispatcher): WireSend => (request, headers, source) => {
  const { origin, path } = splitUrl(request.url)
  const exchange = new UndiciExchange(request.maxAnswerBytes)
  dispatcher.dispatch({
    origin,
    path: request.query === "" ? path : path + request.query,
    method: request.method,
    headers,
    // A streamed body is a byte stream undici writes as the socket drains.
    body: source !== undefined
      ? Readable.from(source.chunks, { objectMode: false })
      : typeof request.body === "string"
      ? request.body
      : null
  }, exchange)
  return exchange
}
