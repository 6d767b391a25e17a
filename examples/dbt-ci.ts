/**
 * A dbt Core pull request build's Datafold step: upload the dbt target folder's artifacts,
 * then wait for the CI run Datafold starts for the commit, and say how it ended.
 *
 *   DATAFOLD_API_KEY=... DBT_TARGET=./target COMMIT_SHA=<the PR head> npx tsx examples/dbt-ci.ts
 *
 * In a pipeline, `npx datafold-ci dbt upload-and-wait --ci-config-id <id> --run-type
 * pull_request` does the same and finds the commit itself.
 */
import { Cause, Console, Effect } from "effect"
import { DatafoldClient, uploadDbtArtifacts, waitForRun } from "effect-datafold"

const ciConfigId = Number(process.env.DATAFOLD_CI_CONFIG_ID ?? "1")

const program = Effect.gen(function* () {
  const upload = yield* uploadDbtArtifacts(ciConfigId, {
    runType: "pull_request",
    targetFolder: process.env.DBT_TARGET ?? "./target",
    commitSha: process.env.COMMIT_SHA ?? "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3"
  })
  yield* Console.log(`Uploaded ${upload.files} files (${upload.archiveBytes} bytes zipped) for ${upload.commitSha}`)
  const run = yield* waitForRun(ciConfigId, { prSha: upload.commitSha }, {
    timeout: "30 minutes",
    onProgress: (progress) =>
      progress._tag === "Listed" && progress.changed
        ? Console.log(`Datafold CI run ${progress.run.id}: ${progress.run.status}`)
        : Effect.void
  })
  yield* Console.log(`Datafold CI run ${run.id} is ${run.status}`)
})

// The step fails (exit code 1, the error on stderr) when anything does: the upload is refused,
// the run fails, is cancelled or does not end in time, the key is missing. Each message says what to do.
program.pipe(Effect.provide(DatafoldClient.Default), Effect.runPromiseExit).then((exit) => {
  if (exit._tag === "Failure") {
    console.error(Cause.pretty(exit.cause))
    process.exitCode = 1 // a failed CI step, on Node, Deno and Bun alike
  }
})
