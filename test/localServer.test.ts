/**
 * The local Datafold-compatible server as a user's own tests would meet it, spoken to
 * with plain `fetch`: auth, FastAPI-shaped 422s, unknown configs, runs, recording, faults.
 */
import { Redacted } from "effect"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"
import { details } from "./support/fixtures.ts"

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer({ ciConfigIds: [1, 2] })
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const authorization = () => `Key ${Redacted.value(server.apiKey)}`
const get = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: authorization() } })
const detailOf = async (response: Response) => {
  expect(response.status).toBe(422)
  return ((await response.json()) as { detail: Array<Record<string, unknown>> }).detail
}
const diffs = [{ prod: "analytics.prod.orders", pr: "analytics.pr_42.orders", pk: ["id"], exclude_columns: ["at"] }]

const post = (path: string, body: unknown, authorization: string | null = `Key ${Redacted.value(server.apiKey)}`) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization === null ? {} : { authorization }) },
    body: typeof body === "string" ? body : JSON.stringify(body)
  })

describe("local Datafold server", () => {
  it("listens on loopback and triggers a run", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await post("/api/v1/ci/1/trigger", details)
    expect(response.status).toBe(200)
    expect(await response.json()).toStrictEqual({ ci_run_id: 1, run_id: 100_001 })
    expect(server.runs()).toMatchObject([{ id: 1, pr_num: "42", pr_sha: details.pr_sha, status: "pending" }])
  })

  it("answers 401 without the header and 403 with a wrong key, as FastAPI would", async () => {
    const missing = await post("/api/v1/ci/1/trigger", details, null)
    expect(missing.status).toBe(401)
    expect(await missing.json()).toStrictEqual({ detail: "Not authenticated" })
    const wrong = await post("/api/v1/ci/1/trigger", details, "Key nope")
    expect(wrong.status).toBe(403)
    const bearer = await post("/api/v1/ci/1/trigger", details, `Bearer ${Redacted.value(server.apiKey)}`)
    expect(bearer.status).toBe(403)
    expect(server.runs()).toHaveLength(0)
  })

  it("answers 422 with FastAPI-shaped items for a bad body, and for malformed JSON", async () => {
    const { pr_sha: _, ...withoutSha } = details
    const invalid = await post("/api/v1/ci/1/trigger", { ...withoutSha, pr_number: "forty-two" })
    expect(invalid.status).toBe(422)
    const body = (await invalid.json()) as { detail: Array<{ loc: Array<string>; msg: string; type: string }> }
    expect(body.detail.map((item) => item.loc.join("."))).toEqual(
      expect.arrayContaining(["body.pr_number", "body.pr_sha"])
    )
    expect(body.detail.find((item) => item.loc.join(".") === "body.pr_sha")).toMatchObject({
      type: "missing",
      msg: "Field required"
    })
    const malformed = await post("/api/v1/ci/1/trigger", "{oops")
    expect(malformed.status).toBe(422)
    expect(server.runs()).toHaveLength(0)
  })

  it("validates a body sent as text/plain as the text it is, as FastAPI does (only JSON types are parsed)", async () => {
    const response = await fetch(`${server.url}/api/v1/ci/1/trigger`, {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: authorization() },
      body: JSON.stringify(details)
    })
    expect(await detailOf(response)).toStrictEqual([{
      type: "model_attributes_type",
      loc: ["body"],
      msg: "Input should be a valid dictionary or object to extract fields from",
      input: JSON.stringify(details)
    }])
    expect(server.runs()).toHaveLength(0)
  })

  it("answers 404 for an unknown CI config id", async () => {
    const response = await post("/api/v1/ci/3/trigger", details)
    expect(response.status).toBe(404)
    expect(await response.json()).toStrictEqual({ detail: "Not Found" })
  })

  it("lists runs filtered by PR SHA and number", async () => {
    await post("/api/v1/ci/1/trigger", details)
    await post("/api/v1/ci/1/trigger", { ...details, pr_number: 43 })
    await post("/api/v1/ci/2/trigger", details)
    const response = await fetch(`${server.url}/api/v1/ci/1/runs?pr_sha=${details.pr_sha}&pr_num=42`, {
      headers: { authorization: `Key ${Redacted.value(server.apiKey)}` }
    })
    expect(await response.json()).toMatchObject([{ id: 1, pr_num: "42" }])
  })

  it("records every request, faults included, and applies faults in order to the chosen endpoint", async () => {
    server.inject(Fault.serverError(503), { times: 2 })
    server.inject(Fault.notFound(), { endpoint: "runs" })
    expect((await post("/api/v1/ci/1/trigger", details)).status).toBe(503)
    expect((await post("/api/v1/ci/1/trigger", details)).status).toBe(503)
    expect((await post("/api/v1/ci/1/trigger", details)).status).toBe(200)
    const runs = await fetch(`${server.url}/api/v1/ci/1/runs`, {
      headers: { authorization: `Key ${Redacted.value(server.apiKey)}` }
    })
    expect(runs.status).toBe(404)
    expect(server.requests().map((request) => `${request.method} ${request.endpoint}`)).toStrictEqual([
      "POST trigger",
      "POST trigger",
      "POST trigger",
      "GET runs"
    ])
    expect(server.requests()[0]?.body).toBe(JSON.stringify(details))
  })

  it("a dropped connection is a network failure for the caller", async () => {
    server.inject(Fault.dropConnection())
    await expect(post("/api/v1/ci/1/trigger", details)).rejects.toThrow()
    expect(server.runs()).toHaveLength(0)
  })

  it("attaches uploaded diffs to the run waiting for the PR, and exposes them", async () => {
    await post("/api/v1/ci/1/trigger", details)
    const response = await post("/api/v1/ci/1/42", diffs)
    expect(response.status).toBe(200)
    expect(await response.json()).toStrictEqual({ ci_run_id: 1, run_id: 100_001 })
    expect(server.uploads()).toStrictEqual([{
      ciConfigId: 1,
      prNumber: 42,
      ciRunId: 1,
      diffs: [{ ...diffs[0], include_columns: [] }]
    }])
    expect(server.runs()).toMatchObject([{ id: 1, status: "running" }])
    expect(server.requests().map((request) => request.endpoint)).toStrictEqual(["trigger", "upload"])
  })

  it("answers 404 saying to trigger first when no run waits for the PR (none, or already given diffs)", async () => {
    const none = await post("/api/v1/ci/1/42", diffs)
    expect(none.status).toBe(404)
    expect(await none.json()).toStrictEqual({ detail: "No CI run is waiting for PR #42: trigger one first" })
    await post("/api/v1/ci/1/trigger", details)
    expect((await post("/api/v1/ci/1/42", diffs)).status).toBe(200)
    expect((await post("/api/v1/ci/1/42", diffs)).status).toBe(404)
    expect((await post("/api/v1/ci/3/42", diffs)).status).toBe(404)
    expect(server.uploads()).toHaveLength(1)
  })

  it("checks the key before the upload, and faults can target uploads", async () => {
    await post("/api/v1/ci/1/trigger", details)
    expect((await post("/api/v1/ci/1/42", diffs, null)).status).toBe(401)
    expect((await post("/api/v1/ci/1/42", diffs, "Key nope")).status).toBe(403)
    server.inject(Fault.serverError(503), { endpoint: "upload" })
    expect((await post("/api/v1/ci/1/42", diffs)).status).toBe(503)
    expect((await post("/api/v1/ci/1/42", diffs)).status).toBe(200)
  })

  it("422: a bad path parameter is reported at path, as FastAPI does", async () => {
    expect(await detailOf(await post("/api/v1/ci/abc/trigger", details))).toStrictEqual([{
      type: "int_parsing",
      loc: ["path", "ci_config_id"],
      msg: "Input should be a valid integer, unable to parse string as an integer",
      input: "abc"
    }])
    expect(await detailOf(await post("/api/v1/ci/1/12abc", diffs))).toStrictEqual([{
      type: "int_parsing",
      loc: ["path", "pr_num"],
      msg: "Input should be a valid integer, unable to parse string as an integer",
      input: "12abc"
    }])
  })

  it("422: a bad query parameter is one item at query, with pydantic's wording", async () => {
    expect(await detailOf(await get("/api/v1/ci/1/runs?limit=abc"))).toStrictEqual([{
      type: "int_parsing",
      loc: ["query", "limit"],
      msg: "Input should be a valid integer, unable to parse string as an integer",
      input: "abc"
    }])
    expect(await detailOf(await get("/api/v1/ci/1/runs?limit=0&offset=-1"))).toStrictEqual([
      {
        type: "greater_than_equal",
        loc: ["query", "limit"],
        msg: "Input should be greater than or equal to 1",
        input: "0",
        ctx: { ge: 1 }
      },
      {
        type: "greater_than_equal",
        loc: ["query", "offset"],
        msg: "Input should be greater than or equal to 0",
        input: "-1",
        ctx: { ge: 0 }
      }
    ])
    expect((await get("/api/v1/ci/1/runs?limit=1000&unknown=x")).status).toBe(200)
  })

  it("422: every body problem at once, one item each, with FastAPI's types and messages", async () => {
    const { pr_sha: _, ...withoutSha } = details
    const detail = await detailOf(await post("/api/v1/ci/x/trigger", { ...withoutSha, pr_branch: 1, pr_number: 4.5 }))
    expect(detail).toStrictEqual([
      {
        type: "int_parsing",
        loc: ["path", "ci_config_id"],
        msg: "Input should be a valid integer, unable to parse string as an integer",
        input: "x"
      },
      {
        type: "int_from_float",
        loc: ["body", "pr_number"],
        msg: "Input should be a valid integer, got a number with a fractional part",
        input: 4.5
      },
      { type: "string_type", loc: ["body", "pr_branch"], msg: "Input should be a valid string", input: 1 },
      {
        type: "missing",
        loc: ["body", "pr_sha"],
        msg: "Field required",
        input: { ...withoutSha, pr_branch: 1, pr_number: 4.5 }
      }
    ])
    expect(detail.every((item) => !String(item["msg"]).includes("Expected"))).toBe(true)
  })

  it("422: upload bodies are checked item by item", async () => {
    await post("/api/v1/ci/1/trigger", details)
    expect(await detailOf(await post("/api/v1/ci/1/42", { prod: "a", pr: "b" }))).toMatchObject([
      { type: "list_type", loc: ["body"], msg: "Input should be a valid list" }
    ])
    const detail = await detailOf(
      await post("/api/v1/ci/1/42", [{ prod: "a", pr: "b" }, { pr: 3, pk: "id", include_columns: [1] }, "x"])
    )
    expect(detail.map((item) => [item["type"], (item["loc"] as Array<unknown>).join(".")])).toStrictEqual([
      ["missing", "body.1.prod"],
      ["string_type", "body.1.pr"],
      ["set_type", "body.1.pk"],
      ["string_type", "body.1.include_columns.0"],
      ["model_attributes_type", "body.2"]
    ])
    expect(server.uploads()).toHaveLength(0)
  })
})

describe("runStatuses: the statuses a run shows, listing after listing", () => {
  const withStatuses = async (
    runStatuses: ReadonlyArray<string>,
    body: (server: LocalDatafoldServer) => Promise<void>
  ) => {
    const own = await startLocalDatafoldServer({ runStatuses })
    try {
      await body(own)
    } finally {
      await own.close()
    }
  }
  const call = (own: LocalDatafoldServer, path: string, body?: unknown) =>
    fetch(`${own.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Key ${Redacted.value(own.apiKey)}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
  const statuses = async (own: LocalDatafoldServer, query = "") =>
    ((await (await call(own, `/api/v1/ci/1/runs${query}`)).json()) as Array<{ id: number; status: string }>)
      .map((run) => `${run.id}:${run.status}`)

  it('["running", "done"]: the first listing that returns a run shows running, every later one done', async () => {
    await withStatuses(["running", "done"], async (own) => {
      await call(own, "/api/v1/ci/1/trigger", details)
      expect(own.runs()).toMatchObject([{ id: 1, status: "running" }])
      expect(await statuses(own)).toStrictEqual(["1:running"])
      await call(own, "/api/v1/ci/1/trigger", { ...details, pr_number: 43 })
      expect(await statuses(own)).toStrictEqual(["1:done", "2:running"])
      // A listing that does not return a run does not move it on.
      expect(await statuses(own, "?pr_num=42")).toStrictEqual(["1:done"])
      expect(await statuses(own, "?pr_num=42&limit=1")).toStrictEqual(["1:done"])
      expect(await statuses(own)).toStrictEqual(["1:done", "2:done"])
      expect(own.runs().map((run) => run.status)).toStrictEqual(["done", "done"])
    })
  })

  it('["running", "failed"] and ["cancelled"]: the last status sticks', async () => {
    await withStatuses(["running", "failed"], async (own) => {
      await call(own, "/api/v1/ci/1/trigger", details)
      expect([await statuses(own), await statuses(own), await statuses(own)]).toStrictEqual([
        ["1:running"],
        ["1:failed"],
        ["1:failed"]
      ])
    })
    await withStatuses(["cancelled"], async (own) => {
      await call(own, "/api/v1/ci/1/trigger", details)
      expect([await statuses(own), await statuses(own)]).toStrictEqual([["1:cancelled"], ["1:cancelled"]])
    })
  })

  it("diffs still attach to a triggered run, listed yet or not, and leave its sequence alone", async () => {
    await withStatuses(["queued", "running", "done"], async (own) => {
      await call(own, "/api/v1/ci/1/trigger", details)
      expect((await call(own, "/api/v1/ci/1/42", diffs)).status).toBe(200)
      expect(await statuses(own)).toStrictEqual(["1:queued"])
      await call(own, "/api/v1/ci/1/trigger", { ...details, pr_number: 43 })
      expect(await statuses(own)).toStrictEqual(["1:running", "2:queued"])
      expect((await call(own, "/api/v1/ci/1/43", diffs)).status).toBe(200)
      expect((await call(own, "/api/v1/ci/1/43", diffs)).status).toBe(404)
      expect(await statuses(own)).toStrictEqual(["1:done", "2:running"])
      expect(own.uploads().map((upload) => upload.ciRunId)).toStrictEqual([1, 2])
    })
  })

  it("an empty sequence is no sequence: pending, then running once the diffs arrive", async () => {
    await withStatuses([], async (own) => {
      await call(own, "/api/v1/ci/1/trigger", details)
      expect([await statuses(own), await statuses(own)]).toStrictEqual([["1:pending"], ["1:pending"]])
      await call(own, "/api/v1/ci/1/42", diffs)
      expect(await statuses(own)).toStrictEqual(["1:running"])
    })
  })
})
