/**
 * The upload bench's receiving server, in a process of its own (started by `../loopbackServer.ts`) so that reading
 * 150 MB never shares the measured child's machine time with the bench's own event loop more than it must.
 *
 * `POST /api/v1/dbt/submit_artifacts/{id}` reads the body to the end (chunked or with a Content-Length), checks it
 * as it goes (`receivedUpload.ts`: the ZIP's length against its own offsets, its entries and sizes), and answers
 * 200 `{"status":"ok"}`, as Datafold does. `GET /__received` (not part of the API) returns what each upload since
 * the last look carried, names left out, and forgets it. The server exits when the parent goes away, when told
 * to, or after a hard time limit.
 */
import * as http from "node:http"
import { type ReceivedUpload, UploadReader } from "./receivedUpload.ts"

/** The longest the server may live, whatever happens to its parent. */
const HARD_LIMIT_MS = 30 * 60_000

const SUBMIT_ARTIFACTS = /^\/api\/v1\/dbt\/submit_artifacts\/(\d+)$/

/** One upload as `GET /__received` reports it. */
export type ReceivedSummary = Omit<ReceivedUpload, "names"> & { readonly entries: number; readonly path: string }

let received: Array<ReceivedSummary> = []

const send = (response: http.ServerResponse, status: number, body: string): void => {
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
  response.end(body)
}

const server = http.createServer((request, response) => {
  const url = request.url ?? "/"
  if (request.method === "POST" && SUBMIT_ARTIFACTS.test(url)) {
    const reader = new UploadReader(request.headers["content-type"], request.headers["content-length"])
    request.on("data", (chunk: Buffer) => reader.push(chunk))
    request.on("end", () => {
      const { names, ...upload } = reader.end()
      // Recorded before the answer, so the bench's look after the child exits always finds it.
      received.push({ ...upload, entries: names.length, path: url })
      send(response, 200, `{"status":"ok"}`)
    })
    return
  }
  if (request.method === "GET" && url === "/__received") {
    const body = JSON.stringify(received)
    received = []
    send(response, 200, body)
    return
  }
  request.resume()
  send(response, 404, `{"detail":"Not Found"}`)
})

const stop = (): void => {
  server.close()
  server.closeAllConnections()
  process.exit(0)
}

server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  if (process.send !== undefined) process.send({ type: "listening", port })
  else console.log(`http://127.0.0.1:${port}`)
})

process.on("disconnect", stop)
process.on("message", (message: unknown) => {
  if (typeof message === "object" && message !== null && (message as { type?: unknown }).type === "stop") stop()
})
setTimeout(stop, HARD_LIMIT_MS).unref()
