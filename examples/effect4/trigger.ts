/**
 * An Effect 4 program on Deno, with `npm:` specifiers only: trigger a Datafold PR/MR run.
 *
 *   DATAFOLD_API_KEY=... deno run --allow-net --allow-env examples/effect4/trigger.ts
 *
 * Deno takes both packages from the project's node_modules (`npm install effect-datafold
 * effect@^4.1.0`), or downloads them itself with `"nodeModulesDir": "auto"` in deno.json.
 * The consumer tests run this file with Deno in a project holding only `effect@4` and the
 * packed tarball. (The repository's own `effect` is Effect 3, so this folder is left out of
 * its `tsc` and `deno check`.)
 */
import { Console, Effect } from "npm:effect@^4.1.0"
// deno-lint-ignore no-unversioned-import -- the version is the one in the project's node_modules
import { DatafoldClient, triggerCiRun } from "npm:effect-datafold/effect4"

const env = (name: string, fallback: string): string => Deno.env.get(name) ?? fallback

const program = Effect.gen(function* () {
  const job = yield* triggerCiRun(Number(env("DATAFOLD_CI_CONFIG_ID", "1")), {
    pr_number: Number(env("PR_NUMBER", "42")),
    pr_branch: env("PR_BRANCH", "feature/orders-rollup"),
    base_branch: env("BASE_BRANCH", "main"),
    pr_sha: env("PR_SHA", "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3"),
    base_sha: env("BASE_SHA", "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b")
  })
  yield* Console.log(`Triggered Datafold CI run ${job.ci_run_id} (data diff run ${job.run_id})`)
})

const exit = await program.pipe(
  Effect.provide(DatafoldClient.Default),
  Effect.tapCause(Effect.logError),
  Effect.runPromiseExit
)
if (exit._tag === "Failure") Deno.exitCode = 1
