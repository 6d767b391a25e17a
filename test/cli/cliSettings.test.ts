/**
 * Settings from flags and the environment map, in-process: precedence, defaults, and every
 * problem reported at once.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type { CommandArgs } from "../../src/cli/args/CliArgs.ts"
import { readSettings } from "../../src/cli/shell/CliSettings.ts"
import { deadlineFor } from "../../src/cli/shell/cliClient.ts"
import { DEFAULT_HOST, DEFAULTS } from "../../src/DatafoldConfig.ts"

const none: CommandArgs = {
  ciConfigId: undefined,
  prNumber: undefined,
  prBranch: undefined,
  baseBranch: undefined,
  prSha: undefined,
  baseSha: undefined,
  host: undefined,
  timeout: undefined,
  retries: undefined,
  dryRun: false,
  json: false
}

describe("readSettings", () => {
  it.effect("takes everything from the environment, with the default host", () =>
    Effect.gen(function* () {
      const settings = yield* readSettings(none, {
        DATAFOLD_API_KEY: "k1",
        DATAFOLD_CI_CONFIG_ID: "12",
        DATAFOLD_TIMEOUT: "2.5",
        DATAFOLD_RETRIES: "4"
      })
      expect(Redacted.value(settings.apiKey)).toBe("k1")
      expect(settings.host).toEqual({ value: DEFAULT_HOST, source: "default" })
      expect(settings.ciConfigId).toEqual({ value: 12, source: "env DATAFOLD_CI_CONFIG_ID" })
      expect(settings.timeout).toEqual(Duration.millis(2500))
      expect(settings.retries).toBe(4)
    }))

  it.effect("flags win over the environment; the obsolete key spelling works; blank variables are unset", () =>
    Effect.gen(function* () {
      const settings = yield* readSettings(
        { ...none, ciConfigId: "7", host: "https://acme.datafold.example/", timeout: "10", retries: "0" },
        {
          DATAFOLD_API_KEY: " ",
          DATAFOLD_APIKEY: "old",
          DATAFOLD_HOST: "not a url",
          DATAFOLD_CI_CONFIG_ID: "12",
          DATAFOLD_TIMEOUT: "x",
          DATAFOLD_RETRIES: "99"
        }
      )
      expect(Redacted.value(settings.apiKey)).toBe("old")
      expect(settings.host).toEqual({ value: "https://acme.datafold.example", source: "flag --host" })
      expect(settings.ciConfigId).toEqual({ value: 7, source: "flag --ci-config-id" })
      expect(settings.timeout).toEqual(Duration.seconds(10))
      expect(settings.retries).toBe(0)
    }))

  it.effect("reports every problem at once, naming each setting as the user wrote it", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        readSettings({ ...none, timeout: "0", retries: "11" }, {
          DATAFOLD_HOST: "http://datafold.example",
          DATAFOLD_CI_CONFIG_ID: "abc"
        })
      )
      expect(error._tag).toBe("SettingsError")
      expect(error.issues.map((issue) => issue.setting)).toEqual([
        "DATAFOLD_API_KEY",
        "DATAFOLD_HOST",
        "DATAFOLD_CI_CONFIG_ID",
        "--timeout",
        "--retries"
      ])
      expect(error.message).toContain("DATAFOLD_HOST is not a usable Datafold URL")
    }))

  it.effect("a missing config id says both ways to give it", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(readSettings(none, { DATAFOLD_API_KEY: "k" }))
      expect(error.message).toContain("--ci-config-id")
      expect(error.message).toContain("DATAFOLD_CI_CONFIG_ID")
    }))
})

describe("deadlineFor", () => {
  it("keeps the library's deadline unless the asked-for attempts need longer", () => {
    expect(deadlineFor(undefined, 5)).toEqual(DEFAULTS.deadline)
    expect(deadlineFor(Duration.seconds(10), 3)).toEqual(DEFAULTS.deadline)
    expect(deadlineFor(Duration.seconds(180), 0)).toEqual(Duration.seconds(180))
    expect(deadlineFor(Duration.seconds(60), undefined)).toEqual(Duration.seconds(240))
  })
})
