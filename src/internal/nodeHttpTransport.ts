/**
 * A wire on Node's own `node:http` (and `node:https` for an `https:` host): what the
 * `datafold-ci` CLI sends over. One request per connection and no pooling agent, so
 * nothing holds a finished one-shot process open; and neither `fetch` (whose first use
 * loads Node's bundled undici, about 100 ms on Node 20) nor `@effect/platform`'s
 * `HttpClient` is loaded. `node:http` neither follows redirects nor undoes a content
 * coding: the redirect is answered as it is, and the coding is undone here
 * (`contentDecoding.ts`) before the cap counts the bytes.
 */
import { type ClientRequest, request as httpRequest } from "node:http"
import { pipeline, Readable } from "node:stream"
import { cappedText, headerRecord } from "./contentDecoding.ts"
import type { WireAnswer, WireSend } from "./wire.ts"

/** `node:https` is loaded only for an `https:` host: a loopback test or bench never pays for TLS. */
const requestFor = async (url: string): Promise<typeof httpRequest> =>
  url.startsWith("https:") ? (await import("node:https")).request : httpRequest

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
