/**
 * The package as a Deno user meets it: imported by its JSR name through `deno.json`'s
 * `exports` (`@effect-datafold/effect-datafold` and `/testing`), with `effect` from the
 * import map's `npm:` specifier, run by `deno test` against the local server over real
 * loopback HTTP. Run with `npm run test:deno` (or `deno task test`).
 */
import { DatafoldClient, triggerCiRun, USER_AGENT, VERSION } from "@effect-datafold/effect-datafold"
import { clientLayerFor, Fault, startLocalDatafoldServer } from "@effect-datafold/effect-datafold/testing"
import { clientLayer } from "@effect-datafold/effect-datafold/api"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Cause, Effect, HashMap, Layer, Logger, LogLevel } from "effect"
import assert from "node:assert/strict"

const details = {
  pr_number: 42,
  pr_branch: "feature/orders-rollup",
  base_branch: "main",
  pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
}

Deno.test("triggers a run on Deno against the local server", async () => {
  const server = await startLocalDatafoldServer({ ciConfigIds: [7] })
  try {
    const job = await triggerCiRun(7, details).pipe(
      Effect.provide(clientLayerFor(server)),
      Effect.runPromise
    )
    assert.equal(job.ci_run_id, 1)
    const [request] = server.requests()
    assert.equal(request?.url, "/api/v1/ci/7/trigger")
    assert.equal(request?.headers["user-agent"], USER_AGENT)
    assert.equal(USER_AGENT, `effect-datafold/${VERSION}`)
    assert.deepEqual(JSON.parse(request?.body ?? "null"), details)
  } finally {
    await server.close()
  }
})

Deno.test("handles Datafold's 422 with Effect.catchTags", async () => {
  const server = await startLocalDatafoldServer()
  try {
    server.inject(Fault.validation())
    const outcome = await Effect.gen(function* () {
      const client = yield* DatafoldClient
      return yield* client.trigger(7, details)
    }).pipe(
      Effect.map((job) => `triggered ${job.ci_run_id}`),
      Effect.catchTags({
        DatafoldValidationError: (error) =>
          Effect.succeed(`rejected: ${error.detail.map((item) => item.loc.join(".")).join(", ")}`),
        DatafoldNetworkError: (error) => Effect.succeed(`network: ${error.reason}`)
      }),
      Effect.provide(clientLayerFor(server, { retries: 0 })),
      Effect.runPromise
    )
    assert.equal(outcome, "rejected: body.pr_sha")
    assert.equal(server.runs().length, 0)
  } finally {
    await server.close()
  }
})

Deno.test("without permission to read the environment, DatafoldClient.Default fails with a ConfigError, not a defect", async () => {
  // `deno test` runs here without --allow-env, as a locked-down Deno script would.
  const exit = await Effect.runPromiseExit(Effect.provide(DatafoldClient, DatafoldClient.Default))
  assert.equal(exit._tag, "Failure")
  if (exit._tag === "Failure") {
    assert.equal(Cause.isDie(exit.cause), false)
    assert.match(String(Cause.squash(exit.cause)), /--allow-env=DATAFOLD_API_KEY/)
  }
})

Deno.test("without --allow-net for the host: DatafoldNetworkError PermissionDenied naming the flag, not retried", async () => {
  // `deno test` runs with --allow-net=127.0.0.1 only; 127.0.0.2 is loopback too, but not allowed.
  const server = await startLocalDatafoldServer()
  try {
    const port = new URL(server.url).port
    const lines: Array<string> = []
    const logger = Logger.make(({ annotations, message }) => {
      lines.push(`${String(message)} ${JSON.stringify([...HashMap.toEntries(annotations)])}`)
    })
    const error = await triggerCiRun(7, details).pipe(
      Effect.flip,
      Effect.provide(
        clientLayer({ apiKey: server.apiKey, host: `http://127.0.0.2:${port}`, retries: 3 }).pipe(
          Layer.provide(FetchHttpClient.layer)
        )
      ),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Logger.withMinimumLogLevel(LogLevel.Debug),
      Effect.runPromise
    )
    assert.equal(error._tag, "DatafoldNetworkError")
    if (error._tag === "DatafoldNetworkError") assert.equal(error.reason, "PermissionDenied")
    assert.match(error.message, new RegExp(`--allow-net=127\\.0\\.0\\.2:${port}`))
    assert.deepEqual(lines.filter((line) => line.includes("retrying")), [])
    assert.equal(server.requests().length, 0)
  } finally {
    await server.close()
  }
})
