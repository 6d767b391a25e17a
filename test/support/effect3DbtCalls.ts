/**
 * The Effect 3 entry's dbt calls as plain promises of plain data, for tests that hold the
 * Effect 4 entry to the same bytes, errors and messages (this module's `effect` resolves
 * to Effect 3 by its location). Each call goes over either of the Effect 3 client's two
 * paths: its own `fetch` wire (what `DatafoldClient.Default` sends over) or the general
 * path over `@effect/platform`'s `FetchHttpClient`.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Config, Effect, Layer, Redacted } from "effect"
import { CiRun } from "../../src/CiRun.ts"
import { DatafoldArtifactsError } from "../../src/DatafoldArtifactsError.ts"
import {
  DatafoldRunCancelledError,
  DatafoldRunFailedError,
  DatafoldRunNotFoundError,
  DatafoldRunTimeoutError
} from "../../src/DatafoldWaitError.ts"
import { DatafoldClient } from "../../src/index.ts"
import { fetchSend } from "../../src/internal/fetchWire.ts"
import { clientOnWire } from "../../src/internal/wireClient.ts"
import type { Outcome, PlainOptions } from "./effect3Calls.ts"
import { clientLayer } from "../../src/DatafoldHttpClient.ts"

/** Which of the Effect 3 client's paths a call goes over. */
export type Effect3Path = "wire" | "platform"

const layerFor = (options: PlainOptions, path: Effect3Path) => {
  const resolved = { ...options, apiKey: Redacted.make(options.apiKey) }
  return path === "wire"
    ? Layer.effect(DatafoldClient, clientOnWire(Config.succeed(resolved), Effect.succeed(fetchSend)))
    : clientLayer(resolved).pipe(Layer.provide(FetchHttpClient.layer))
}

const run = (
  options: PlainOptions,
  path: Effect3Path,
  call: (client: typeof DatafoldClient.Service) => Effect.Effect<unknown, { readonly message: string }>
): Promise<Outcome> =>
  Effect.runPromise(
    DatafoldClient.pipe(
      Effect.flatMap(call),
      Effect.match({
        onFailure: (error): Outcome => ({
          _tag: "Failure",
          error: JSON.parse(JSON.stringify(error)),
          message: error.message
        }),
        onSuccess: (value): Outcome => ({ _tag: "Success", value: JSON.parse(JSON.stringify(value)) })
      }),
      Effect.provide(layerFor(options, path)),
      Effect.catchAll((error) =>
        Effect.succeed<Outcome>({ _tag: "Failure", error: { _tag: "ConfigError" }, message: String(error) })
      )
    )
  )

/** `uploadDbtArtifacts` on the Effect 3 entry. */
export const uploadDbtArtifacts = (
  options: PlainOptions,
  path: Effect3Path,
  ciConfigId: number,
  upload: unknown
): Promise<Outcome> => run(options, path, (client) => client.uploadDbtArtifacts(ciConfigId, upload as never))

/** `prepareDbtUpload` on the Effect 3 entry. */
export const prepareDbtUpload = (options: PlainOptions, ciConfigId: number, upload: unknown): Promise<Outcome> =>
  run(options, "wire", (client) => client.prepareDbtUpload(ciConfigId, upload as never))

/** `checkDbtArtifacts` on the Effect 3 entry. */
export const checkDbtArtifacts = (
  options: PlainOptions,
  path: Effect3Path,
  ciConfigId: number,
  check: unknown
): Promise<Outcome> => run(options, path, (client) => client.checkDbtArtifacts(ciConfigId, check as never))

/** `checkPrimaryKeys` on the Effect 3 entry. */
export const checkPrimaryKeys = (
  options: PlainOptions,
  path: Effect3Path,
  ciConfigId: number,
  manifest: unknown
): Promise<Outcome> => run(options, path, (client) => client.checkPrimaryKeys(ciConfigId, manifest as never))

/** `waitForRun` on the Effect 3 entry (durations as strings). */
export const waitForRun = (
  options: PlainOptions,
  ciConfigId: number,
  target: unknown,
  wait: Record<string, string | number> = {}
): Promise<Outcome> => run(options, "wire", (client) => client.waitForRun(ciConfigId, target as never, wait))

/**
 * An Effect 3 dbt error made from plain fields (a run as its wire JSON): its JSON and
 * message, to compare with the Effect 4 class made from the same fields.
 */
export const dbtError = (
  tag: string,
  fields: Record<string, unknown>
): { readonly json: unknown; readonly message: string } => {
  const withRun = fields["run"] === undefined ? fields : { ...fields, run: new CiRun(fields["run"] as never) }
  const error = tag === "DatafoldArtifactsError"
    ? new DatafoldArtifactsError(withRun as never)
    : tag === "DatafoldRunFailedError"
    ? new DatafoldRunFailedError(withRun as never)
    : tag === "DatafoldRunCancelledError"
    ? new DatafoldRunCancelledError(withRun as never)
    : tag === "DatafoldRunNotFoundError"
    ? new DatafoldRunNotFoundError(withRun as never)
    : new DatafoldRunTimeoutError(withRun as never)
  return { json: JSON.parse(JSON.stringify(error)), message: error.message }
}
