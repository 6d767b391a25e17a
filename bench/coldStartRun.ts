/**
 * `npm run bench:coldstart`: the cold-start figure of `npm run bench` alone (the CLI, the
 * `node:http` floor, the Effect + Schema floor, a `fetch` script and curl against the
 * loopback server), for checking
 * the CLI's start-up without the minutes of the whole bench. Writes nothing.
 */
import { runColdStart } from "./coldStart.ts"
import { startLoopbackServer } from "./loopbackServer.ts"

const runs = Number(process.argv[2] ?? 20)
const server = await startLoopbackServer()
try {
  const result = runColdStart(server.host, { runs, warmupRuns: 2 })
  if (result.skipped) {
    console.log(`cold start skipped: ${result.reason}`)
    process.exitCode = 1
  } else {
    for (const row of result.rows) {
      console.log(
        `${row.contender.padEnd(30)} median ${row.medianMs.toFixed(1).padStart(7)} ms  p90 ${
          row.p90Ms.toFixed(1).padStart(7)
        } ms  ${row.ratio.toFixed(2)}×`
      )
    }
    console.log(`CLI / node:http script: ${result.ratio.toFixed(2)}× (${runs} runs each, interleaved)`)
  }
} finally {
  await server.stop()
}
