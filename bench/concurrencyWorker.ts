/**
 * One concurrency run in a fresh process, so its peak RSS is its own: a bounded number
 * of triggers at a fixed concurrency through one contender, after a warm-up. Prints one
 * JSON line with the elapsed time, throughput and memory.
 *
 * Usage: `node --import tsx bench/concurrencyWorker.ts <client|client-undici|client-node|platform-floor|fetch|undici|ofetch|ky|openapi-fetch> <host> <total> <concurrency> <warmup>`
 */
import { makeBarePlatformUnderTest, makeClientUnderTest } from "./clientRuntime.ts"
import { fetchTrigger, makeUndiciTrigger } from "./floors.ts"
import { isPeerName, makePeerTrigger } from "./peers/peerTriggers.ts"
import { now } from "./stats.ts"
import { pinNodeFetchDispatcher } from "./undiciModule.ts"
import { type TriggerCall, triggerUrl } from "./workload.ts"

/** What a concurrency run reports. */
export interface ConcurrencyRun {
  readonly mode: string
  readonly total: number
  readonly concurrency: number
  readonly elapsedMs: number
  readonly callsPerSecond: number
  /** `process.resourceUsage().maxRSS`, in bytes: the process's peak, start-up included. */
  readonly maxRssBytes: number
  /** Peak RSS sampled every 25 ms during the timed run only. */
  readonly sampledPeakRssBytes: number
  /** RSS just before the timed run (after loading and warm-up). */
  readonly baselineRssBytes: number
}

/** Send `total` calls with at most `concurrency` in flight; rejects on the first failure. */
export const pool = async (total: number, concurrency: number, call: TriggerCall): Promise<void> => {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < total) {
      next += 1
      const result = await call(next)
      if (typeof result.ci_run_id !== "number") throw new Error("unexpected answer")
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker))
}

const main = async (): Promise<void> => {
  const [mode = "fetch", host = "", totalArg = "20000", concurrencyArg = "64", warmupArg = "2000"] = process.argv.slice(
    2
  )
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(host)) throw new Error(`refusing a non-loopback host: ${host}`)
  const total = Math.min(Number(totalArg), 200_000)
  const concurrency = Math.min(Number(concurrencyArg), 1024)
  const warmup = Math.min(Number(warmupArg), 50_000)
  const url = triggerUrl(host)
  await pinNodeFetchDispatcher()
  const client = mode === "client" || mode === "client-undici" || mode === "client-node"
    ? await makeClientUnderTest(host, mode === "client" ? "fetch" : mode === "client-undici" ? "undici" : "node")
    : mode === "platform-floor"
    ? await makeBarePlatformUnderTest(host)
    : undefined
  const call = client?.trigger ??
    (mode === "undici"
      ? await makeUndiciTrigger(url)
      : isPeerName(mode)
      ? makePeerTrigger(mode, host).call
      : (n: number) => fetchTrigger(url, n))
  await pool(warmup, concurrency, call)
  const baselineRssBytes = process.memoryUsage.rss()
  let sampledPeakRssBytes = baselineRssBytes
  const sampler = setInterval(() => {
    sampledPeakRssBytes = Math.max(sampledPeakRssBytes, process.memoryUsage.rss())
  }, 25)
  const started = now()
  await pool(total, concurrency, call)
  const elapsedMs = now() - started
  clearInterval(sampler)
  sampledPeakRssBytes = Math.max(sampledPeakRssBytes, process.memoryUsage.rss())
  await client?.dispose()
  const run: ConcurrencyRun = {
    mode,
    total,
    concurrency,
    elapsedMs,
    callsPerSecond: (total / elapsedMs) * 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    sampledPeakRssBytes,
    baselineRssBytes
  }
  process.stdout.write(`${JSON.stringify(run)}\n`)
}

if (process.argv[1]?.endsWith("concurrencyWorker.ts")) {
  // Bounded: whatever happens, this process stops within three minutes.
  setTimeout(() => {
    console.error("concurrency worker: time limit reached")
    process.exit(1)
  }, 180_000).unref()
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error)
      process.exit(1)
    }
  )
}
