/**
 * Profile the per-call path: start the loopback server, bundle `clientLoop.ts` with
 * esbuild (not minified, packages external, so frames carry real names and lines),
 * run it under `node --cpu-prof`, and print the self-time summary.
 *
 * Usage: `tsx bench/profile/run.ts [calls=5000] [mode=client] [top=30]`
 * Profiles are written to `bench/profile/out/` (ignored by git).
 */
import * as esbuild from "esbuild"
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { startLoopbackServer } from "../loopbackServer.ts"
import { summarize } from "./summarize.ts"

const OUT = fileURLToPath(new URL("./out/", import.meta.url))
const calls = process.argv[2] ?? "5000"
const mode = process.argv[3] ?? "client"
const top = Number(process.argv[4] ?? 30)

mkdirSync(OUT, { recursive: true })
const bundle = join(OUT, "clientLoop.mjs")
await esbuild.build({
  entryPoints: [fileURLToPath(new URL("./clientLoop.ts", import.meta.url))],
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: bundle,
  logLevel: "warning"
})
const server = await startLoopbackServer()
const startedAt = Date.now()
try {
  const out = execFileSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${OUT}`, bundle, calls, mode], {
    env: { ...process.env, BENCH_HOST: server.host },
    encoding: "utf8",
    timeout: 300_000
  })
  console.log(out.trim())
} finally {
  await server.stop()
}
const newest = readdirSync(OUT)
  .filter((name) => name.endsWith(".cpuprofile"))
  .map((name) => join(OUT, name))
  .filter((path) => statSync(path).mtimeMs >= startedAt)
  .sort((a, b) => statSync(b).size - statSync(a).size)[0]
if (newest === undefined) throw new Error("no profile was written")
const summary = summarize(JSON.parse(readFileSync(newest, "utf8")))
console.log(`profile: ${newest}\ntotal sampled: ${summary.total.toFixed(0)} ms\n\nself time by category`)
for (const row of summary.categories) {
  console.log(`${row.percent.toFixed(1).padStart(6)}%  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`)
}
console.log(`\ntop ${top} functions by self time`)
for (const row of summary.functions.slice(0, top)) {
  console.log(`${row.percent.toFixed(1).padStart(6)}%  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`)
}
