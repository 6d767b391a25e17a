/**
 * A small loopback server for the dbt calls' tests, in plain `node:http` (no Effect, so
 * tests of either Effect major use it): it records every request with its whole body,
 * answers the runs listing from a script, and plays faults the local Datafold server
 * does not (a reset once part of a body arrived, a reset or a silence once all of it
 * did, a body read slowly, a pause while the test changes the folder).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"

/** Which dbt call a request is. */
export type DbtEndpoint = "submit" | "check" | "keys" | "runs" | "other"

/** A request as received. */
export interface RecordedRequest {
  readonly endpoint: DbtEndpoint
  readonly method: string
  /** The path with its query. */
  readonly url: string
  readonly headers: IncomingHttpHeaders
  /** The body as far as it was read (whole, unless a fault cut it). */
  readonly body: Buffer
}

/** How to answer one request. */
export type Answer =
  /** Read the whole body, then answer; `declaredLength` claims another `Content-Length`. */
  | { readonly _tag: "Answer"; readonly status: number; readonly body: string; readonly declaredLength?: number }
  /** Destroy the connection once `bytes` of the body arrived. */
  | { readonly _tag: "ResetAfter"; readonly bytes: number }
  /** Read the whole body, then destroy the connection. */
  | { readonly _tag: "ResetAtEnd" }
  /** Read the whole body, then never answer. */
  | { readonly _tag: "Silent" }
  /** Read the body slowly (a pause of `everyMillis` after each chunk), then answer normally. */
  | { readonly _tag: "Slow"; readonly everyMillis: number }
  /** Stop reading once `bytes` arrived until `then()` settles, then read on and answer 200. */
  | { readonly _tag: "PauseAfter"; readonly bytes: number; readonly then: () => Promise<void> }

/** A started recorder. */
export interface DbtRecorder {
  readonly url: string
  readonly requests: () => ReadonlyArray<RecordedRequest>
  /** Settles once every request received so far is recorded (an abandoned one closes a moment later). */
  readonly settled: () => Promise<void>
  /** Answer the next requests to `endpoint` with `answers`, in order; then normally again. */
  readonly script: (endpoint: DbtEndpoint, ...answers: ReadonlyArray<Answer>) => void
  /** The runs listing's answer to its `call`-th request (1-based); default none. */
  readonly listRuns: (runs: (call: number) => ReadonlyArray<Record<string, unknown>>) => void
  /** Forget requests, scripts and runs. */
  readonly reset: () => void
  readonly close: () => Promise<void>
}

/** The normal answers. */
export const NORMAL_ANSWERS: Readonly<Record<DbtEndpoint, string>> = {
  submit: JSON.stringify({ status: "ok" }),
  check: JSON.stringify({ status: "ok" }),
  keys: "[]",
  runs: "[]",
  other: JSON.stringify({ detail: "Not Found" })
}

const endpointOf = (url: string): DbtEndpoint =>
  url.startsWith("/api/v1/dbt/submit_artifacts/")
    ? "submit"
    : url.startsWith("/api/v1/dbt/post_upload_check_artifacts/")
    ? "check"
    : /^\/api\/internal\/ci\/\d+\/check_pks_in_dbt_manifest/.test(url)
    ? "keys"
    : /^\/api\/v1\/ci\/\d+\/runs/.test(url)
    ? "runs"
    : "other"

/** A CI run as Datafold lists it. */
export const wireRun = (id: number, status: string, prSha: string): Record<string, unknown> => ({
  id,
  base_branch: "main",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b",
  pr_branch: "feature/orders",
  pr_sha: prSha,
  pr_num: "42",
  status,
  source: "dbt"
})

/** Start a recorder on loopback. */
export const startDbtRecorder = async (): Promise<DbtRecorder> => {
  let recorded: Array<RecordedRequest> = []
  let scripts = new Map<DbtEndpoint, Array<Answer>>()
  let runs: (call: number) => ReadonlyArray<Record<string, unknown>> = () => []
  let runCalls = 0
  // A request belongs to the test that sent it: one still closing after a reset is dropped.
  let generation = 0
  let inFlight = 0
  const sockets = new Set<Socket>()

  const answer = (response: ServerResponse, status: number, body: string, declaredLength?: number) => {
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": declaredLength ?? Buffer.byteLength(body)
    })
    // A claimed length is never reached: the client must refuse it from the header alone.
    if (declaredLength === undefined) response.end(body)
    else response.write(body)
  }

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? "/"
    const endpoint = endpointOf(url)
    const planned = scripts.get(endpoint)?.shift()
    const chunks: Array<Buffer> = []
    let received = 0
    let isRecorded = false
    const born = generation
    inFlight += 1
    const record = () => {
      if (isRecorded) return
      isRecorded = true
      inFlight -= 1
      if (born !== generation) return
      recorded.push({
        endpoint,
        method: request.method ?? "",
        url,
        headers: request.headers,

        body: Buffer.concat(chunks)
      })
    }
    // A request the client abandoned never ends: it is recorded as far as it came.
    request.on("close", record)
    const normal = () => {
      if (endpoint === "runs") {
        runCalls += 1
        return answer(response, 200, JSON.stringify(runs(runCalls)))
      }
      answer(response, endpoint === "other" ? 404 : 200, NORMAL_ANSWERS[endpoint])
    }
    let paused = false
    let cut = false
    request.on("data", (chunk: Buffer) => {
      if (cut) return
      chunks.push(chunk)
      received += chunk.byteLength
      if (planned?._tag === "ResetAfter" && received >= planned.bytes) {
        cut = true
        record()
        request.socket.destroy()
      } else if (planned?._tag === "PauseAfter" && received >= planned.bytes && !paused) {
        paused = true
        request.pause()
        planned.then().then(() => request.resume())
      } else if (planned?._tag === "Slow") {
        request.pause()
        setTimeout(() => request.resume(), planned.everyMillis)
      }
    })
    request.on("end", () => {
      record()
      switch (planned?._tag) {
        case undefined:
        case "Slow":
        case "PauseAfter":
          return normal()
        case "Answer":
          return answer(response, planned.status, planned.body, planned.declaredLength)
        case "ResetAtEnd":
          return request.socket.destroy()
        case "Silent":
        case "ResetAfter":
          return
      }
    })
  }

  const server = createServer({ highWaterMark: 64 * 1024 }, handle)
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => recorded,
    settled: async () => {
      for (let waited = 0; inFlight > 0 && waited < 5000; waited += 5) {
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    },
    script: (endpoint, ...answers) => {
      scripts.set(endpoint, [...(scripts.get(endpoint) ?? []), ...answers])
    },
    listRuns: (next) => {
      runs = next
      runCalls = 0
    },
    reset: () => {
      generation += 1
      recorded = []
      scripts = new Map()
      runs = () => []
      runCalls = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/** A multipart body's parts, split at `boundary` (the file part's bytes kept as they are). */
export const multipartParts = (
  body: Buffer,
  boundary: string
): ReadonlyArray<{ readonly headers: string; readonly data: Buffer }> => {
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: Array<{ headers: string; data: Buffer }> = []
  let at = body.indexOf(delimiter)
  while (at >= 0) {
    const start = at + delimiter.byteLength
    if (body.subarray(start, start + 2).toString() === "--") break
    const next = body.indexOf(delimiter, start)
    const part = body.subarray(start + 2, next - 2)
    const split = part.indexOf("\r\n\r\n")
    parts.push({ headers: part.subarray(0, split).toString(), data: part.subarray(split + 4) })
    at = next
  }
  return parts
}

/** The boundary of a `multipart/form-data` content type. */
export const boundaryOf = (contentType: string | undefined): string => {
  const match = /boundary=([^;]+)/.exec(contentType ?? "")
  if (match === null) throw new Error(`not a multipart content type: ${contentType}`)
  return match[1]!
}

/** The form fields, the file part's headers and the ZIP of a recorded upload. */
export const uploadedParts = (request: RecordedRequest) => {
  const parts = multipartParts(request.body, boundaryOf(request.headers["content-type"]))
  const fields = parts.filter((part) => !part.headers.includes("filename=")).map((part) => [
    /name="([^"]+)"/.exec(part.headers)![1],
    part.data.toString()
  ])
  const files = parts.filter((part) => part.headers.includes("filename="))
  return { fields, fileHeaders: files.map((part) => part.headers), zip: files[0]!.data }
}
