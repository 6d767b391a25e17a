/**
 * The Effect 4 entry reads the same environment variables as the Effect 3 entry, refuses
 * the same settings with a `ConfigError` naming the variable, and never shows the key.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../../testing.ts"
import { clientLayer, clientLayerConfig, DatafoldClient, triggerCiRun } from "../index.ts"

const apiKey = "dfk_effect4_config_0123456789"
const details = {
  pr_number: 42,
  pr_branch: "feature/orders-rollup",
  base_branch: "main",
  pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
}

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer({ apiKey })
})
afterAll(() => server.close())

/** The client built from `env`, as the failure of building it (or `undefined`). */
const buildFrom = (env: Record<string, string>) =>
  Effect.gen(function* () {
    return yield* DatafoldClient.use((client) => Effect.succeed(client.host))
  }).pipe(
    Effect.provide(
      clientLayerConfig().pipe(
        Layer.provide(FetchHttpClient.layer),
        Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env)))
      )
    )
  )

describe("configuration from the environment", () => {
  it.effect("DATAFOLD_API_KEY and DATAFOLD_HOST make a client for that host", () =>
    Effect.gen(function* () {
      expect(yield* buildFrom({ DATAFOLD_API_KEY: apiKey, DATAFOLD_HOST: "https://datafold.acme.example/" })).toBe(
        "https://datafold.acme.example"
      )
      expect(yield* buildFrom({ DATAFOLD_APIKEY: apiKey })).toBe("https://app.datafold.com")
    }))

  const refusals: ReadonlyArray<readonly [string, Record<string, string>, ReadonlyArray<string>]> = [
    ["no key at all", {}, ["DATAFOLD_API_KEY", "Settings → Account"]],
    ["a blank key", { DATAFOLD_API_KEY: "  " }, ["DATAFOLD_API_KEY"]],
    ["a key too short", { DATAFOLD_API_KEY: "short" }, ["DATAFOLD_API_KEY", "shorter than 16"]],
    ["plain http to another host", { DATAFOLD_API_KEY: apiKey, DATAFOLD_HOST: "http://datafold.acme.example" }, [
      "DATAFOLD_HOST",
      "clear text"
    ]],
    ["a timeout of zero", { DATAFOLD_API_KEY: apiKey, DATAFOLD_TIMEOUT: "0" }, [
      "DATAFOLD_TIMEOUT",
      "positive number of seconds"
    ]],
    ["eleven retries", { DATAFOLD_API_KEY: apiKey, DATAFOLD_RETRIES: "11" }, ["DATAFOLD_RETRIES", "0 to 10"]]
  ]
  for (const [name, env, words] of refusals) {
    it.effect(`${name}: a ConfigError naming the setting, without the key`, () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(buildFrom(env))
        expect(error._tag).toBe("ConfigError")
        for (const word of words) expect(error.message).toContain(word)
        expect(error.message).not.toContain(apiKey)
      }))
  }
})

describe("the key stays secret", () => {
  it.live("a server that echoes the key in its body and headers: no error, field or message holds it", () =>
    Effect.gen(function* () {
      server.reset()
      server.inject(Fault.respond(500, JSON.stringify({ detail: `bad key ${apiKey}` }), { "x-echo": apiKey }))
      const layer = clientLayer({ apiKey: Redacted.make(apiKey), host: server.url }).pipe(
        Layer.provide(FetchHttpClient.layer)
      )
      const error = yield* Effect.flip(triggerCiRun(7, details).pipe(Effect.provide(layer)))
      expect(error._tag).toBe("DatafoldServerError")
      expect(JSON.stringify(error)).not.toContain(apiKey)
      expect(error.message).not.toContain(apiKey)
      expect(error.message).toContain("[redacted]")
      expect(String(Redacted.make(apiKey))).not.toContain(apiKey)
    }))
})
