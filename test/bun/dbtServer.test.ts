/**
 * The local server's dbt endpoints under Bun (its `node:http` and `node:buffer`, `fflate`
 * from node_modules): an archive uploaded by `fetch` with `FormData` is kept byte for byte,
 * the PR build's upload creates a run, and a cut upload is reset before any answer.
 * Run with `npm run test:bun`.
 */
import { test } from "bun:test"
import { Redacted } from "effect"
import { Fault, startLocalDatafoldServer } from "effect-datafold/testing"
import { zipSync } from "fflate"
import assert from "node:assert/strict"

const encoder = new TextEncoder()
const archive = zipSync({
  "manifest.json": encoder.encode('{"nodes":{}}'),
  "compiled/orders.sql": encoder.encode("select 1\n")
})
const sha = "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3"

test("takes dbt artifacts on Bun, and a cut upload is reset", async () => {
  const server = await startLocalDatafoldServer()
  const url = `${server.url}/api/v1/dbt/submit_artifacts/3`
  const authorization = `Key ${Redacted.value(server.apiKey)}`
  try {
    const data = new FormData()
    data.append("commit_sha", sha)
    data.append("run_type", "pull_request")
    data.append("artifacts", new Blob([archive], { type: "application/zip" }), "artifacts.zip")
    const sent = await fetch(url, { method: "POST", headers: { authorization }, body: data })
    assert.deepEqual([sent.status, await sent.json()], [200, { status: "ok" }])
    assert.deepEqual(server.dbtUploads()[0]?.archive, archive)
    assert.deepEqual(server.dbtUploads()[0]?.entries.map((entry) => entry.name), [
      "manifest.json",
      "compiled/orders.sql"
    ])
    assert.deepEqual(server.runs().map((run) => `${run.source} ${run.pr_sha} ${run.status}`), [`dbt ${sha} running`])

    server.inject(Fault.cutUpload(1024), { endpoint: "dbtUpload" })
    await assert.rejects(fetch(url, { method: "POST", headers: { authorization }, body: new Uint8Array(1 << 20) }))
    assert.equal(server.dbtUploads().length, 1)
  } finally {
    await server.close()
  }
})
