import { describe, expect, it } from "@effect/vitest"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { ConfigProvider, Effect, Either, Layer, Redacted } from "effect"
import { afterAll, beforeAll } from "vitest"
import { DatafoldClient, parseHost, triggerCiRun } from "../src/index.ts"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"
import { details } from "./support/fixtures.ts"
import { clientLayer, clientLayerConfig } from "../src/DatafoldHttpClient.ts"

/** A key long enough to be a Datafold key (the local server's own is checked elsewhere). */
const KEY = "dfk_config_test_0123456789abcdef"

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer()
})
afterAll(() => server.close())

/** Build the client from an environment given as a map, then report its host. */
const fromEnvironment = (env: Record<string, string>) =>
  DatafoldClient.pipe(
    Effect.provide(
      clientLayerConfig().pipe(
        Layer.provide(FetchHttpClient.layer),
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))
      )
    )
  )

describe("layerConfig", () => {
  it.live("reads DATAFOLD_API_KEY and DATAFOLD_HOST and triggers with them", () =>
    Effect.gen(function* () {
      server.reset()
      const env = { DATAFOLD_API_KEY: Redacted.value(server.apiKey), DATAFOLD_HOST: server.url }
      const client = yield* fromEnvironment(env)
      expect(client.host).toBe(server.url)
      const job = yield* client.trigger(3, details)
      expect(job.ci_run_id).toBe(1)
    }))

  it.live("falls back to the obsolete DATAFOLD_APIKEY", () =>
    Effect.gen(function* () {
      server.reset()
      const client = yield* fromEnvironment({
        DATAFOLD_APIKEY: Redacted.value(server.apiKey),
        DATAFOLD_HOST: server.url
      })
      yield* client.trigger(3, details)
      expect(server.requests()[0]?.headers.authorization).toBe(`Key ${Redacted.value(server.apiKey)}`)
    }))

  it.live("defaults the host to Datafold's and strips a trailing slash", () =>
    Effect.gen(function* () {
      expect((yield* fromEnvironment({ DATAFOLD_API_KEY: KEY })).host).toBe("https://app.datafold.com")
      expect((yield* fromEnvironment({ DATAFOLD_API_KEY: KEY, DATAFOLD_HOST: "https://datafold.example.com/" })).host)
        .toBe("https://datafold.example.com")
    }))

  it.live("a missing key is a ConfigError naming DATAFOLD_API_KEY", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(fromEnvironment({}))
      expect(String(error)).toContain("DATAFOLD_API_KEY")
      const empty = yield* Effect.flip(fromEnvironment({ DATAFOLD_API_KEY: "  " }))
      expect(String(empty)).toContain("DATAFOLD_API_KEY")
    }))

  it.live("refuses plain http to a host that is not loopback", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        fromEnvironment({ DATAFOLD_API_KEY: KEY, DATAFOLD_HOST: "http://datafold.example.com" })
      )
      expect(String(error)).toContain("DATAFOLD_HOST")
      expect(String(error)).toContain("clear text")
    }))

  it.live("reads DATAFOLD_TIMEOUT and DATAFOLD_RETRIES, refusing nonsense", () =>
    Effect.gen(function* () {
      yield* fromEnvironment({ DATAFOLD_API_KEY: KEY, DATAFOLD_TIMEOUT: "2.5", DATAFOLD_RETRIES: "0" })
      expect(String(yield* Effect.flip(fromEnvironment({ DATAFOLD_API_KEY: KEY, DATAFOLD_TIMEOUT: "0" }))))
        .toContain("DATAFOLD_TIMEOUT")
      expect(String(yield* Effect.flip(fromEnvironment({ DATAFOLD_API_KEY: KEY, DATAFOLD_RETRIES: "-1" }))))
        .toContain("DATAFOLD_RETRIES")
    }))
})

describe("layer options", () => {
  it.live("refuses invalid options with a ConfigError for each", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        triggerCiRun(1, details).pipe(
          Effect.provide(
            clientLayer({ apiKey: Redacted.make(""), host: "ftp://x", timeout: 0, retries: 2.5 }).pipe(
              Layer.provide(FetchHttpClient.layer)
            )
          )
        )
      )
      const text = String(error)
      for (const name of ["DATAFOLD_API_KEY", "DATAFOLD_HOST", "DATAFOLD_TIMEOUT", "DATAFOLD_RETRIES"]) {
        expect(text).toContain(name)
      }
    }))
})

describe("parseHost", () => {
  it("allows https anywhere and http on loopback only", () => {
    expect(parseHost("https://app.datafold.com")).toStrictEqual(Either.right("https://app.datafold.com"))
    expect(parseHost("https://datafold.acme.internal/")).toStrictEqual(Either.right("https://datafold.acme.internal"))
    for (const host of ["http://localhost:8000", "http://127.0.0.1:1", "http://127.9.8.7", "http://[::1]:9"]) {
      expect(Either.isRight(parseHost(host))).toBe(true)
    }
    for (
      const host of [
        "http://10.0.0.1",
        "http://datafold.example.com",
        "http://localhost.evil.com",
        "app.datafold.com",
        "https://user:pw@x.com"
      ]
    ) {
      expect(Either.isLeft(parseHost(host))).toBe(true)
    }
  })
})
