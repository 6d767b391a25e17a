/**
 * A client read from `Config` and built straight on one of the library's own wires: how
 * `DatafoldClient.Default` (the `fetch` wire) and `effect-datafold/node`'s `Default` (the
 * undici wire) are made, with no `HttpClient`, so neither needs `@effect/platform`.
 */
import * as Cause from "effect/Cause"
import type * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import { environmentUnreadable } from "../core/settings.ts"
import { type DatafoldClientOptions, resolveOptions } from "../DatafoldConfig.ts"
import type { DatafoldClientService } from "../DatafoldClientService.ts"
import { makeService } from "./makeService.ts"
import type { WireSend } from "./wire.ts"

/**
 * Read the configuration, turning a runtime that refuses to show the environment (Deno
 * without `--allow-env` for these variables throws) into a `ConfigError` that says so,
 * instead of a defect.
 */
export const readConfig = <A>(config: Config.Config<A>): Effect.Effect<A, ConfigError.ConfigError> =>
  Effect.catchAllDefect(config, (defect) =>
    Effect.fail(
      ConfigError.SourceUnavailable(
        [],
        environmentUnreadable(defect instanceof Error ? defect.message : String(defect)),
        Cause.die(defect)
      )
    ))

/**
 * A client from `config`, sending over the wire `acquireWire` gives. The settings are
 * checked first, so a configuration error acquires nothing (no connection pool).
 */
export const clientOnWire = <R>(
  config: Config.Config<DatafoldClientOptions>,
  acquireWire: Effect.Effect<WireSend, never, R>
): Effect.Effect<DatafoldClientService, ConfigError.ConfigError, R> =>
  Effect.flatMap(
    Effect.flatMap(readConfig(config), resolveOptions),
    (settings) => Effect.map(acquireWire, (wire) => makeService(settings, { _tag: "Wire", wire }))
  )
