/**
 * The `datafold-ci` package as a CI runner gets it: the bundle's files, no dependencies,
 * the library's version, and a bin that triggers a run. Its tarball is packed once per
 * run by the global setup, through `scripts/tarballs.ts`.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "@effect/vitest"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { Redacted } from "effect"
import { startLocalDatafoldServer } from "../../src/testing.ts"
import { makeTarget } from "../support/dbtTarget.ts"
import { VERSION } from "../../src/version.ts"
import { installFlags, makeProject, run, succeed, workspace } from "./support/project.ts"

const tarball = inject("tarballs").cli
const build = inject("tarballs").cliBuild
const space = workspace()
let project: string
let installLog: string

beforeAll(async () => {
  project = makeProject(space.dir, "empty")
  installLog = await succeed("npm", ["install", ...installFlags, tarball.path], project)
})

afterAll(() => space.remove())

describe("the datafold-ci tarball", () => {
  it("holds the bundle's entry and chunks, package.json, README.md and LICENSE, nothing else", () => {
    const bundle = build.files.map((file) => `dist/${file.path}`)
    expect(bundle[0]).toBe("dist/datafold-ci.js")
    // The entry and the chunk files it loads: code splitting keeps each command's code out of the others' start.
    expect(bundle.slice(1).length).toBeGreaterThan(0)
    for (const chunk of bundle.slice(1)) expect(chunk).toMatch(/^dist\/chunks\/[\w-]+\.js$/)
    expect(tarball.files).toEqual(["LICENSE", "README.md", ...bundle, "package.json"].sort())
  })

  // 200 kB through version 0.2; 207 kB once results and the data diffs (with Effect's Stream
  // for the paged listing) joined, 0.3's commands (diff, doctor, diff dbt) still to come.
  it("is under 250 kB (gzipped)", () => {
    expect(statSync(tarball.path).size).toBeLessThan(250_000)
  })

  it("declares no dependencies of any kind, a datafold-ci bin and the library's version", async () => {
    const { dir, remove } = workspace()
    try {
      await succeed("tar", ["xzf", tarball.path, "-C", dir], dir)
      const manifest = JSON.parse(readFileSync(join(dir, "package", "package.json"), "utf8"))
      expect(manifest.name).toBe("datafold-ci")
      expect(manifest.version).toBe(VERSION)
      for (const kind of ["dependencies", "peerDependencies", "optionalDependencies", "bundleDependencies"]) {
        expect(manifest[kind], kind).toBeUndefined()
      }
      expect(manifest.bin).toEqual({ "datafold-ci": "dist/datafold-ci.js" })
      expect(readFileSync(join(dir, "package", "dist", "datafold-ci.js"), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/)
    } finally {
      remove()
    }
  })
})

describe("installed into an empty project", () => {
  it("adds exactly one package", async () => {
    expect(installLog).toMatch(/added 1 package\b/)
    const installed = readdirSync(join(project, "node_modules")).filter((name) => !name.startsWith("."))
    expect(installed).toEqual(["datafold-ci"])
    const listed = (await succeed("npm", ["ls", "--all", "--parseable"], project)).split("\n").filter(Boolean)
    expect(listed).toEqual([project, join(project, "node_modules", "datafold-ci")])
  })

  it("npx datafold-ci --version prints the library's version", async () => {
    const outcome = await run("npx", ["--offline", "datafold-ci", "--version"], project)
    expect(outcome.code, outcome.stderr).toBe(0)
    expect(outcome.stdout).toBe(`${VERSION}\n`)
  })

  it("the installed bin triggers a run against the local server", async () => {
    const server = await startLocalDatafoldServer()
    try {
      const outcome = await run(
        join(project, "node_modules", ".bin", "datafold-ci"),
        [
          "trigger",
          "--json",
          "--ci-config-id=5",
          "--pr-num=7",
          "--pr-branch=feature",
          "--base-branch=main",
          `--pr-sha=${"a".repeat(40)}`,
          `--base-sha=${"b".repeat(40)}`,
          `--host=${server.url}`
        ],
        project,
        { DATAFOLD_API_KEY: Redacted.value(server.apiKey) }
      )
      expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
      expect(JSON.parse(outcome.stdout)).toMatchObject({ ok: true, ci_run_id: 1 })
      expect(server.requests().map((request) => request.url)).toStrictEqual(["/api/v1/ci/5/trigger"])
      expect(outcome.stdout + outcome.stderr).not.toContain(Redacted.value(server.apiKey))
    } finally {
      await server.close()
    }
  })

  it("the installed bin uploads a dbt target folder and waits for its run (dbt upload-and-wait)", async () => {
    const server = await startLocalDatafoldServer({ runStatuses: ["running", "done"] })
    const target = makeTarget()
    try {
      const outcome = await run(
        join(project, "node_modules", ".bin", "datafold-ci"),
        [
          "dbt",
          "upload-and-wait",
          "--json",
          "--ci-config-id=5",
          "--run-type=pull_request",
          `--target-folder=${target.dir}`,
          `--commit-sha=${"a".repeat(40)}`,
          "--poll-interval=0.05",
          `--host=${server.url}`
        ],
        project,
        { DATAFOLD_API_KEY: Redacted.value(server.apiKey) }
      )
      expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
      expect(JSON.parse(outcome.stdout)).toMatchObject({
        ok: true,
        files: Object.keys(target.files).length,
        run: { status: "done" }
      })
      expect(server.dbtUploads()).toHaveLength(1)
      expect(outcome.stdout + outcome.stderr).not.toContain(Redacted.value(server.apiKey))
    } finally {
      target.remove()
      await server.close()
    }
  })
})
