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
})
