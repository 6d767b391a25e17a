/**
 * Reading a `Config`, turning a runtime that refuses to show the environment (Deno without
 * `--allow-env` throws) into a `ConfigError` that says so, instead of a defect. Shared by the
 * `Default` layers and the layers over an `HttpClient` (Effect 3 keeps its twin in
 * `internal/wireClient.ts`).
 */
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import { environmentUnreadable } from "../../core/settings.ts"

/** `config` read from the provider in context; an unreadable environment is a `ConfigError`. */
export const readConfig = <A>(config: Config.Config<A>): Effect.Effect<A, Config.ConfigError> =>
  Effect.catchDefect(
    Effect.flatMap(ConfigProvider.ConfigProvider, (provider) => config.parse(provider)),
    (defect) =>
      Effect.fail(
        new Config.ConfigError(
          new ConfigProvider.SourceError({
            message: environmentUnreadable(defect instanceof Error ? defect.message : String(defect)),
            cause: defect
          })
        )
      )
  )
