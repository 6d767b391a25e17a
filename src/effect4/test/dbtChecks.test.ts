/**
 * The two dbt checks on the Effect 4 entry, over real loopback HTTP: whether Datafold
 * has a commit's artifacts (a form, as the SDK sends it) and a manifest's primary keys
 * (the file streamed as the body, its answer read up to 64 MiB); both only read, so both
 * are retried on transient failures.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { type DbtRecorder, startDbtRecorder } from "../../../test/support/dbtRecorder.ts"
import { makeTarget, type TargetFixture } from "../../../test/support/dbtTarget.ts"
import { checkDbtArtifacts, checkPrimaryKeys, clientLayer } from "../index.ts"

const apiKey = "dfk_effect4_dbt_checks_0123456789"
const commitSha = "8F14E45FCEEA167A5A36DEDD4BEA2543C0A1B2C3"

let recorder: DbtRecorder
let fixture: TargetFixture
beforeAll(async () => {
  recorder = await startDbtRecorder()
  fixture = makeTarget()
})
afterAll(async () => {
  await recorder.close()
  fixture.remove()
})

const layer = () =>
  clientLayer({ apiKey: Redacted.make(apiKey), host: recorder.url, retryBase: "10 millis" }).pipe(
    Layer.provide(FetchHttpClient.layer)
  )

const keyItem = {
  source: "dbt",
  sql_table: ["analytics", "prod", "orders"],
  sql_pks: ["order_id"],
  dbt_fqn: ["shop", "orders"],
  dbt_pks: ["order_id"],
  dbt_original_file_path: "models/orders.sql",
  warnings: []
}

describe("checkDbtArtifacts", () => {
  it.live("sends the form the SDK sends and reads the status", () =>
    Effect.gen(function* () {
      recorder.reset()
      recorder.script("check", { _tag: "Answer", status: 200, body: '{"status":"ok","extra":1}' }, {
        _tag: "Answer",
        status: 200,
        body: '{"status":"pending"}'
      })
      const options = { runType: "pull_request", branch: "feature/orders", commitSha } as const
      const ok = yield* checkDbtArtifacts(7, options).pipe(Effect.provide(layer()))
      const pending = yield* checkDbtArtifacts(7, options).pipe(Effect.provide(layer()))
      expect([ok.status, ok.ok, pending.status, pending.ok]).toStrictEqual(["ok", true, "pending", false])
      const [request] = recorder.requests()
      expect(request).toMatchObject({ method: "POST", url: "/api/v1/dbt/post_upload_check_artifacts/7" })
      expect(request!.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(request!.body.toString()).toBe(
        `commit_sha=${commitSha.toLowerCase()}&run_type=pull_request&branch=feature%2Forders`
      )
    }))

  it.live("a 503 and a 502 are retried: the check only reads", () =>
    Effect.gen(function* () {
      recorder.reset()
      recorder.script("check", { _tag: "Answer", status: 503, body: "" }, { _tag: "Answer", status: 502, body: "" })
      const status = yield* checkDbtArtifacts(7, { runType: "production", branch: "main", commitSha }).pipe(
        Effect.provide(layer())
      )
      expect(status.ok).toBe(true)
      expect(recorder.requests()).toHaveLength(3)
    }))

  it.live("bad input: every bad field named, nothing sent", () =>
    Effect.gen(function* () {
      recorder.reset()
      const error = yield* Effect.flip(
        checkDbtArtifacts(-1, { runType: "nightly", branch: "a..b", commitSha: "xyz" } as never).pipe(
          Effect.provide(layer())
        )
      )
      expect(error._tag === "DatafoldInputError" && error.issues.map((issue) => issue.field)).toStrictEqual([
        "ciConfigId",
        "runType",
        "branch",
        "commitSha"
      ])
      expect(recorder.requests()).toStrictEqual([])
    }))

  it.live("an answer of the wrong shape: DatafoldResponseError", () =>
    Effect.gen(function* () {
      recorder.reset()
      recorder.script("check", { _tag: "Answer", status: 200, body: '{"state":"ok"}' })
      const error = yield* Effect.flip(
        checkDbtArtifacts(7, { runType: "production", branch: "main", commitSha }).pipe(Effect.provide(layer()))
      )
      expect(error._tag).toBe("DatafoldResponseError")
    }))
})

describe("checkPrimaryKeys", () => {
  it.live("streams the manifest as the body and decodes each model's keys", () =>
    Effect.gen(function* () {
      recorder.reset()
      recorder.script("keys", {
        _tag: "Answer",
        status: 200,
        body: JSON.stringify([keyItem, { ...keyItem, dbt_patch_path: "shop://models/schema.yml", more: true }])
      })
      const manifest = join(fixture.dir, "manifest.json")
      const checks = yield* checkPrimaryKeys(7, manifest).pipe(Effect.provide(layer()))
      expect(checks.map((check) => check.dbt_patch_path)).toStrictEqual([null, "shop://models/schema.yml"])
      expect(checks[0]).toMatchObject(keyItem)
      const [request] = recorder.requests()
      expect(request).toMatchObject({ method: "POST", url: "/api/internal/ci/7/check_pks_in_dbt_manifest" })
      expect(request!.headers["content-type"]).toBe("application/json")
      expect(request!.body.equals(readFileSync(manifest))).toBe(true)
    }))

  it.live("an answer over 1 MiB is read (a big project lists thousands of models)", () =>
    Effect.gen(function* () {
      recorder.reset()
      const many = Array.from({ length: 6000 }, (_, i) => ({ ...keyItem, dbt_fqn: ["shop", `model_${i}`] }))
      const body = JSON.stringify(many)
      expect(body.length).toBeGreaterThan(1024 * 1024)
      recorder.script("keys", { _tag: "Answer", status: 200, body })
      const checks = yield* checkPrimaryKeys(7, join(fixture.dir, "manifest.json")).pipe(Effect.provide(layer()))
      expect(checks).toHaveLength(6000)
    }))

  it.live("an answer over 64 MiB is refused from its length", () =>
    Effect.gen(function* () {
      recorder.reset()
      recorder.script("keys", { _tag: "Answer", status: 200, body: "[", declaredLength: 64 * 1024 * 1024 + 1 })
      const error = yield* Effect.flip(
        checkPrimaryKeys(7, join(fixture.dir, "manifest.json")).pipe(Effect.provide(layer()))
      )
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({
        _tag: "DatafoldResponseError",
        problem: "the body is larger than the 64 MiB this client reads (at least 67108865 bytes)"
      })
    }))

  it.live("a 503 is retried, the manifest sent again whole", () =>
    Effect.gen(function* () {
      recorder.reset()
      recorder.script("keys", { _tag: "Answer", status: 503, body: "" })
      const manifest = join(fixture.dir, "manifest.json")
      yield* checkPrimaryKeys(7, manifest).pipe(Effect.provide(layer()))
      expect(recorder.requests().map((request) => request.body.equals(readFileSync(manifest)))).toStrictEqual([
        true,
        true
      ])
    }))

  const refusals: ReadonlyArray<readonly [string, number, () => string, Record<string, unknown>]> = [
    ["a manifest that does not exist", 7, () => join(fixture.dir, "nope.json"), {
      _tag: "DatafoldArtifactsError",
      reason: "FileNotFound",
      detail: "ENOENT"
    }],
    ["a folder given as the manifest", 7, () => fixture.dir, {
      _tag: "DatafoldArtifactsError",
      reason: "NotAFile"
    }],
    ["bad input", 0, () => " ", {
      _tag: "DatafoldInputError",
      issues: [
        { field: "ciConfigId", problem: expect.any(String) },
        { field: "manifest", problem: "must be a path (a string that is not blank)" }
      ]
    }]
  ]
  for (const [name, id, manifest, expected] of refusals) {
    it.live(`${name}: refused, nothing sent`, () =>
      Effect.gen(function* () {
        recorder.reset()
        const error = yield* Effect.flip(checkPrimaryKeys(id, manifest()).pipe(Effect.provide(layer())))
        expect(JSON.parse(JSON.stringify(error))).toMatchObject(expected)
        expect(recorder.requests()).toStrictEqual([])
      }))
  }
})
