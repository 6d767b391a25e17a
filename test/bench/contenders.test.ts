/**
 * The bench compares like with like only if every contender sends the same request:
 * the floors (`fetch`, `undici.request`), the peers (`ofetch`, `ky`, `openapi-fetch`)
 * and the client each send the `n`th trigger to a recording loopback server here, and
 * each request must carry the same method, path, headers that matter and JSON body, and
 * each answer must come back decoded.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { makeClientUnderTest } from "../../bench/clientRuntime.ts"
import { fetchTrigger, makeUndiciTrigger } from "../../bench/floors.ts"
import { makePeerTrigger, PEER_NAMES } from "../../bench/peers/peerTriggers.ts"
import { pinNodeFetchDispatcher } from "../../bench/undiciModule.ts"
import { BENCH_API_KEY, prDetailsFor, type TriggerCall, triggerUrl } from "../../bench/workload.ts"

interface Recorded {
  readonly method: string | undefined
  readonly url: string | undefined
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

let server: http.Server
let host: string
const recorded: Array<Recorded> = []

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => {
      recorded.push({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8")
      })
      const body = JSON.stringify({ ci_run_id: recorded.length, run_id: 1000 + recorded.length })
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
      response.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  await pinNodeFetchDispatcher()
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const expectTheTrigger = async (call: TriggerCall, n: number): Promise<void> => {
  const before = recorded.length
  const result = await call(n)
  expect(recorded.length).toBe(before + 1)
  const request = recorded.at(-1)!
  expect(result).toEqual({ ci_run_id: recorded.length, run_id: 1000 + recorded.length })
  expect(request.method).toBe("POST")
  expect(request.url).toBe("/api/v1/ci/1/trigger")
  expect(request.headers.authorization).toBe(`Key ${BENCH_API_KEY}`)
  expect(request.headers["content-type"]).toMatch(/^application\/json\b/)
  expect(request.headers.accept).toMatch(/application\/json/)
  expect(JSON.parse(request.body)).toEqual(prDetailsFor(n))
}

describe("bench contenders send the same trigger", () => {
  it("raw fetch and undici.request", async () => {
    await expectTheTrigger((n) => fetchTrigger(triggerUrl(host), n), 4)
    await expectTheTrigger(await makeUndiciTrigger(triggerUrl(host)), 5)
  })

  it.each(PEER_NAMES)("%s", async (name) => {
    const peer = makePeerTrigger(name, host)
    await expectTheTrigger(peer.call, 6)
    // Each call is for a pull request of its own, so the client's duplicate-run guard stays out of the figures.
    await expectTheTrigger(peer.call, 7)
  })

  it.each(["fetch", "undici", "node"] as const)(
    "the client over %s, whose body is the same JSON",
    async (transport) => {
      const client = await makeClientUnderTest(host, transport)
      try {
        await expectTheTrigger(client.trigger, 8)
        expect(recorded.at(-1)!.headers["user-agent"]).toMatch(/effect-datafold/)
      } finally {
        await client.dispose()
      }
    }
  )
})
