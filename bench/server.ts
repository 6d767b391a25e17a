/**
 * A bare `node:http` loopback server that answers like Datafold's trigger endpoint.
 *
 * Run as a child process (see `loopbackServer.ts`) so that its work never shares the
 * measured client's event loop. It listens on 127.0.0.1 on a free port, reports the
 * port to its parent over IPC (or prints its base URL when run on its own), and exits when the parent goes away, when told to, or
 * after a hard time limit, whichever comes first.
 */
import * as http from "node:http"

/** The longest the server may live, whatever happens to its parent. */
const HARD_LIMIT_MS = 15 * 60_000

const TRIGGER_PATH = /^\/api\/v1\/ci\/(\d+)\/trigger$/
const RUNS_PATH = /^\/api\/v1\/ci\/(\d+)\/runs(?:\?.*)?$/

let counter = 0
let connections = 0

const send = (response: http.ServerResponse, status: number, body: string): void => {
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body)
  })
  response.end(body)
}

const server = http.createServer((request, response) => {
  const url = request.url ?? "/"
  if (request.method === "POST" && TRIGGER_PATH.test(url)) {
    // Drain the body before answering, as a real endpoint would read it.
    request.on("data", () => {})
    request.on("end", () => {
      counter += 1
      send(response, 200, `{"ci_run_id":${counter},"run_id":${counter + 100000}}`)
    })
    return
  }
  if (request.method === "GET" && url === "/__stats") {
    // Not part of the API: lets the bench see how many connections a contender opened.
    send(response, 200, JSON.stringify({ connections, requests: counter }))
    return
  }
  if (request.method === "GET" && RUNS_PATH.test(url)) {
    send(response, 200, "[]")
    return
  }
  send(response, 404, `{"detail":"Not Found"}`)
})

server.on("connection", () => {
  connections += 1
})

// Keep connections open across rounds; the clients' pools decide when to close.
server.keepAliveTimeout = 60_000
server.headersTimeout = 65_000

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
