/**
 * The local server's dbt endpoints as a dbt Core pipeline meets them, on loopback: real
 * archives made by Debian's `zip -r` and sent by `curl -F` and by `fetch` with
 * `FormData`, a chunked multipart body, every refusal (401, 403, 404, 422, 400), the run
 * a PR build's upload creates, the post-upload check, the primary-key check on a small
 * manifest, and the faults aimed at dbt's endpoints, the cut upload among them.
 */
import { execFile } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import * as http from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"

const run = promisify(execFile)
const apiKey = "dfk_test_dbt_0123456789abcdef0123456789"
const sha = "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3"
const prodSha = "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
const manifest = readFileSync(join(import.meta.dirname, "fixtures", "dbt", "manifest.json"))

const dirs: Array<string> = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "dbt-server-"))
  dirs.push(dir)
  return dir
}

/** A dbt target folder zipped by Debian's `zip -r` from inside it, so paths are relative to it. */
const zipOf = async (
  files: Record<string, string | Uint8Array>
): Promise<{ path: string; bytes: Uint8Array<ArrayBuffer> }> => {
  const dir = tempDir()
  const target = join(dir, "target")
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(target, name, ".."), { recursive: true })
    writeFileSync(join(target, name), content)
  }
  await run("zip", ["-q", "-r", join(dir, "artifacts.zip"), "."], { cwd: target })
  return { path: join(dir, "artifacts.zip"), bytes: new Uint8Array(readFileSync(join(dir, "artifacts.zip"))) }
}

let server: LocalDatafoldServer
let artifacts: { path: string; bytes: Uint8Array<ArrayBuffer> }
beforeAll(async () => {
  server = await startLocalDatafoldServer({ apiKey, ciConfigIds: [1, 2] })
  artifacts = await zipOf({
    "manifest.json": manifest,
    "run_results.json": JSON.stringify({ results: [] }),
    "compiled/shop/models/marts/orders.sql": "select 1 as order_id\n",
    "graph_summary.json": ""
  })
})
afterAll(async () => {
  await server.close()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => server.reset())

const key = `Key ${apiKey}`
const uploadUrl = (id: number | string = 1) => `${server.url}/api/v1/dbt/submit_artifacts/${id}`
const checkUrl = (id: number | string = 1) => `${server.url}/api/v1/dbt/post_upload_check_artifacts/${id}`
const pksUrl = (id: number | string = 1) => `${server.url}/api/internal/ci/${id}/check_pks_in_dbt_manifest`

const curlUpload = async (fields: ReadonlyArray<string>, url = uploadUrl()) => {
  const args = ["-s", "-S", "-H", `Authorization: ${key}`, ...fields.flatMap((field) => ["-F", field])]
  const { stdout } = await run("curl", [...args, "-w", "\n%{http_code}", url])
  const lines = stdout.split("\n")
  return { status: Number(lines.at(-1)), body: JSON.parse(lines.slice(0, -1).join("\n")) as unknown }
}

const form = (fields: Record<string, string>, archive?: Uint8Array<ArrayBuffer>) => {
  const data = new FormData()
  for (const [name, value] of Object.entries(fields)) data.append(name, value)
  if (archive !== undefined) data.append("artifacts", new Blob([archive], { type: "application/zip" }), "artifacts.zip")
  return data
}

const post = (url: string, body: BodyInit, headers: Record<string, string> = {}, authorization: string | null = key) =>
  fetch(url, { method: "POST", headers: { ...(authorization === null ? {} : { authorization }), ...headers }, body })

const answer = async (response: Response) => ({ status: response.status, body: await response.json() as unknown })

const missing = (name: string) => ({ type: "missing", loc: ["body", name], msg: "Field required", input: null })

describe("submit_artifacts: the upload of a dbt target folder", () => {
  it("takes a `zip -r` archive sent by `curl -F` and keeps it byte for byte, with its entries", async () => {
    const sent = await curlUpload([`commit_sha=${prodSha}`, "run_type=production", `artifacts=@${artifacts.path}`])
    expect(sent).toStrictEqual({ status: 200, body: { status: "ok" } })
    const [upload] = server.dbtUploads()
    expect(upload).toMatchObject({ ciConfigId: 1, runType: "production", commitSha: prodSha, runId: undefined })
    expect(Buffer.from(upload!.archive).equals(Buffer.from(artifacts.bytes))).toBe(true)
    const { stdout } = await run("unzip", ["-Z1", artifacts.path])
    expect(upload!.entries.map((entry) => entry.name)).toStrictEqual(stdout.trim().split("\n"))
    expect(upload!.entries.find((entry) => entry.name === "manifest.json")?.size).toBe(manifest.length)
    expect(upload!.entries.find((entry) => entry.name === "graph_summary.json")?.size).toBe(0)
    // A production build's artifacts start no run.
    expect(server.runs()).toStrictEqual([])
    const [request] = server.requests()
    expect(request).toMatchObject({ method: "POST", endpoint: "dbtUpload", url: "/api/v1/dbt/submit_artifacts/1" })
    expect(request!.body).toBe(
      `<not recorded: ${request!.headers["content-length"]} bytes of multipart/form-data>`
    )
  })

  it("reads a name that is not ASCII as UTF-8, as Debian's zip writes it (without ZIP's UTF-8 flag)", async () => {
    const named = await zipOf({ "manifest.json": "{}", "compiled/ünïcødé €.sql": "select 1\n" })
    const sent = await curlUpload([`commit_sha=${sha}`, "run_type=production", `artifacts=@${named.path}`])
    expect(sent.status).toBe(200)
    // In the order zip found the files on disk, which is the file system's.
    const entries = [...(server.dbtUploads()[0]?.entries ?? [])].sort((a, b) => a.name.localeCompare(b.name))
    expect(entries).toStrictEqual([
      { name: "compiled/", size: 0 },
      { name: "compiled/ünïcødé €.sql", size: 9 },
      { name: "manifest.json", size: 2 }
    ])
  })

  it("takes the same archive from fetch with FormData, run_id included", async () => {
    const response = await post(
      uploadUrl(2),
      form({ commit_sha: sha, run_type: "pull_request", run_id: "build-77" }, artifacts.bytes)
    )
    expect(await answer(response)).toStrictEqual({ status: 200, body: { status: "ok" } })
    const [upload] = server.dbtUploads()
    expect(upload).toMatchObject({ ciConfigId: 2, runType: "pull_request", commitSha: sha, runId: "build-77" })
    expect(Buffer.from(upload!.archive).equals(Buffer.from(artifacts.bytes))).toBe(true)
  })

  it("takes a chunked multipart body (no Content-Length), parts in the Python SDK's order", async () => {
    const boundary = "sdk-boundary-4f1c"
    const head = (name: string, extra = "") => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}`
    const pieces = [
      `${head("commit_sha")}\r\n\r\n${sha}\r\n`,
      `${head("run_type")}\r\n\r\npull_request\r\n`,
      `${head("run_id")}\r\n\r\n42\r\n`,
      `${head("artifacts", '; filename="artifacts.zip"')}\r\nContent-Type: application/zip\r\n\r\n`,
      ...Array.from({ length: 7 }, (_, i) => artifacts.bytes.subarray(i * 1000, (i + 1) * 1000)),
      artifacts.bytes.subarray(7000),
      `\r\n--${boundary}--\r\n`
    ].map((piece) => (typeof piece === "string" ? new TextEncoder().encode(piece) : piece))
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        const next = pieces.shift()
        if (next === undefined) controller.close()
        else controller.enqueue(next)
      }
    })
    const response = await fetch(uploadUrl(), {
      method: "POST",
      headers: { authorization: key, "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half"
    } as RequestInit)
    expect(await answer(response)).toStrictEqual({ status: 200, body: { status: "ok" } })
    const [request] = server.requests()
    expect(request?.headers["transfer-encoding"]).toBe("chunked")
    expect(request?.headers["content-length"]).toBeUndefined()
    const [upload] = server.dbtUploads()
    expect(upload).toMatchObject({ runType: "pull_request", commitSha: sha, runId: "42" })
    expect(Buffer.from(upload!.archive).equals(Buffer.from(artifacts.bytes))).toBe(true)
  })

  it("401 without the header, 403 with a wrong key, 404 for an unknown config, a wrong method or path", async () => {
    const body = () => form({ commit_sha: sha, run_type: "pull_request" }, artifacts.bytes)
    expect(await answer(await post(uploadUrl(), body(), {}, null))).toStrictEqual({
      status: 401,
      body: { detail: "Not authenticated" }
    })
    expect(await answer(await post(uploadUrl(), body(), {}, "Key nope"))).toStrictEqual({
      status: 403,
      body: { detail: "Invalid API key" }
    })
    expect(await answer(await post(uploadUrl(3), body()))).toStrictEqual({ status: 404, body: { detail: "Not Found" } })
    const wrongMethod = await fetch(uploadUrl(), { headers: { authorization: key } })
    expect([wrongMethod.status, await wrongMethod.text()]).toStrictEqual([404, ""])
    const unknown = await post(`${server.url}/api/v1/dbt/submit_artifact/1`, body())
    expect(unknown.status).toBe(404)
    expect(server.dbtUploads()).toStrictEqual([])
    expect(server.requests().map((request) => request.endpoint)).toStrictEqual([
      "dbtUpload",
      "dbtUpload",
      "dbtUpload",
      "dbtUpload",
      "other"
    ])
  })

  it("422 with FastAPI's items: fields missing or empty, a run_type outside the two, a bad path", async () => {
    const response = await post(uploadUrl("x"), form({ commit_sha: "", run_type: "staging" }))
    expect(await answer(response)).toStrictEqual({
      status: 422,
      body: {
        detail: [
          {
            type: "int_parsing",
            loc: ["path", "ci_config_id"],
            msg: "Input should be a valid integer, unable to parse string as an integer",
            input: "x"
          },
          missing("commit_sha"),
          {
            type: "enum",
            loc: ["body", "run_type"],
            msg: "Input should be 'production' or 'pull_request'",
            input: "staging",
            ctx: { expected: "'production' or 'pull_request'" }
          },
          missing("artifacts")
        ]
      }
    })
  })

  it("422: a body that is no form has none of the fields; the file sent as text is not a file", async () => {
    const json = await post(uploadUrl(), JSON.stringify({ commit_sha: sha, run_type: "production" }), {
      "content-type": "application/json"
    })
    expect(await answer(json)).toStrictEqual({
      status: 422,
      body: { detail: [missing("commit_sha"), missing("run_type"), missing("artifacts")] }
    })
    const encoded = await post(uploadUrl(), new URLSearchParams({ commit_sha: sha, run_type: "production" }))
    expect(await answer(encoded)).toStrictEqual({ status: 422, body: { detail: [missing("artifacts")] } })
    const asText = await post(uploadUrl(), form({ commit_sha: sha, run_type: "production", artifacts: "PK" }))
    expect(await answer(asText)).toStrictEqual({
      status: 422,
      body: {
        detail: [{
          type: "value_error",
          loc: ["body", "artifacts"],
          msg: "Value error, Expected UploadFile, received: <class 'str'>",
          input: "PK",
          ctx: { error: {} }
        }]
      }
    })
    expect(server.dbtUploads()).toStrictEqual([])
  })

  it("400: a file that is not a ZIP, an archive without manifest.json at its root, a body that is not multipart", async () => {
    const notZip = await post(uploadUrl(), form({ commit_sha: sha, run_type: "production" }, new Uint8Array(manifest)))
    expect(await answer(notZip)).toStrictEqual({
      status: 400,
      body: { detail: "The artifacts file is not a valid ZIP archive" }
    })
    const nested = await zipOf({ "target/manifest.json": manifest, "run_results.json": "{}" })
    const noManifest = await curlUpload([`commit_sha=${sha}`, "run_type=production", `artifacts=@${nested.path}`])
    expect(noManifest).toStrictEqual({
      status: 400,
      body: { detail: "The artifacts archive has no manifest.json at its root" }
    })
    const truncated = `--b\r\nContent-Disposition: form-data; name="commit_sha"\r\n\r\n${sha}`
    const unreadable = await post(uploadUrl(), truncated, { "content-type": "multipart/form-data; boundary=b" })
    expect(await answer(unreadable)).toStrictEqual({
      status: 400,
      body: { detail: "There was an error parsing the body" }
    })
    expect(server.dbtUploads()).toStrictEqual([])
  })
})

describe("the run a dbt upload creates", () => {
  it("a pull_request upload creates a running dbt run for its commit, based on the latest production upload", async () => {
    await curlUpload([`commit_sha=${prodSha}`, "run_type=production", `artifacts=@${artifacts.path}`])
    await curlUpload([`commit_sha=${sha}`, "run_type=pull_request", `artifacts=@${artifacts.path}`])
    expect(server.runs().map((run) => ({ ...run }))).toStrictEqual([{
      id: 1,
      base_branch: "main",
      base_sha: prodSha,
      pr_branch: "feature",
      pr_sha: sha,
      pr_num: "1",
      status: "running",
      source: "dbt"
    }])
    expect(server.dbtUploads().map((upload) => upload.ciRunId)).toStrictEqual([undefined, 1])
    const listed = await fetch(`${server.url}/api/v1/ci/1/runs?pr_sha=${sha}&limit=1`, {
      headers: { authorization: key }
    })
    expect(await listed.json()).toMatchObject([{ id: 1, pr_sha: sha, source: "dbt", status: "running" }])
    // The run takes no diffs: it is not a triggered run waiting for them.
    const diffs = await post(`${server.url}/api/v1/ci/1/1`, JSON.stringify([{ prod: "a", pr: "b" }]), {
      "content-type": "application/json"
    })
    expect(diffs.status).toBe(404)
  })

  it("dbtPullRequest gives the run its PR facts; createDbtRuns: false creates none", async () => {
    const facts = await startLocalDatafoldServer({
      apiKey,
      dbtPullRequest: { prNumber: 77, prBranch: "feature/orders", baseBranch: "develop", baseSha: prodSha },
      runStatuses: ["running", "done"]
    })
    const none = await startLocalDatafoldServer({ apiKey, createDbtRuns: false })
    try {
      for (const target of [facts, none]) {
        const response = await post(
          `${target.url}/api/v1/dbt/submit_artifacts/5`,
          form({ commit_sha: sha, run_type: "pull_request" }, artifacts.bytes)
        )
        expect(response.status).toBe(200)
      }
      expect(facts.runs().map((run) => ({ ...run }))).toStrictEqual([{
        id: 1,
        base_branch: "develop",
        base_sha: prodSha,
        pr_branch: "feature/orders",
        pr_sha: sha,
        pr_num: "77",
        status: "running",
        source: "dbt"
      }])
      expect(none.runs()).toStrictEqual([])
      expect(none.dbtUploads()).toHaveLength(1)
      expect(none.dbtUploads()[0]?.ciRunId).toBeUndefined()
    } finally {
      await facts.close()
      await none.close()
    }
  })
})

describe("post_upload_check_artifacts", () => {
  it('answers {"status":"ok"} once an upload of that commit and run type exists, {"status":"missing"} before', async () => {
    const check = (fields: Record<string, string>, id: number | string = 1) =>
      post(checkUrl(id), new URLSearchParams(fields)).then(answer)
    const fields = { commit_sha: sha, run_type: "pull_request", branch: "feature" }
    expect(await check(fields)).toStrictEqual({ status: 200, body: { status: "missing" } })
    await post(uploadUrl(), form({ commit_sha: sha, run_type: "pull_request" }, artifacts.bytes))
    expect(await check(fields)).toStrictEqual({ status: 200, body: { status: "ok" } })
    expect(await answer(await post(checkUrl(), form(fields)))).toStrictEqual({ status: 200, body: { status: "ok" } })
    expect(await check({ ...fields, run_type: "production" })).toStrictEqual({
      status: 200,
      body: { status: "missing" }
    })
    expect(await check(fields, 2)).toStrictEqual({ status: 200, body: { status: "missing" } })
    expect(await check(fields, 3)).toStrictEqual({ status: 404, body: { detail: "Not Found" } })
    expect(await check({ run_type: "nightly" })).toMatchObject({
      status: 422,
      body: { detail: [missing("commit_sha"), { type: "enum", input: "nightly" }, missing("branch")] }
    })
    expect(await answer(await post(checkUrl(), "{}", { "content-type": "application/json" }))).toStrictEqual({
      status: 422,
      body: { detail: [missing("commit_sha"), missing("run_type"), missing("branch")] }
    })
    expect((await post(checkUrl(), new URLSearchParams(fields), {}, null)).status).toBe(401)
    expect(server.requests().at(-1)?.body).toBe(new URLSearchParams(fields).toString())
  })
})

describe("check_pks_in_dbt_manifest", () => {
  it("answers one item per model, in unique_id order, with its table, primary key and warnings", async () => {
    const response = await post(pksUrl(), manifest, { "content-type": "application/json" })
    expect(await answer(response)).toStrictEqual({
      status: 200,
      body: [
        {
          source: "dbt",
          sql_table: ["analytics", "prod", "dim_customers"],
          sql_pks: ["customer_id", "region"],
          dbt_fqn: ["shop", "marts", "customers"],
          dbt_pks: ["customer_id", "region"],
          dbt_original_file_path: "models/marts/customers.sql",
          warnings: []
        },
        {
          source: "dbt",
          sql_table: ["analytics", "prod", "events"],
          sql_pks: [],
          dbt_fqn: ["shop", "events"],
          dbt_pks: [],
          dbt_original_file_path: "models/events.sql",
          warnings: ["No primary key defined"]
        },
        {
          source: "dbt",
          sql_table: ["analytics", "prod", "orders"],
          sql_pks: ["order_id"],
          dbt_fqn: ["shop", "marts", "orders"],
          dbt_pks: ["order_id"],
          dbt_original_file_path: "models/marts/orders.sql",
          dbt_patch_path: "shop://models/marts/schema.yml",
          warnings: []
        },
        {
          source: "dbt",
          sql_table: ["analytics", "staging", "stg_payments"],
          sql_pks: ["payment_id"],
          dbt_fqn: ["shop", "staging", "stg_payments"],
          dbt_pks: ["payment_id"],
          dbt_original_file_path: "models/staging/stg_payments.sql",
          warnings: []
        }
      ]
    })
    expect(server.requests()[0]?.body).toBe(manifest.toString("utf8"))
  })

  it("422 for a body that is not JSON, is empty, or has no nodes; 401, 403, 404 as elsewhere", async () => {
    const json = { "content-type": "application/json" }
    expect(await answer(await post(pksUrl(), "{oops", json))).toStrictEqual({
      status: 422,
      body: { detail: [{ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error" }] }
    })
    expect(await answer(await post(pksUrl(), "", json))).toStrictEqual({
      status: 422,
      body: { detail: [{ type: "missing", loc: ["body"], msg: "Field required", input: null }] }
    })
    expect(await answer(await post(pksUrl(), '{"metadata":{}}', json))).toStrictEqual({
      status: 422,
      body: { detail: [missing("nodes")] }
    })
    expect(await answer(await post(pksUrl(), "[1]", json))).toStrictEqual({
      status: 422,
      body: { detail: [{ type: "dict_type", loc: ["body"], msg: "Input should be a valid dictionary", input: null }] }
    })
    expect((await post(pksUrl(), manifest, json, null)).status).toBe(401)
    expect((await post(pksUrl(), manifest, json, "Key nope")).status).toBe(403)
    expect(await answer(await post(pksUrl(3), manifest, json))).toStrictEqual({
      status: 404,
      body: { detail: "Not Found" }
    })
  })

  it("a manifest over 64 KiB is answered in full and recorded as its size only", async () => {
    const nodes = Object.fromEntries(
      Array.from({ length: 800 }, (_, i) => [`model.big.m${String(i).padStart(4, "0")}`, {
        resource_type: "model",
        database: "db",
        schema: "s",
        name: `m${i}`,
        fqn: ["big", `m${i}`],
        original_file_path: `models/m${i}.sql`,
        description: "x".repeat(100),
        config: { meta: { primary_key: "id" } }
      }])
    )
    const big = JSON.stringify({ nodes })
    expect(big.length).toBeGreaterThan(64 * 1024)
    const response = await post(pksUrl(), big, { "content-type": "application/json" })
    const items = (await response.json()) as Array<{ sql_table: Array<string> }>
    expect(items).toHaveLength(800)
    expect(items[0]?.sql_table).toStrictEqual(["db", "s", "m0"])
    expect(server.requests()[0]?.body).toBe(`<not recorded: ${big.length} bytes of application/json>`)
  })
})

describe("faults on dbt's endpoints", () => {
  /** Sends `total` bytes of a multipart-looking body in 64 KiB writes; resolves what the client saw. */
  const slowUpload = (total: number) =>
    new Promise<{ readonly answered: boolean; readonly error: string | undefined; readonly sent: number }>(
      (resolve) => {
        let answered = false
        let sent = 0
        const request = http.request(uploadUrl(), {
          method: "POST",
          headers: { authorization: key, "content-type": "multipart/form-data; boundary=b", "content-length": total }
        })
        request.once("response", (response) => {
          answered = true
          response.resume()
          response.once("end", () => resolve({ answered, error: undefined, sent }))
        })
        request.once("error", (error: NodeJS.ErrnoException) => resolve({ answered, error: error.code, sent }))
        const chunk = new Uint8Array(64 * 1024)
        const write = () => {
          while (sent < total) {
            sent += chunk.length
            if (!request.write(chunk)) return void request.once("drain", write)
          }
          request.end()
        }
        write()
      }
    )

  it("cutUpload resets the connection part-way through the body, before any answer", async () => {
    server.inject(Fault.cutUpload(256 * 1024), { endpoint: "dbtUpload" })
    const seen = await slowUpload(8 * 1024 * 1024)
    expect(seen.answered).toBe(false)
    expect(["ECONNRESET", "EPIPE"]).toContain(seen.error)
    const [request] = server.requests()
    const cutAt = Number(/^<not recorded: cut after (\d+) bytes>$/.exec(request?.body ?? "")?.[1])
    expect(cutAt).toBeGreaterThanOrEqual(256 * 1024)
    expect(cutAt).toBeLessThan(8 * 1024 * 1024)
    expect(server.dbtUploads()).toStrictEqual([])
    // The fault is spent: the next upload goes through.
    const next = await curlUpload([`commit_sha=${sha}`, "run_type=production", `artifacts=@${artifacts.path}`])
    expect(next.status).toBe(200)
  })

  it("Respond (413, 401, 403, 422), Drop, LoseAnswer and Delay play on dbt's endpoints, and only there", async () => {
    const upload = () => post(uploadUrl(), form({ commit_sha: sha, run_type: "pull_request" }, artifacts.bytes))
    server.inject(Fault.payloadTooLarge(), { endpoint: "dbtUpload" })
    server.inject(Fault.unauthorized(), { endpoint: "dbtUpload" })
    server.inject(Fault.forbidden(), { endpoint: "dbtUpload" })
    server.inject(
      Fault.validation([{ loc: ["body", "artifacts"], msg: "File too large", type: "value_error" }]),
      { endpoint: "dbtUpload" }
    )
    const tooLarge = await upload()
    expect(tooLarge.status).toBe(413)
    expect(await tooLarge.text()).toContain("413 Request Entity Too Large")
    expect((await upload()).status).toBe(401)
    expect((await upload()).status).toBe(403)
    expect(await answer(await upload())).toStrictEqual({
      status: 422,
      body: { detail: [{ loc: ["body", "artifacts"], msg: "File too large", type: "value_error" }] }
    })
    expect(server.dbtUploads()).toStrictEqual([])

    server.inject(Fault.dropConnection(), { endpoint: "dbtUpload" })
    await expect(upload()).rejects.toThrow()
    expect(server.dbtUploads()).toStrictEqual([])
    server.inject(Fault.loseAnswer(), { endpoint: "dbtUpload" })
    await expect(upload()).rejects.toThrow()
    expect(server.dbtUploads()).toHaveLength(1)
    expect(server.runs()).toHaveLength(1)

    server.inject(Fault.slow(150), { endpoint: "dbtCheck" })
    server.inject(Fault.serverError(503), { endpoint: "checkPks" })
    const started = Date.now()
    const check = await post(
      checkUrl(),
      new URLSearchParams({ commit_sha: sha, run_type: "pull_request", branch: "f" })
    )
    expect(await answer(check)).toStrictEqual({ status: 200, body: { status: "ok" } })
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect((await post(pksUrl(), manifest, { "content-type": "application/json" })).status).toBe(503)
    expect((await post(pksUrl(), manifest, { "content-type": "application/json" })).status).toBe(200)
    expect(server.requests().map((request) => request.endpoint)).toStrictEqual([
      ...Array<string>(6).fill("dbtUpload"),
      "dbtCheck",
      "checkPks",
      "checkPks"
    ])
  })
})
