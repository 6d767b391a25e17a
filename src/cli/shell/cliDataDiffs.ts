/**
 * The data-diffs service a `datafold-ci` command uses, built from the same checked
 * settings and the same `node:http` wire as its CI client (see `cliClient.ts`).
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { DataDiffsService } from "../../DataDiffsService.ts"
import { resolveOptions } from "../../DatafoldConfig.ts"
import { makeDataDiffsService } from "../../internal/dataDiffsService.ts"
import { nodeHttpSend } from "../../internal/nodeHttpTransport.ts"
import type { CommandArgs } from "../args/CliArgs.ts"
import { SettingsError, type UsageError } from "../args/CliError.ts"
import { attemptTimeoutOf } from "../args/waitFlags.ts"
import { deadlineFor } from "./cliClient.ts"
import type { CommandContext } from "./context.ts"
import { type CliSettings, configErrorIssues, readSettings } from "./CliSettings.ts"

/** A data-diffs service for the settings; a refusal of the settings by the library stays a usage error. */
export const cliDataDiffs = (settings: CliSettings): Either.Either<DataDiffsService, SettingsError> =>
  Either.mapBoth(
    resolveOptions({
      apiKey: settings.apiKey,
      host: settings.host.value,
      timeout: settings.timeout,
      deadline: deadlineFor(settings.timeout, settings.retries),
      retries: settings.retries
    }),
    {
      onLeft: (error) => new SettingsError({ issues: configErrorIssues(error) }),
      onRight: (resolved) => makeDataDiffsService(resolved, { _tag: "Wire", wire: nodeHttpSend })
    }
  )

/**
 * The settings of a `diff` command (no CI config is involved) and the service over them.
 * A dry run without a key gets a service that must not be used to send.
 */
export const dataDiffsFor = (
  args: CommandArgs,
  env: CommandContext["env"]
): Effect.Effect<
  { readonly settings: CliSettings; readonly diffs: DataDiffsService },
  SettingsError | UsageError
> =>
  Effect.gen(function* () {
    // A placeholder CI config id, as doctor passes one: the data-diff calls take none.
    const settings = yield* readSettings(
      { ...args, ciConfigId: "0", timeout: yield* attemptTimeoutOf(args, false) },
      env
    )
    return { settings, diffs: yield* cliDataDiffs(settings) }
  })
