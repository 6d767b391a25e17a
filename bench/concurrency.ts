/**
 * Throughput at a fixed concurrency, client, floors and peers against raw fetch: each run in its own
 * process (see `concurrencyWorker.ts`), alternating the order across rounds, median
 * throughput per contender. Also gives each contender's peak RSS.
 */
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import type { ConcurrencyRun } from "./concurrencyWorker.ts"
import { PEER_NAMES } from "./peers/peerTriggers.ts"
import { median, ratio } from "./stats.ts"

/** How the concurrency figure is run. */
export interface ConcurrencyOptions {
  readonly total: number
  readonly concurrency: number
  readonly warmup: number
  readonly rounds: number
  /** Contenders, by worker mode; the first is the client, "fetch" the baseline. */
  readonly modes: ReadonlyArray<string>
}

/**
 * Defaults: 10 000 calls at concurrency 64, 1 000 warm-up calls, 3 rounds (with the
 * peers there are eight contenders, so 24 runs: fewer calls a run keep the bench short).
 */
export const DEFAULT_CONCURRENCY: ConcurrencyOptions = {
  total: 10_000,
  concurrency: 64,
  warmup: 1_000,
  rounds: 3,
  modes: ["client", "fetch", "undici", "platform-floor", "client-undici", "client-node", ...PEER_NAMES]
}

/** One contender's figures, medians over rounds. */
export interface ConcurrencyRow {
  readonly mode: string
  readonly callsPerSecond: number
  readonly throughputRatio: number
  readonly maxRssBytes: number
  readonly sampledPeakRssBytes: number
  readonly runs: ReadonlyArray<ConcurrencyRun>
}

/** The concurrency and memory figures. */
export interface ConcurrencyResult {
  readonly options: ConcurrencyOptions
  readonly rows: ReadonlyArray<ConcurrencyRow>
  /** Client throughput over raw fetch throughput: the target figure. */
  readonly ratio: number
}

const WORKER = fileURLToPath(new URL("./concurrencyWorker.ts", import.meta.url))

const runOnce = (mode: string, host: string, options: ConcurrencyOptions): ConcurrencyRun => {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", WORKER, mode, host, String(options.total), String(options.concurrency), String(options.warmup)],
    { encoding: "utf8", timeout: 200_000, stdio: ["ignore", "pipe", "inherit"] }
  )
  const line = out.trim().split("\n").at(-1) ?? ""
  return JSON.parse(line) as ConcurrencyRun
}

/** Run the concurrency figure against a loopback server at `host`. */
export const runConcurrency = (host: string, options: ConcurrencyOptions = DEFAULT_CONCURRENCY): ConcurrencyResult => {
  const runs = new Map<string, Array<ConcurrencyRun>>(options.modes.map((m) => [m, []]))
  for (let round = 0; round < options.rounds; round++) {
    const order = options.modes.map((_, i) => options.modes[(i + round) % options.modes.length]!)
    for (const mode of order) runs.get(mode)!.push(runOnce(mode, host, options))
  }
  const baseline = median(runs.get("fetch")!.map((r) => r.callsPerSecond))
  const rows = options.modes.map((mode): ConcurrencyRow => {
    const list = runs.get(mode)!
    const callsPerSecond = median(list.map((r) => r.callsPerSecond))
    return {
      mode,
      callsPerSecond,
      throughputRatio: ratio(callsPerSecond, baseline),
      maxRssBytes: median(list.map((r) => r.maxRssBytes)),
      sampledPeakRssBytes: median(list.map((r) => r.sampledPeakRssBytes)),
      runs: list
    }
  })
  return { options, rows, ratio: rows[0]!.throughputRatio }
}
