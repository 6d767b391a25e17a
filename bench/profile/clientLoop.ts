/**
 * A client-only loop for the CPU profiler: builds the client once and sends a bounded
 * number of sequential triggers to the loopback server at `BENCH_HOST`. Run it through
 * `profile/run.ts`, which starts the server, bundles this file without minifying (so
 * the profile has real line numbers) and summarises the profile.
 *
 * Usage: `BENCH_HOST=http://127.0.0.1:PORT node <bundle> [calls] [client|client-node|client-undici|fetch|undici|platform-floor]`
 */
import { type ClientUnderTest, makeBarePlatformUnderTest, makeClientUnderTest } from "../clientRuntime.ts"
import { fetchTrigger, makeUndiciTrigger } from "../floors.ts"
import { pinNodeFetchDispatcher } from "../undiciModule.ts"
import { triggerUrl } from "../workload.ts"

const host = process.env.BENCH_HOST ?? ""
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(host)) throw new Error(`BENCH_HOST must be a loopback base URL, not "${host}"`)
const calls = Math.min(Math.max(Number(process.argv[2] ?? 5000) || 5000, 1), 50_000)
const mode = process.argv[3] ?? "client"
const url = triggerUrl(host)

await pinNodeFetchDispatcher()
let subject: ClientUnderTest | undefined
if (mode === "client" || mode === "client-undici" || mode === "client-node") {
  subject = await makeClientUnderTest(host, mode === "client" ? "fetch" : mode === "client-node" ? "node" : "undici")
}
if (mode === "platform-floor") subject = await makeBarePlatformUnderTest(host)
const call = subject?.trigger ??
  (mode === "undici" ? await makeUndiciTrigger(url) : (n: number) => fetchTrigger(url, n))

for (let i = 0; i < Math.min(500, calls); i++) await call(i)
const cpuBefore = process.cpuUsage()
const started = performance.now()
for (let i = 0; i < calls; i++) await call(i)
const elapsed = performance.now() - started
const cpu = process.cpuUsage(cpuBefore)
console.log(
  JSON.stringify({ mode, calls, msPerCall: elapsed / calls, cpuMicrosPerCall: (cpu.user + cpu.system) / calls })
)
await subject?.dispose()
