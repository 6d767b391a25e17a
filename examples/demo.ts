/**
 * `npm run demo`: the whole round trip, offline and without a key. It starts the bundled
 * local Datafold-compatible server on an ephemeral loopback port, triggers a PR run through
 * the library, shows the request that went over the wire and the decoded answer, uploads
 * the tables to diff to that run, shows a 422 from Datafold handled as a typed error, then
 * uploads a small dbt target folder's artifacts, waits for the CI run they start, and
 * reads the run's verdict: which tables its data diffs found different, and by how much.
 */
import { Console, Effect } from "effect"
import { DatafoldClient, runReport, submitCiDiffs, triggerCiRun, uploadDbtArtifacts, waitForRun } from "effect-datafold"
import { clientLayerFor, dataDiffsLayerFor, Fault, makeLocalDatafoldServer } from "effect-datafold/testing"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const details = {
  pr_number: 42,
  pr_branch: "feature/orders-rollup",
  base_branch: "main",
  pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
}

const demo = Effect.gen(function* () {
  // Each run the server lists goes from running to done, so the wait below ends.
  const server = yield* makeLocalDatafoldServer({ runStatuses: ["running", "done"] })
  yield* Console.log(`Local Datafold-compatible server listening on ${server.url} (no real Datafold is contacted)\n`)

  const run = Effect.gen(function* () {
    const client = yield* DatafoldClient
    const job = yield* triggerCiRun(7, details)
    const sent = server.requests().at(-1)
    yield* Console.log("1. Trigger a PR run")
    yield* Console.log(`   ${sent?.method} ${client.host}${sent?.url}`)
    yield* Console.log(`   Authorization: Key <redacted>   User-Agent: ${sent?.headers["user-agent"]}`)
    yield* Console.log(`   body: ${sent?.body}`)
    yield* Console.log(`   decoded answer: ci_run_id=${job.ci_run_id} run_id=${job.run_id}\n`)

    yield* Console.log("2. Upload the PR's changes (the tables to diff) to the run waiting for PR 42")
    const upload = yield* submitCiDiffs(7, details.pr_number, [
      { prod: "analytics.prod.orders", pr: "analytics.pr_42.orders", pk: ["id"], exclude_columns: ["updated_at"] }
    ])
    const received = server.uploads().at(-1)
    yield* Console.log(`   body: ${server.requests().at(-1)?.body}`)
    yield* Console.log(
      `   attached ${received?.diffs.length} diff to CI run ${received?.ciRunId}; decoded answer: ci_run_id=${upload.ci_run_id}\n`
    )

    yield* Console.log("3. Datafold refuses a request (422), handled as a typed error")
    server.inject(
      Fault.validation([{ loc: ["body", "base_sha"], msg: "Unknown commit for this repository", type: "value_error" }])
    )
    yield* triggerCiRun(7, details).pipe(
      Effect.catchTag("DatafoldValidationError", (error) =>
        Console.log(
          `   caught DatafoldValidationError: ${
            error.detail.map((item) => `${item.loc.join(".")}: ${item.msg}`).join("; ")
          }\n   message: ${error.message}\n`
        ))
    )
  })
  yield* Effect.provide(run, clientLayerFor(server))

  yield* Console.log("4. dbt Core: upload a target folder's artifacts, then wait for the CI run they start")
  const target = yield* Effect.acquireRelease(
    Effect.sync(() => {
      const dir = mkdtempSync(join(tmpdir(), "datafold-demo-"))
      mkdirSync(join(dir, "compiled", "models"), { recursive: true })
      writeFileSync(join(dir, "manifest.json"), JSON.stringify({ nodes: {}, metadata: { dbt_version: "1.8.0" } }))
      writeFileSync(join(dir, "run_results.json"), JSON.stringify({ results: [] }))
      writeFileSync(join(dir, "compiled", "models", "orders.sql"), "select * from raw.orders\n")
      return dir
    }),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )
  const dbt = Effect.gen(function* () {
    const upload = yield* uploadDbtArtifacts(7, {
      runType: "pull_request",
      targetFolder: target,
      commitSha: details.pr_sha
    })
    yield* Console.log(
      `   uploaded ${upload.files} files (${upload.bytes} bytes, ${upload.archiveBytes} zipped) as multipart/form-data`
    )
    const done = yield* waitForRun(7, { prSha: upload.commitSha }, {
      pollEvery: "100 millis",
      onProgress: (step) =>
        step._tag === "Listed" && step.changed
          ? Console.log(`   CI run ${step.run.id}: ${step.run.status}`)
          : Effect.void
    })
    yield* Console.log(`   Datafold CI run ${done.id} is ${done.status}\n`)
    return done
  })
  const done = yield* Effect.provide(dbt, clientLayerFor(server))

  yield* Console.log("5. The verdict: what the run's data diffs found (datafold-ci results prints the same)")
  const report = yield* runReport(7, done, { wait: { pollEvery: "100 millis" } }).pipe(
    Effect.provide(dataDiffsLayerFor(server))
  )
  for (const table of report.tables) {
    const rows = table.rows === null ? "" : `, rows +${table.rows.added} -${table.rows.removed} ~${table.rows.updated}`
    const columns = table.columns.map((column) => `${column.name} ${column.matchPercent}% matching`).join(", ")
    yield* Console.log(`   ${table.table2}: ${table.verdict}${rows}${columns === "" ? "" : `; ${columns}`}`)
    yield* Console.log(`   ${table.link}`)
  }
  yield* Console.log("")

  yield* Console.log("6. Against the real Datafold, set the key and (for dedicated deployments) the host:")
  yield* Console.log("   export DATAFOLD_API_KEY=...            # Settings → Account → API key")
  yield* Console.log("   export DATAFOLD_HOST=https://app.datafold.com")
  yield* Console.log("   npx tsx examples/trigger.ts            # or: npx datafold-ci trigger --ci-config-id <id>")
})

Effect.runPromise(Effect.scoped(demo)).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
