/**
 * The client every `datafold-ci` command uses, built from its checked settings straight
 * on the `node:http` wire: neither `@effect/platform`'s `HttpClient` (and the Stream
 * machinery under it) nor the `DatafoldClient` layers are loaded by a command.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import type { DatafoldClientService } from "../../DatafoldClientService.ts"
import { DEFAULTS, resolveOptions } from "../../DatafoldConfig.ts"
import { makeService } from "../../internal/makeService.ts"
import { nodeHttpSend } from "../../internal/nodeHttpTransport.ts"
import { SettingsError } from "../args/CliError.ts"
import { type CliSettings, configErrorIssues } from "./CliSettings.ts"

/**
 * The overall deadline: the library's default, stretched when a longer per-attempt
 * timeout is asked for, so `--timeout 180` is not cut short by the 2-minute default.
 */
export const deadlineFor = (timeout: Duration.Duration | undefined, retries: number | undefined): Duration.Duration =>
  timeout === undefined
    ? DEFAULTS.deadline
    : Duration.max(DEFAULTS.deadline, Duration.times(timeout, (retries ?? DEFAULTS.retries) + 1))

/**
 * A client for the settings, sending over `node:http` rather than `fetch`: on Node 20 the
 * first `fetch` loads the runtime's bundled undici (about 100 ms), the largest part of a
 * one-shot CLI's start. A refusal of the settings by the library stays a usage error.
 */
export const cliClient = (settings: CliSettings): Either.Either<DatafoldClientService, SettingsError> =>
  Either.mapBoth(
    resolveOptions({
      apiKey: settings.apiKey,
      host: settings.host.value,
      timeout: settings.timeout,
      deadline: deadlineFor(settings.timeout, settings.retries),
      retries: settings.retries
    }),
    {
      // The settings were checked already; this only keeps a library-side refusal a usage error.
      onLeft: (error) => new SettingsError({ issues: configErrorIssues(error) }),
      onRight: (resolved) => makeService(resolved, { _tag: "Wire", wire: nodeHttpSend })
    }
  )
