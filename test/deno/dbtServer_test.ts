/**
 * The local server's dbt endpoints under Deno (its `node:http` and `node:buffer`, `fflate`
 * from the import map's `npm:` specifier): an archive uploaded by `fetch` with `FormData`
 * and as a chunked stream is kept byte for byte, and a cut upload is reset before any
 * answer. Run with `npm run test:deno`.
 */
import { Fault, startLocalDatafoldServer } from "@effect-datafold/effect-datafold/testing"
import { Redacted } from "effect"
import { zipSync } from "fflate"
import assert from "node:assert/strict"

const encoder = new TextEncoder()
const archive = zipSync({
  "manifest.json": encoder.encode('{"nodes":{}}'),
  "compiled/orders.sql": encoder.encode("select 1\n")
})
const sha = "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3"

const form = () => {
  const data = new FormData()
  data.append("commit_sha", sha)
  data.append("run_type", "pull_request")
  data.append("artifacts", new Blob([archive], { type: "application/zip" }), "artifacts.zip")
  return data
}

Deno.test("takes dbt artifacts on Deno: FormData, a chunked stream, and a cut upload", async () => {
  const server = await startLocalDatafoldServer({ runStatuses: ["running", "done"] })
  const url = `${server.url}/api/v1/dbt/submit_artifacts/3`
  const authorization = `Key ${Redacted.value(server.apiKey)}`
  try {
    const sent = await fetch(url, { method: "POST", headers: { authorization }, body: form() })
    assert.deepEqual([sent.status, await sent.json()], [200, { status: "ok" }])
    const serialized = new Response(form())
    const contentType = serialized.headers.get("content-type") ?? ""
    const encoded = new Uint8Array(await serialized.arrayBuffer())
    const boundary = /boundary=(.+)$/.exec(contentType)?.[1] ?? ""
    const pieces = [encoded.subarray(0, 100), encoded.subarray(100)]
    const chunked = await fetch(url, {
      method: "POST",
      headers: { authorization, "content-type": `multipart/form-data; boundary=${boundary}` },
      body: new ReadableStream({ pull: (c) => void (pieces.length > 0 ? c.enqueue(pieces.shift()) : c.close()) })
    })
    assert.equal(chunked.status, 200)
    await chunked.body?.cancel()
    assert.equal(server.dbtUploads().length, 2)
    for (const upload of server.dbtUploads()) assert.deepEqual(upload.archive, archive)
    assert.deepEqual(server.runs().map((run) => `${run.source} ${run.pr_sha} ${run.status}`), [
      `dbt ${sha} running`,
      `dbt ${sha} running`
    ])

    server.inject(Fault.cutUpload(1024), { endpoint: "dbtUpload" })
    await assert.rejects(fetch(url, { method: "POST", headers: { authorization }, body: new Uint8Array(1 << 20) }))
    assert.match(server.requests().at(-1)?.body ?? "", /^<not recorded: cut after \d+ bytes>$/)
    assert.equal(server.dbtUploads().length, 2)
  } finally {
    await server.close()
  }
})
