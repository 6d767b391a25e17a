/**
 * A wire on Node's own `node:http` (and `node:https` for an `https:` host): what the
 * `datafold-ci` CLI sends over. One request per connection and no pooling agent, so
 * nothing holds a finished one-shot process open; and neither `fetch` (whose first use
 * loads Node's bundled undici, about 100 ms on Node 20) nor `@effect/platform`'s
 * `HttpClient` is loaded. `node:http` neither follows redirects nor undoes a content
 * coding: the redirect is answered as it is, and the coding is undone here
 * (`contentDecoding.ts`) before the cap counts the bytes.
 */
import type { ClientRequest } from "node:http"
import { pipeline, Readable } from "node:stream"
import { cappedText, headerRecord } from "./contentDecoding.ts"
import type { WireAnswer, WireSend } from "./wire.ts"

type Send = typeof import("node:http").request

/**
 * Node's `process.getBuiltinModule` (Node 20.16+ and 22.3+, Bun, Deno), when present. An ESM
 * `import` of `node:http` makes Node build its ESM facade, which reads every export,
 * `WebSocket` among them, and so loads Node's bundled undici: about 45 ms of CPU on Node 22
 * and 24, on every run, for nothing this wire uses.
 */
const getBuiltinModule = (globalThis as {
  readonly process?: { readonly getBuiltinModule?: (id: string) => unknown }
}).process?.getBuiltinModule

const builtin = <M>(id: "node:http" | "node:https", load: () => Promise<M>): Promise<M> =>
  getBuiltinModule === undefined ? load() : Promise.resolve(getBuiltinModule(id) as M)

/** `node:https` is loaded only for an `https:` host: a loopback test or bench never pays for TLS. */
const requestFor = async (url: string): Promise<Send> =>
  url.startsWith("https:")
    ? (await builtin("node:https", () => import("node:https"))).request
    : (await builtin("node:http", () => import("node:http"))).request

/**
 * One request over a connection of its own (`agent: false`: `Connection: close`, no
 * keep-alive); abandoning it destroys the request and its socket. The answer rejects with
 * Node's error when no answer came; once one has, a connection that breaks off rejects
 * the read of the body instead.
 */
export const nodeHttpSend: WireSend = (request, headers, source) => {
  const url = request.query === "" ? request.url : request.url + request.query
  let outgoing: ClientRequest | undefined
  let abandoned = false
  const answer = requestFor(url).then((send) =>
    new Promise<WireAnswer>((resolve, reject) => {
      if (abandoned) return reject(new Error("the request was abandoned before it was sent"))
      outgoing = send(url, { method: request.method, headers, agent: false }, (response) => {
        resolve({
          status: response.statusCode ?? 0,
          headers: () => headerRecord(response.headers),
          text: () => cappedText(response, response.headers, request.maxAnswerBytes)
        })
      })
      // Kept for the request's life: a socket error after the answer also reaches it, and
      // must not go unhandled (the body's read reports it).
      outgoing.on("error", reject)
      if (source === undefined) outgoing.end(typeof request.body === "string" ? request.body : undefined)
      // A streamed body is written as the socket drains; a failing source destroys the
      // request, whose error ends the answer (the attempt then reports the source's failure).
      else pipeline(Readable.from(source.chunks, { objectMode: false }), outgoing, () => {})
    })
  )
  return {
    answer,
    abort: () => {
      abandoned = true
      outgoing?.destroy()
    }
  }
}
