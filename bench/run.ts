/**
 * `npm run bench`: every figure in one run, against a loopback server in its own
 * process, printed as a table and written to `bench/results.json`.
 *
 * Figures are ratios against a baseline measured in the same run, because the machine
 * is shared and noisy. Traffic goes to 127.0.0.1 only; every loop is bounded and the
 * run stops by itself (a hard limit ends it after 10 minutes whatever happens).
 */
import { readFileSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import { fileURLToPath } from "node:url"
import { runColdStart } from "./coldStart.ts"
import { runConcurrency } from "./concurrency.ts"
import { startLoopbackServer } from "./loopbackServer.ts"
import { runPerCall } from "./perCall.ts"
import type { BenchResults } from "./results.ts"
import { runSize } from "./size.ts"
import { renderResults } from "./table.ts"

const HARD_LIMIT_MS = 10 * 60_000
const RESULTS = fileURLToPath(new URL("./results.json", import.meta.url))

const versionOf = (pkg: string): string => {
  try {
    const path = fileURLToPath(new URL(`../node_modules/${pkg}/package.json`, import.meta.url))
    return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version
  } catch {
    return "unknown"
  }
}

const step = (text: string): void => {
  process.stderr.write(`bench: ${text}\n`)
}

const main = async (): Promise<void> => {
  const started = performance.now()
  const loadAverageStart = os.loadavg()
  const server = await startLoopbackServer()
  step(`loopback server at ${server.host}`)
  try {
    step("per call: 2 000 sequential triggers per contender (client, floors, peers), 10 rounds of 200, order rotated")
    const perCall = await runPerCall(server.host)
    step("concurrency: 10 000 triggers at concurrency 64 per run, one process per run, 3 rounds")
    const concurrency = runConcurrency(server.host)
    step("cold start: CLI vs node:http script (the floor) vs node fetch script vs curl, 20 runs each, interleaved")
    const coldStart = runColdStart(server.host)
    if (coldStart.skipped) step(`cold start skipped: ${coldStart.reason}`)
    step("size: esbuild bundles")
    const size = await runSize()
    const cpus = os.cpus()
    const results: BenchResults = {
      date: new Date().toISOString(),
      elapsedMs: performance.now() - started,
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? "unknown",
        totalMemoryBytes: os.totalmem(),
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        node: process.versions.node,
        loadAverageStart,
        loadAverageEnd: os.loadavg()
      },
      versions: {
        effect: versionOf("effect"),
        "@effect/platform": versionOf("@effect/platform"),
        undici: versionOf("undici"),
        esbuild: versionOf("esbuild"),
        ofetch: versionOf("ofetch"),
        ky: versionOf("ky"),
        "openapi-fetch": versionOf("openapi-fetch")
      },
      perCall,
      concurrency,
      coldStart,
      size
    }
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`)
    console.log(renderResults(results))
    step(`wrote ${RESULTS}`)
  } finally {
    await server.stop()
  }
}

setTimeout(() => {
  console.error(`bench: gave up after the hard limit of ${HARD_LIMIT_MS / 60_000} minutes`)
  process.exit(1)
}, HARD_LIMIT_MS).unref()

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
