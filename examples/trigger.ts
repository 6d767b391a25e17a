/**
 * The smallest real program: trigger a Datafold PR/MR run.
 *
 *   DATAFOLD_API_KEY=... [DATAFOLD_HOST=https://app.datafold.com] npx tsx examples/trigger.ts
 *
 * The CI config id and PR facts come from the environment here so the example runs
 * anywhere; a CI job would pass its own values (or use the `datafold-ci` CLI).
 */
import { Cause, Console, Effect } from "effect"
import { DatafoldClient, triggerCiRun } from "effect-datafold"

const program = Effect.gen(function* () {
  const job = yield* triggerCiRun(Number(process.env.DATAFOLD_CI_CONFIG_ID ?? "1"), {
    pr_number: Number(process.env.PR_NUMBER ?? "42"),
    pr_branch: process.env.PR_BRANCH ?? "feature/orders-rollup",
    base_branch: process.env.BASE_BRANCH ?? "main",
    pr_sha: process.env.PR_SHA ?? "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
    base_sha: process.env.BASE_SHA ?? "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
  })
  yield* Console.log(`Triggered Datafold CI run ${job.ci_run_id} (data diff run ${job.run_id})`)
})

program.pipe(Effect.provide(DatafoldClient.Default), Effect.runPromiseExit).then((exit) => {
  if (exit._tag === "Failure") {
    console.error(Cause.pretty(exit.cause))
    process.exitCode = 1 // a failed CI step, on Node, Deno and Bun alike
  }
})
