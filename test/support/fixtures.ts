/**
 * Shared test values: well-formed PR details and a client layer tuned for fast retries.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Layer from "effect/Layer"
import type * as ConfigError from "effect/ConfigError"
import type { DatafoldClient, DatafoldClientOptions, PrDetailsInput } from "../../src/index.ts"
import { clientLayerFor, type LocalDatafoldServer } from "../../src/testing.ts"

/** Valid details, as a CI job would send them. */
export const details: PrDetailsInput = {
  pr_number: 42,
  pr_branch: "feature/orders-rollup",
  base_branch: "main",
  pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
}

/**
 * A client for the local server whose retries wait milliseconds, not seconds; on the
 * default transport unless another is given (see `transports.ts`).
 */
export const fastClient = (
  server: LocalDatafoldServer,
  options: Omit<DatafoldClientOptions, "apiKey" | "host"> = {},
  transport?: Layer.Layer<HttpClient.HttpClient>
): Layer.Layer<DatafoldClient, ConfigError.ConfigError> =>
  clientLayerFor(
    server,
    { retryBase: "2 millis", maxRetryDelay: "50 millis", timeout: "5 seconds", ...options },
    transport
  )

/**
 * An error as plain data (`_tag` and fields), for `toMatchObject`: Effect errors are
 * iterable, which sends vitest's structural diff into endless recursion on a mismatch.
 */
export const plain = (value: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(value))
