/**
 * Which Node runs the suite. `npm test` runs vitest three times through
 * `scripts/with-node.mjs` (the machine's Node, then Node 22 and Node 24 from the
 * devDependencies), which sets DATAFOLD_TEST_NODE to the version it chose: the tests must
 * run on that Node, and so must every bare `node` they start.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"

const chosen = process.env["DATAFOLD_TEST_NODE"]

describe(`the Node running the tests: ${process.version}`, () => {
  it("is Node 20 or later", () => {
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(20)
  })

  it.runIf(chosen !== undefined)(`is the one scripts/with-node.mjs chose (${chosen})`, () => {
    expect(process.version).toBe(chosen)
  })

  it.runIf(chosen !== undefined)("a bare `node` started from a test is that same Node", () => {
    expect(execFileSync("node", ["--version"], { encoding: "utf8" }).trim()).toBe(chosen)
  })
})
