/**
 * Soak (issue 5): 20 000 triggers at concurrency 64 against the local Datafold server,
 * with about 1 % of triggers answered 503. Every call must end in success, every PR must
 * get exactly one run, and no socket or fiber may be left behind. Prints the RSS before,
 * at the peak and after. Not a timed test: `npm run soak`.
 *
 * Options: `--calls N` (default 20000), `--concurrency N` (default 64), `--fault-rate R`
 * (default 0.01).
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Supervisor from "effect/Supervisor"
import { parseArgs } from "node:util"
import { triggerCiRun } from "../src/DatafoldClient.ts"
import { clientLayerFor, Fault, startLocalDatafoldServer } from "../src/testing.ts"

const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "20000" },
    concurrency: { type: "string", default: "64" },
    "fault-rate": { type: "string", default: "0.01" }
  }
})
const calls = Number(values.calls)
const concurrency = Number(values.concurrency)
const faultRate = Number(values["fault-rate"])

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
const sha = (n: number, salt: string) => (salt + n.toString(16)).padStart(40, "0").slice(-40)
const activeSockets = () =>
  process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap" || name === "TCPWRAP").length

const server = await startLocalDatafoldServer()
let injected = 0
let peakRss = process.memoryUsage().rss
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
}, 50)

// One warm-up call so the "before" figures include the loaded client.
const layer = clientLayerFor(server, { retryBase: "5 millis", maxRetryDelay: "100 millis" })
await Effect.runPromise(
  triggerCiRun(1, { pr_number: 1, pr_branch: "warm", base_branch: "main", pr_sha: sha(0, "f"), base_sha: sha(0, "b") })
    .pipe(Effect.provide(layer))
)
server.reset()
const before = { rss: process.memoryUsage().rss, sockets: activeSockets() }

const supervisor = await Effect.runPromise(Supervisor.track)
const started = performance.now()
const outcome = await Effect.runPromise(
  Effect.forEach(
    Array.from({ length: calls }, (_, index) => index + 1),
    (prNumber) =>
      Effect.suspend(() => {
        if (Math.random() < faultRate) {
          injected += 1
          server.inject(Fault.serverError(503))
        }
        return triggerCiRun(1, {
          pr_number: prNumber,
          pr_branch: `feature/${prNumber}`,
          base_branch: "main",
          pr_sha: sha(prNumber, "a"),
          base_sha: sha(prNumber, "b")
        }).pipe(Effect.either)
      }),
    { concurrency }
  ).pipe(Effect.provide(layer), Effect.supervised(supervisor))
)
const seconds = (performance.now() - started) / 1000
const liveFibers = (await Effect.runPromise(supervisor.value)).filter((fiber) => Fiber.isRuntimeFiber(fiber)).length

// Let keep-alive sockets idle out before counting what is left.
await new Promise((resolve) => setTimeout(resolve, 6_000))
clearInterval(sampler)
const after = { rss: process.memoryUsage().rss, sockets: activeSockets() }

const failures = outcome.filter((result) => result._tag === "Left")
const runs = server.runs()
const perPr = new Map<string, number>()
for (const run of runs) perPr.set(run.pr_num, (perPr.get(run.pr_num) ?? 0) + 1)
const duplicated = [...perPr.values()].filter((count) => count > 1).length
const trigger503s = server.requests().filter((request) => request.endpoint === "trigger").length - runs.length
await server.close()

const report = {
  calls,
  concurrency,
  seconds: Number(seconds.toFixed(1)),
  callsPerSecond: Math.round(calls / seconds),
  injected503s: injected,
  answered503s: trigger503s,
  failures: failures.length,
  runs: runs.length,
  duplicatedRuns: duplicated,
  liveFibersAfter: liveFibers,
  socketsBefore: before.sockets,
  socketsAfter: after.sockets,
  rssBefore: mib(before.rss),
  rssPeak: mib(peakRss),
  rssAfter: mib(after.rss)
}
console.table(report)
const ok = failures.length === 0 && runs.length === calls && duplicated === 0 && liveFibers === 0 &&
  after.sockets <= before.sockets
console.log(ok ? "soak: OK" : "soak: FAILED")
if (failures.length > 0) console.log("first failure:", failures[0])
process.exitCode = ok ? 0 : 1
