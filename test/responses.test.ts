/**
 * Hostile answers: compression bombs, bodies that never finish, empty successes and
 * HTML pages. Served from loopback by hand-written `node:http` servers; the calls that
 * must not leave a process behind run in a child process of their own.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Effect, Layer, Redacted } from "effect"
import { build } from "esbuild"
import { execFile } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import * as zlib from "node:zlib"
import { triggerCiRun } from "../src/index.ts"
import * as FetchTransport from "../src/internal/fetchTransport.ts"
import * as DatafoldNode from "../src/node.ts"
import { details, plain } from "./support/fixtures.ts"
import { nodeHttpWire } from "./support/transports.ts"
import { clientLayer } from "../src/DatafoldHttpClient.ts"

const root = join(import.meta.dirname, "..")

/** A loopback server answering every request with `handler`; counts requests; closed with the scope. */
const serve = (handler: (request: http.IncomingMessage, response: http.ServerResponse) => void) =>
  Effect.acquireRelease(
    Effect.promise(() => {
      const server = http.createServer((request, response) => {
        state.requests += 1
        request.resume()
        handler(request, response)
      })
      const state = { requests: 0, url: "", server }
      return new Promise<typeof state>((resolve) =>
        server.listen(0, "127.0.0.1", () => {
          state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
          resolve(state)
        })
      )
    }),
    ({ server }) =>
      Effect.promise(() =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        })
      )
  )

/**
 * `support/oneCall.ts` bundled once (its packages left to node_modules, so the folder is
 * inside it), so each child is plain node: tsx would compile the sources in every child,
 * and fifteen of them side by side are most of this file's CPU.
 */
let bundleDir: string | undefined
let oneCallScript: string
beforeAll(async () => {
  const cache = join(root, "node_modules/.cache")
  mkdirSync(cache, { recursive: true })
  bundleDir = mkdtempSync(join(cache, "responses-one-call-"))
  oneCallScript = join(bundleDir, "oneCall.mjs")
  await build({
    entryPoints: [join(root, "test/support/oneCall.ts")],
    outfile: oneCallScript,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    logLevel: "warning"
  })
})
afterAll(() => {
  if (bundleDir !== undefined) rmSync(bundleDir, { recursive: true, force: true })
})

/** Run one trigger in a child process against `host`; resolve with its JSON line, or reject after `limitMs`. */
const oneCall = (host: string, transport: "fetch" | "node" | "undici", limitMs: number) =>
  Effect.promise(() =>
    new Promise<{ tag: string; message?: string; growthMiB: number }>((resolve, reject) => {
      execFile(
        process.execPath,
        [oneCallScript],
        {
          env: { PATH: process.env["PATH"] ?? "", DATAFOLD_HOST: host, TRANSPORT: transport },
          timeout: limitMs,
          encoding: "utf8"
        },
        (error, stdout, stderr) => {
          if (error !== null) {
            reject(new Error(`the child did not exit cleanly within ${limitMs} ms: ${error.message} ${stderr}`))
          } else resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}"))
        }
      )
    })
  )

const transports = [
  ["fetch", FetchTransport.layer],
  ["node:http", nodeHttpWire.layer],
  ["undici", DatafoldNode.layer],
  ["FetchHttpClient", FetchHttpClient.layer]
] as const

const layerFor = (host: string, transport: Layer.Layer<import("@effect/platform/HttpClient").HttpClient>) =>
  clientLayer({
    apiKey: Redacted.make("dfk_responses_0123456789abcdef"),
    host,
    retryBase: "2 millis",
    maxRetryDelay: "20 millis"
  }).pipe(Layer.provide(transport))

const BOMB_MIB = 256

// Each case has its own server and child process, so the cases run side by side.
describe.concurrent("item 8: the cap counts decoded bytes", () => {
  const bombs = [
    ["gzip", zlib.gzipSync(Buffer.alloc(BOMB_MIB * 1024 * 1024, 0x20))],
    ["deflate", zlib.deflateSync(Buffer.alloc(BOMB_MIB * 1024 * 1024, 0x20))]
  ] as const
  for (const [encoding, bomb] of bombs) {
    for (const transport of ["fetch", "node", "undici"] as const) {
      it.live(
        `a ${encoding} body of ${
          Math.round(bomb.length / 1024)
        } KiB inflating to ${BOMB_MIB} MiB (${transport}): a typed error, memory bounded`,
        () =>
          Effect.gen(function* () {
            const server = yield* serve((_, response) => {
              response.writeHead(200, {
                "content-type": "application/json",
                "content-encoding": encoding,
                "content-length": String(bomb.length)
              }).end(bomb)
            })
            const outcome = yield* oneCall(server.url, transport, 60_000)
            expect(outcome.tag).toBe("DatafoldResponseError")
            // Reading the bomb whole takes hundreds of MiB; the cap keeps the growth to a few.
            expect(outcome.growthMiB).toBeLessThan(BOMB_MIB / 4)
            expect(server.requests).toBe(1)
          }).pipe(Effect.scoped),
        90_000
      )
    }
  }
})

describe("a coded answer reads the same on every transport", () => {
  const answer = JSON.stringify({ ci_run_id: 5, run_id: 6 })
  const coded = [
    ["gzip", zlib.gzipSync(answer)],
    ["deflate", zlib.deflateSync(answer)],
    ["br", zlib.brotliCompressSync(answer)]
  ] as const
  for (const [encoding, body] of coded) {
    for (const [transportName, transport] of transports) {
      it.live(`${encoding} (${transportName}): decoded`, () =>
        Effect.gen(function* () {
          const server = yield* serve((_, response) =>
            response.writeHead(200, { "content-type": "application/json", "content-encoding": encoding }).end(body)
          )
          const job = yield* triggerCiRun(7, details).pipe(Effect.provide(layerFor(server.url, transport)))
          expect(job).toMatchObject({ ci_run_id: 5, run_id: 6 })
        }).pipe(Effect.scoped))
    }
  }
})

describe.concurrent("item 9: unfinished bodies are cancelled and the process exits", () => {
  const HOLD_MS = 60_000
  const cases: ReadonlyArray<[string, (response: http.ServerResponse) => void]> = [
    ["a 3xx whose body never finishes", (response) => {
      response.writeHead(302, { location: "https://elsewhere.example/", "content-length": "1000" })
      response.write("x".repeat(10))
    }],
    ["a 2xx declaring more than the cap, never finishing", (response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": String(64 * 1024 * 1024) })
      response.write("{")
    }],
    ["a chunked 2xx streaming past the cap, never finishing", (response) => {
      response.writeHead(200, { "content-type": "application/json" })
      response.write("[" + " ".repeat(2 * 1024 * 1024))
    }]
  ]
  for (const [name, answer] of cases) {
    for (const transport of ["fetch", "node", "undici"] as const) {
      it.live(`${name} (${transport}): the child exits well before the server lets go`, () =>
        Effect.gen(function* () {
          const server = yield* serve((_, response) => answer(response))
          // The server never finishes the body; a child kept alive by it is killed at HOLD_MS and fails here.
          const outcome = yield* oneCall(server.url, transport, HOLD_MS)
          expect(outcome.tag).toBe("DatafoldResponseError")
        }).pipe(Effect.scoped), HOLD_MS + 20_000)
    }
  }
})

describe("item 10: empty successes", () => {
  const empties: ReadonlyArray<[string, (response: http.ServerResponse) => void]> = [
    ["204 No Content", (response) => response.writeHead(204).end()],
    ["200 with an empty body", (response) => response.writeHead(200, { "content-length": "0" }).end()],
    ["200 chunked with no chunks", (response) => response.writeHead(200, { "content-type": "application/json" }).end()]
  ]
  for (const [name, answer] of empties) {
    for (const [transportName, transport] of transports) {
      it.live(`${name} (${transportName}): DatafoldResponseError "the body is empty", not retried`, () =>
        Effect.gen(function* () {
          const server = yield* serve((_, response) => answer(response))
          const error = yield* Effect.flip(
            triggerCiRun(7, details).pipe(Effect.provide(layerFor(server.url, transport)))
          )
          expect(plain(error)).toMatchObject({ _tag: "DatafoldResponseError" })
          expect(error.message).toContain("the body is empty")
          expect(server.requests).toBe(1)
        }).pipe(Effect.scoped))
    }
  }
})

describe("C: an HTML page never lands whole in a message", () => {
  const page = `<!DOCTYPE html><html><head><title>Sign in · Corporate SSO</title><style>body{color:red}</style>` +
    `<script>var token = "abc";</script></head><body>${
      "<div class='x'>Please sign in to continue.</div>".repeat(500)
    }</body></html>`
  for (const status of [200, 403, 502]) {
    it.live(`status ${status}: the status, the content type and a short excerpt of the words`, () =>
      Effect.gen(function* () {
        const server = yield* serve((_, response) =>
          response.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(page)
        )
        const error = yield* Effect.flip(
          triggerCiRun(7, details).pipe(Effect.provide(layerFor(server.url, FetchHttpClient.layer)))
        )
        expect(error.message).toContain(String(status))
        expect(error.message).toContain("Sign in · Corporate SSO")
        expect(error.message).not.toContain("<")
        expect(error.message).not.toContain("var token")
        expect(error.message.length).toBeLessThan(600)
        if (status === 200) expect(error.message).toContain("text/html")
      }).pipe(Effect.scoped))
  }
})
