#!/usr/bin/env node
/**
 * `npm test`: every stage of the suite, in two lanes side by side, with each stage's time.
 *
 * Most of the suite waits on loopback servers, child processes and timers rather than on
 * the CPU, so two lanes finish well before one would on a two-core machine. Each stage is
 * an npm script (`npm run <stage>`), so any one of them can be run alone. A stage's output
 * is held while it runs and printed whole when it ends, so that two lanes never interleave
 * their lines. Every stage runs even when an earlier one failed; the exit code is 1 if any
 * failed. The last lines are a table of the stages' times.
 *
 * `node scripts/test-all.mjs [stage ...]` runs only the stages named (in their lanes).
 */
import { spawn } from "node:child_process"
import process from "node:process"

/** The lanes: the stages of a lane run one after another; the lanes run at once. */
const LANES = [
  ["check", "test:node", "test:node22", "test:node24"],
  ["test:consumer", "test:effect4", "test:deno", "test:bun"]
]

/** Run alone once the lanes are done: peak RSS measured on a quiet machine. */
const LAST = ["test:memory"]

/** Every stage, in the order the table lists them. */
const ALL = [...LANES.flat(), ...LAST]

const only = process.argv.slice(2)
const unknown = only.filter((stage) => !ALL.includes(stage))
if (unknown.length > 0) {
  process.stderr.write(
    `test-all: unknown stage(s) ${unknown.join(", ")}; stages: ${ALL.join(", ")}\n`
  )
  process.exit(2)
}
const chosen = (stage) => only.length === 0 || only.includes(stage)
const lanes = LANES.map((lane) => lane.filter(chosen))

const started = performance.now()
const seconds = (millis) => `${(millis / 1000).toFixed(1)} s`
const npm = process.platform === "win32" ? "npm.cmd" : "npm"

/** @type {Array<{ stage: string, code: number | null, millis: number }>} */
const results = []

/** @param {string} stage */
const runStage = (stage) =>
  new Promise((resolve) => {
    const begun = performance.now()
    process.stderr.write(`test-all: ${stage} started at ${seconds(begun - started)}\n`)
    /** @type {Array<Buffer>} */
    const output = []
    const child = spawn(npm, ["run", stage], {
      stdio: ["ignore", "pipe", "pipe"],
      // Colours as on a terminal, though the output is collected first.
      env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : (process.env["FORCE_COLOR"] ?? "0") }
    })
    child.stdout.on("data", (chunk) => output.push(chunk))
    child.stderr.on("data", (chunk) => output.push(chunk))
    child.on("close", (code) => {
      const millis = performance.now() - begun
      const verdict = code === 0 ? "passed" : `FAILED (exit ${code})`
      process.stdout.write(`\n===== ${stage}: ${verdict} in ${seconds(millis)} =====\n`)
      process.stdout.write(Buffer.concat(output))
      process.stdout.write(`===== end of ${stage} =====\n`)
      results.push({ stage, code, millis })
      resolve(undefined)
    })
  })

await Promise.all(lanes.map(async (lane) => {
  for (const stage of lane) await runStage(stage)
}))
for (const stage of LAST.filter(chosen)) await runStage(stage)

const total = performance.now() - started
results.sort((a, b) => ALL.indexOf(a.stage) - ALL.indexOf(b.stage))
const width = Math.max(...results.map((result) => result.stage.length))
process.stdout.write(`\ntest-all: stage times (two lanes side by side; ${seconds(total)} in all)\n`)
for (const { stage, code, millis } of results) {
  process.stdout.write(`  ${stage.padEnd(width)}  ${seconds(millis).padStart(8)}  ${code === 0 ? "ok" : "FAILED"}\n`)
}
const failed = results.filter((result) => result.code !== 0)
if (failed.length > 0) {
  process.stdout.write(`test-all: failed: ${failed.map((result) => result.stage).join(", ")}\n`)
  process.exit(1)
}
