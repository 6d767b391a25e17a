/**
 * The API key as a careless caller or a hostile server hands it around: echoed inside
 * 422 items, quoted by a runtime's own error, padded with white space, unfit for a
 * header, too short, written into the host, or passed as a plain string. Over real
 * loopback HTTP, on fetch and on the CLI's node:http wire.
 */
import { describe, expect, it } from "@effect/vitest"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Cause, type ConfigError, Effect, Exit, Inspectable, Layer, Redacted } from "effect"
import { afterAll, beforeAll, beforeEach } from "vitest"
import { type DatafoldError, MIN_API_KEY_LENGTH, parseHost, triggerCiRun } from "../src/index.ts"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"
import { details } from "./support/fixtures.ts"
import { observed } from "./support/recording.ts"
import { nodeHttpWire } from "./support/transports.ts"
import { clientLayer } from "../src/DatafoldHttpClient.ts"
import type { HttpClientOptions } from "../src/HttpClientOptions.ts"

const KEY = "dfk_live_K3y_S3cr3t_9f8e7d6c5b4a"

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer({ apiKey: KEY, ciConfigIds: [7] })
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const transports = [["fetch", FetchHttpClient.layer], ["node:http (the CLI's wire)", nodeHttpWire.layer]] as const

const layerWith = (
  options: Partial<HttpClientOptions>,
  transport: Layer.Layer<HttpClient.HttpClient> = FetchHttpClient.layer
) =>
  clientLayer({
    apiKey: Redacted.make(KEY),
    host: server.url,
    retryBase: "2 millis",
    maxRetryDelay: "20 millis",
    timeout: "5 seconds",
    retries: 1,
    ...options
  } as HttpClientOptions).pipe(Layer.provide(transport))

/** Every way the outcome can be shown: messages, strings, JSON, pretty causes, logs, spans. */
const everyRendering = <A>(
  exit: Exit.Exit<A, DatafoldError | ConfigError.ConfigError>,
  lines: ReadonlyArray<string>
) => {
  const texts: Array<string> = [...lines]
  if (Exit.isFailure(exit)) {
    texts.push(Cause.pretty(exit.cause))
    for (const error of Cause.failures(exit.cause)) {
      texts.push(
        "message" in error ? String(error.message) : "",
        String(error),
        JSON.stringify(error),
        Inspectable.format(error),
        Cause.pretty(Cause.die(error))
      )
    }
    for (const defect of Cause.defects(exit.cause)) texts.push(String(defect), Inspectable.format(defect))
  } else {
    texts.push(JSON.stringify(exit.value))
  }
  return texts
}

const run = (options: Partial<HttpClientOptions>, transport?: Layer.Layer<HttpClient.HttpClient>) =>
  Effect.gen(function* () {
    const { lines, spans, value: exit } = yield* observed(
      Effect.exit(triggerCiRun(7, details).pipe(Effect.provide(layerWith(options, transport))))
    )
    const texts = everyRendering(exit, lines)
    for (const span of spans) texts.push(JSON.stringify([...span.attributes]), JSON.stringify(span.events))
    return { exit, texts }
  })

const expectNoKey = (texts: ReadonlyArray<string>, key: string = KEY) => {
  for (const text of texts) expect(text).not.toContain(key)
}

describe("item 1: 422 items that echo the key", () => {
  const escaped = [...KEY].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")
  const bodies: ReadonlyArray<[string, string]> = [
    [
      "in loc, msg, type and extra keys",
      JSON.stringify({
        detail: [{
          loc: ["header", `Key ${KEY}`],
          msg: `invalid key ${KEY}`,
          type: KEY,
          input: `Key ${KEY}`,
          ctx: { key: KEY }
        }]
      })
    ],
    ["written with JSON escapes", `{"detail":[{"loc":["body","${escaped}"],"msg":"${escaped}","type":"x"}]}`],
    ["as a string detail", JSON.stringify({ detail: `Key ${KEY} is not valid here` })]
  ]
  for (const [name, body] of bodies) {
    for (const [transportName, transport] of transports) {
      it.live(`${name} (${transportName}): scrubbed from every rendering, log and span`, () =>
        Effect.gen(function* () {
          server.inject(Fault.respond(422, body, { "content-type": "application/json" }))
          const { exit, texts } = yield* run({}, transport)
          expect(Exit.isFailure(exit)).toBe(true)
          expect(texts.join("\n")).toContain("[redacted]")
          expectNoKey(texts)
        }))
    }
  }
})

describe("item 2: a runtime's error that quotes the header", () => {
  it.live("the transport's own message is scrubbed before it becomes DatafoldNetworkError.detail", () =>
    Effect.gen(function* () {
      // A header the runtime refuses, carrying the key: fetch quotes the value in its error.
      const { exit, texts } = yield* run({
        transformClient: HttpClient.mapRequest((request) =>
          HttpClientRequest.setHeader(request, "x-echo", `Key ${KEY}\u0000`)
        )
      })
      expect(Exit.isFailure(exit)).toBe(true)
      expect(texts.join("\n")).toContain("DatafoldNetworkError")
      expectNoKey(texts)
      expect(server.requests()).toHaveLength(0)
    }))
})

describe("item 3: surrounding white space", () => {
  for (const [transportName, transport] of transports) {
    it.live(`a key ending in a newline is trimmed, sent trimmed, and scrubbed (${transportName})`, () =>
      Effect.gen(function* () {
        const job = yield* triggerCiRun(7, details).pipe(
          Effect.provide(layerWith({ apiKey: Redacted.make(`  ${KEY}\n`) }, transport))
        )
        expect(job.ci_run_id).toBe(1)
        expect(server.requests()[0]?.headers.authorization).toBe(`Key ${KEY}`)
        server.inject(Fault.respond(500, `echo: [Key ${KEY}\n]`))
        const { texts } = yield* run({ apiKey: Redacted.make(`${KEY}\n`), retries: 0 }, transport)
        expectNoKey(texts)
      }))
  }
})

describe("item 4: keys that cannot be a header value", () => {
  const bad: ReadonlyArray<[string, string]> = [
    ["an inner line break", `${KEY.slice(0, 10)}\n${KEY.slice(10)}`],
    ["an inner CR LF", `${KEY.slice(0, 10)}\r\nX-Injected: 1`],
    ["a control character", `${KEY}\u0007`],
    ["a non-Latin-1 character", `${KEY}€`],
    ["an inner space", `${KEY.slice(0, 10)} ${KEY.slice(10)}`]
  ]
  for (const [name, key] of bad) {
    for (const [transportName, transport] of transports) {
      it.live(`${name} (${transportName}): a ConfigError naming DATAFOLD_API_KEY, nothing sent, no echo`, () =>
        Effect.gen(function* () {
          const { exit, texts } = yield* run({ apiKey: Redacted.make(key) }, transport)
          expect(Exit.isFailure(exit)).toBe(true)
          if (Exit.isFailure(exit)) {
            expect(Cause.isDie(exit.cause)).toBe(false)
            const failure = Cause.failures(exit.cause)
            expect(String([...failure][0])).toContain("DATAFOLD_API_KEY")
            expect(String([...failure][0])).toContain("HTTP header")
          }
          expect(server.requests()).toHaveLength(0)
          expectNoKey(texts, KEY.slice(10))
        }))
    }
  }
})

describe("item 5: short keys", () => {
  it.live(`a key shorter than ${MIN_API_KEY_LENGTH} characters is refused with a ConfigError, nothing sent`, () =>
    Effect.gen(function* () {
      const { exit, texts } = yield* run({ apiKey: Redacted.make("abc") })
      expect(Exit.isFailure(exit)).toBe(true)
      expect(texts.join("\n")).toContain(`shorter than ${MIN_API_KEY_LENGTH}`)
      expect(texts.join("\n")).toContain("DATAFOLD_API_KEY")
      expect(server.requests()).toHaveLength(0)
    }))

  it.live("a key of exactly the minimum length is accepted and scrubbed", () =>
    Effect.gen(function* () {
      const short = "k".repeat(MIN_API_KEY_LENGTH)
      const local = yield* Effect.acquireRelease(
        Effect.promise(() => startLocalDatafoldServer({ apiKey: short })),
        (s) => Effect.promise(() => s.close())
      )
      local.inject(Fault.respond(500, `bad key ${short}`))
      const error = yield* Effect.flip(
        triggerCiRun(7, details).pipe(
          Effect.provide(
            clientLayer({ apiKey: Redacted.make(short), host: local.url, retries: 0 }).pipe(
              Layer.provide(FetchHttpClient.layer)
            )
          )
        )
      )
      expect(error.message).toContain("bad key [redacted]")
      expect(error.message).not.toContain(short)
    }).pipe(Effect.scoped))
})

describe("item 6: credentials in the host", () => {
  for (
    const host of [
      "http://user:hunter2pass@127.0.0.1:1",
      "https://user:hunter2pass@datafold.example.com",
      "http://user:hunter2pass@datafold.example.com",
      "user:hunter2pass@datafold.example.com"
    ]
  ) {
    it.live(`${host.replace("hunter2pass", "…")} is refused without repeating the password`, () =>
      Effect.gen(function* () {
        const problem = parseHost(host)
        expect(problem._tag).toBe("Left")
        if (problem._tag === "Left") expect(problem.left).not.toContain("hunter2pass")
        const { exit, texts } = yield* run({ host })
        expect(Exit.isFailure(exit)).toBe(true)
        expect(texts.join("\n")).toContain("DATAFOLD_HOST")
        for (const text of texts) expect(text).not.toContain("hunter2pass")
      }))
  }

  it("a host with a path is refused: the host is an origin", () => {
    const problem = parseHost("https://app.datafold.com/api/v1/")
    expect(problem._tag).toBe("Left")
    if (problem._tag === "Left") {
      expect(problem.left).toContain("origin")
      expect(problem.left).toContain("use https://app.datafold.com")
    }
    expect(parseHost("https://app.datafold.com/")).toStrictEqual(parseHost("https://app.datafold.com"))
  })
})

describe("item 7: a plain string from JavaScript", () => {
  it.live("is accepted, wrapped in Redacted, and sent", () =>
    Effect.gen(function* () {
      const job = yield* triggerCiRun(7, details).pipe(
        Effect.provide(layerWith({ apiKey: KEY as unknown as Redacted.Redacted<string> }))
      )
      expect(job.ci_run_id).toBe(1)
      expect(server.requests()[0]?.headers.authorization).toBe(`Key ${KEY}`)
    }))

  it.live("anything else is a ConfigError saying to pass Redacted.make(...), not a defect", () =>
    Effect.gen(function* () {
      const { exit, texts } = yield* run({ apiKey: 42 as unknown as Redacted.Redacted<string> })
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(false)
      expect(texts.join("\n")).toContain("Redacted.make")
    }))
})
