/**
 * A client-only loop for the CPU profiler: starts the loopback server, builds the client
 * once, and sends a bounded number of sequential triggers.
 *
 * Usage: `node --cpu-prof --cpu-prof-dir=bench/profile/out --import tsx bench/profile/clientLoop.ts [calls] [fetch|undici|floor-fetch]`
 */
import { makeClientUnderTest } from "../clientRuntime.ts"
import { fetchTrigger, undiciTrigger } from "../floors.ts"
import { startLoopbackServer } from "../loopbackServer.ts"
import { triggerUrl } from "../workload.ts"

const calls = Math.min(Math.max(Number(process.argv[2] ?? 5000) || 5000, 1), 50_000)
const mode = process.argv[3] ?? "fetch"

const server = await startLoopbackServer()
try {
  const url = triggerUrl(server.host)
  const client = mode === "fetch" || mode === "undici" ? await makeClientUnderTest(server.host, mode) : undefined
  const call = client?.trigger ?? (mode === "floor-undici" ? () => undiciTrigger(url) : () => fetchTrigger(url))
  const started = performance.now()
  for (let i = 0; i < calls; i++) await call()
  const elapsed = performance.now() - started
  console.log(JSON.stringify({ mode, calls, msPerCall: elapsed / calls }))
  await client?.dispose()
} finally {
  await server.stop()
}
