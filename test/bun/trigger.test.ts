/**
 * The package under Bun: `bun test` imports it by name (`effect-datafold`, resolved by
 * Bun through `tsconfig.json`'s `paths`, as it is through `exports` once installed),
 * triggers against the local server over loopback HTTP, and handles a 422 by tag.
 * Run with `npm run test:bun`; vitest never collects this directory.
 */
import { test } from "bun:test"
import { Effect } from "effect"
import { triggerCiRun, USER_AGENT } from "effect-datafold"
import { clientLayerFor, Fault, startLocalDatafoldServer } from "effect-datafold/testing"
import assert from "node:assert/strict"

const details = {
  pr_number: 42,
  pr_branch: "feature/orders-rollup",
  base_branch: "main",
  pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
}

test("triggers a run on Bun and handles a 422 by tag", async () => {
  const server = await startLocalDatafoldServer({ ciConfigIds: [7] })
  try {
    const trigger = triggerCiRun(7, details).pipe(
      Effect.map((job) => `triggered ${job.ci_run_id}`),
      Effect.catchTags({
        DatafoldValidationError: (error) =>
          Effect.succeed(`rejected: ${error.detail.map((item) => item.loc.join(".")).join(", ")}`)
      }),
      Effect.provide(clientLayerFor(server, { retries: 0 }))
    )

    assert.equal(await Effect.runPromise(trigger), "triggered 1")
    assert.equal(server.requests()[0]?.headers["user-agent"], USER_AGENT)

    server.inject(Fault.validation())
    assert.equal(await Effect.runPromise(trigger), "rejected: body.pr_sha")
    assert.equal(server.runs().length, 1)
  } finally {
    await server.close()
  }
})
