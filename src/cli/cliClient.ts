/**
 * The `DatafoldClient` every `datafold-ci` command uses, built from its checked settings.
 *
 * @module
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Duration from "effect/Duration"
import * as Layer from "effect/Layer"
import { DatafoldClient } from "../DatafoldClient.ts"
import { DEFAULTS } from "../DatafoldConfig.ts"
import { SettingsError } from "./CliError.ts"
import { type CliSettings, configErrorIssues } from "./CliSettings.ts"

/**
 * The overall deadline: the library's default, stretched when a longer per-attempt
 * timeout is asked for, so `--timeout 180` is not cut short by the 2-minute default.
 */
export const deadlineFor = (timeout: Duration.Duration | undefined, retries: number | undefined): Duration.Duration =>
  timeout === undefined
    ? DEFAULTS.deadline
    : Duration.max(DEFAULTS.deadline, Duration.times(timeout, (retries ?? DEFAULTS.retries) + 1))

/** A client layer for the settings; a refusal of the settings by the library stays a usage error. */
export const cliClientLayer = (settings: CliSettings): Layer.Layer<DatafoldClient, SettingsError> =>
  DatafoldClient.layer({
    apiKey: settings.apiKey,
    host: settings.host.value,
    timeout: settings.timeout,
    deadline: deadlineFor(settings.timeout, settings.retries),
    retries: settings.retries
  }).pipe(
    // node:http rather than fetch: on Node 20 the first fetch loads the runtime's bundled
    // undici (about 100 ms), the largest part of a one-shot CLI's start. The library's
    // portable default stays fetch; this transport is bundled into the CLI only.
    Layer.provide(NodeHttpClient.layer),
    // The settings were checked already; this only keeps a library-side refusal a usage error.
    Layer.mapError((error) => new SettingsError({ issues: configErrorIssues(error) }))
  )
