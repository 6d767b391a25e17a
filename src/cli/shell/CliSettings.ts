/**
 * The settings of a `datafold-ci trigger` run that are not PR facts: the API key, the
 * host, the CI config id, the timeout and the retry count. Flags win over the
 * environment; the environment is read through `Config` from the map the caller passes
 * in (never `process.env` directly), so tests can give their own.
 *
 * @module
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { apiKeyConfig, DEFAULT_HOST, parseHost } from "../../DatafoldConfig.ts"
import type { CommandArgs } from "../args/CliArgs.ts"
import type { Env } from "../facts/CiEnvironment.ts"
import { SettingIssue, SettingsError } from "../args/CliError.ts"
import { type Sourced, sourced } from "../facts/PrFact.ts"

/** Checked settings, each ready for `DatafoldClient.layer`. */
export interface CliSettings {
  /** Only ever `Redacted`: it is never printed. A placeholder when {@link CliSettings.keyMissing}. */
  readonly apiKey: Redacted.Redacted<string>
  /** A dry run without `DATAFOLD_API_KEY`: nothing will be sent, and a real run needs the key. */
  readonly keyMissing: boolean
  /** Base URL without a trailing slash, and where it came from. */
  readonly host: Sourced<string>
  /** A whole number; the library refuses zero before sending. */
  readonly ciConfigId: Sourced<number>
  /** Per attempt; `undefined` keeps the library's default. */
  readonly timeout: Duration.Duration | undefined
  /** Retries after the first attempt; `undefined` keeps the library's default. */
  readonly retries: number | undefined
}

/**
 * A `ConfigProvider` over an environment map. Blank variables count as unset, because
 * CI systems often export variables they have no value for as "".
 */
export const configProviderFor = (env: Env): ConfigProvider.ConfigProvider =>
  ConfigProvider.fromMap(
    new Map(
      Object.entries(env).flatMap(([name, value]) =>
        value === undefined || value.trim() === "" ? [] : [[name, value] as const]
      )
    )
  )

/** Every leaf of a `ConfigError` as a setting issue, named by its path. */
export const configErrorIssues = (error: ConfigError.ConfigError): ReadonlyArray<SettingIssue> => {
  switch (error._op) {
    case "And":
    case "Or":
      return [...configErrorIssues(error.left), ...configErrorIssues(error.right)]
    case "MissingData":
      return [new SettingIssue({ setting: error.path.join("."), problem: `is not set. ${error.message}.` })]
    case "InvalidData":
    case "SourceUnavailable":
    case "Unsupported":
      return [new SettingIssue({ setting: error.path.join("."), problem: `is invalid: ${error.message}.` })]
  }
}

type Check<A> = Either.Either<A, SettingIssue>

const issue = (setting: string, problem: string) => Either.left(new SettingIssue({ setting, problem }))

/** A flag value when given, else an optional environment variable: the value and its source. */
const flagOrEnv = (flag: string, given: string | undefined, variable: string) =>
  Effect.map(
    Config.option(Config.string(variable)),
    (fromEnv): Option.Option<Sourced<string>> =>
      given !== undefined && given.trim() !== ""
        ? Option.some(sourced(given.trim(), `flag ${flag}`))
        : Option.map(fromEnv, (value) => sourced(value.trim(), `env ${variable}`))
  )

/** The name a source gives a setting in messages: `--timeout` or `DATAFOLD_TIMEOUT`. */
const settingName = (source: string): string => source.replace(/^(?:flag|env) /, "")

const checkHost = (given: Option.Option<Sourced<string>>): Check<Sourced<string>> =>
  Option.match(given, {
    onNone: () => Either.right(sourced(DEFAULT_HOST, "default")),
    onSome: ({ source, value }) =>
      Either.match(parseHost(value), {
        onLeft: (problem) => issue(settingName(source), `is not a usable Datafold URL: ${problem}.`),
        onRight: (host) => Either.right(sourced(host, source))
      })
  })

const checkCiConfigId = (given: Option.Option<Sourced<string>>): Check<Sourced<number>> =>
  Option.match(given, {
    onNone: () =>
      issue(
        "--ci-config-id",
        "is missing: pass --ci-config-id N or set DATAFOLD_CI_CONFIG_ID (the id of the CI configuration in Datafold, under Settings → CI)."
      ),
    onSome: ({ source, value }) =>
      /^\d+$/.test(value) ? Either.right(sourced(Number(value), source)) : issue(
        settingName(source),
        `must be a whole number (the id of the CI configuration in Datafold), not ${JSON.stringify(value)}.`
      )
  })

const checkTimeout = (given: Option.Option<Sourced<string>>): Check<Duration.Duration | undefined> =>
  Option.match(given, {
    onNone: () => Either.right(undefined),
    onSome: ({ source, value }) => {
      const seconds = /^\d+(?:\.\d+)?$/.test(value) ? Number(value) : Number.NaN
      // Below a millisecond the library would see zero, so refuse it here with a clear message.
      return Number.isFinite(seconds) && seconds >= 0.001
        ? Either.right(Duration.millis(Math.round(seconds * 1000)))
        : issue(
          settingName(source),
          `must be a positive number of seconds, such as 30 or 2.5, not ${JSON.stringify(value)}.`
        )
    }
  })

const checkRetries = (given: Option.Option<Sourced<string>>): Check<number | undefined> =>
  Option.match(given, {
    onNone: () => Either.right(undefined),
    onSome: ({ source, value }) =>
      /^\d{1,2}$/.test(value) && Number(value) <= 10
        ? Either.right(Number(value))
        : issue(settingName(source), `must be a whole number from 0 to 10, not ${JSON.stringify(value)}.`)
  })

/**
 * Reads and checks every setting, reporting all problems together in one
 * `SettingsError`. The key comes only from `DATAFOLD_API_KEY` (else the obsolete
 * `DATAFOLD_APIKEY`); never from a flag.
 */
export const readSettings = (
  args: Pick<CommandArgs, "host" | "ciConfigId" | "timeout" | "retries" | "dryRun">,
  env: Env
): Effect.Effect<CliSettings, SettingsError> =>
  Effect.gen(function* () {
    const configuredKey = yield* Effect.either(apiKeyConfig)
    // A dry run sends nothing, so a pipeline can be checked before its secret exists.
    const keyMissing = Either.isLeft(configuredKey) && args.dryRun
    const apiKey = keyMissing ? Either.right(Redacted.make("dry-run-without-a-key")) : configuredKey
    const host = checkHost(yield* flagOrEnv("--host", args.host, "DATAFOLD_HOST"))
    const ciConfigId = checkCiConfigId(yield* flagOrEnv("--ci-config-id", args.ciConfigId, "DATAFOLD_CI_CONFIG_ID"))
    const timeout = checkTimeout(yield* flagOrEnv("--timeout", args.timeout, "DATAFOLD_TIMEOUT"))
    const retries = checkRetries(yield* flagOrEnv("--retries", args.retries, "DATAFOLD_RETRIES"))
    const issues: Array<SettingIssue> = []
    const collect = <A>(check: Check<A>): void => {
      if (Either.isLeft(check)) issues.push(check.left)
    }
    if (Either.isLeft(apiKey)) issues.push(...configErrorIssues(apiKey.left))
    collect(host)
    collect(ciConfigId)
    collect(timeout)
    collect(retries)
    if (
      Either.isLeft(apiKey) || Either.isLeft(host) || Either.isLeft(ciConfigId) || Either.isLeft(timeout) ||
      Either.isLeft(retries)
    ) {
      return yield* new SettingsError({ issues })
    }
    return {
      apiKey: apiKey.right,
      keyMissing,
      host: host.right,
      ciConfigId: ciConfigId.right,
      timeout: timeout.right,
      retries: retries.right
    }
  }).pipe(
    // Config.option absorbs absence, so this is for a provider failing in a way a flat map cannot; kept total anyway.
    Effect.mapError((error) =>
      ConfigError.isConfigError(error) ? new SettingsError({ issues: configErrorIssues(error) }) : error
    ),
    Effect.withConfigProvider(configProviderFor(env))
  )
