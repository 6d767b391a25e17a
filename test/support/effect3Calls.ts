/**
 * The Effect 3 entry's calls as plain promises of plain data, for tests that hold the
 * Effect 4 entry to the same behaviour (they run under Effect 4 and cannot mix the two
 * majors' effects; this module's `effect` resolves to Effect 3 by its location).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Effect, Layer, Redacted } from "effect"
import { DatafoldClient, type DatafoldClientOptions } from "../../src/index.ts"
import { clientLayer } from "../../src/DatafoldHttpClient.ts"

/** How a call ended, as data: the value or the error's tag, fields and message. */
export type Outcome =
  | { readonly _tag: "Success"; readonly value: unknown }
  | { readonly _tag: "Failure"; readonly error: Record<string, unknown>; readonly message: string }

/** Plain options: the key as text, durations as strings. */
export type PlainOptions = Omit<DatafoldClientOptions, "apiKey"> & { readonly apiKey: string }

const run = (
  options: PlainOptions,
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
      Effect.provide(
        clientLayer({ ...options, apiKey: Redacted.make(options.apiKey) }).pipe(
          Layer.provide(FetchHttpClient.layer)
        )
      ),
      Effect.catchAll((error) =>
        Effect.succeed<Outcome>({ _tag: "Failure", error: { _tag: "ConfigError" }, message: String(error) })
      )
    )
  )

/** `prepareTrigger` on the Effect 3 entry. */
export const prepareTrigger = (options: PlainOptions, ciConfigId: number, details: unknown): Promise<Outcome> =>
  run(options, (client) => client.prepareTrigger(ciConfigId, details as never))

/** `prepareSubmit` on the Effect 3 entry. */
export const prepareSubmit = (
  options: PlainOptions,
  ciConfigId: number,
  prNumber: number,
  diffs: unknown
): Promise<Outcome> => run(options, (client) => client.prepareSubmit(ciConfigId, prNumber, diffs as never))

/** `trigger` on the Effect 3 entry. */
export const trigger = (options: PlainOptions, ciConfigId: number, details: unknown): Promise<Outcome> =>
  run(options, (client) => client.trigger(ciConfigId, details as never))

/** `submitDiffs` on the Effect 3 entry. */
export const submitDiffs = (
  options: PlainOptions,
  ciConfigId: number,
  prNumber: number,
  diffs: unknown
): Promise<Outcome> => run(options, (client) => client.submitDiffs(ciConfigId, prNumber, diffs as never))

/** `listRuns` on the Effect 3 entry. */
export const listRuns = (options: PlainOptions, ciConfigId: number, query: object = {}): Promise<Outcome> =>
  run(options, (client) => client.listRuns(ciConfigId, query))
