/**
 * The data-diffs service a `datafold-ci` command uses, built from the same checked
 * settings and the same `node:http` wire as its CI client (see `cliClient.ts`).
 *
 * @module
 */
import * as Either from "effect/Either"
import type { DataDiffsService } from "../../DataDiffsService.ts"
import { resolveOptions } from "../../DatafoldConfig.ts"
import { makeDataDiffsService } from "../../internal/dataDiffsService.ts"
import { nodeHttpSend } from "../../internal/nodeHttpTransport.ts"
import { SettingsError } from "../args/CliError.ts"
import { deadlineFor } from "./cliClient.ts"
import { type CliSettings, configErrorIssues } from "./CliSettings.ts"

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
