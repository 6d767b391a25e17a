/**
 * Per-call latency: sequential triggers through the client, the floors and the peers,
 * interleaved in rounds with the order rotated each round, after a warm-up, so drift on
 * a noisy machine lands on every contender alike.
 */
import { makeBarePlatformUnderTest, makeClientUnderTest } from "./clientRuntime.ts"
import { fetchTrigger, makeEffectFetchTrigger, makeUndiciTrigger } from "./floors.ts"
import { makePeerTrigger, PEER_NAMES } from "./peers/peerTriggers.ts"
import { assertNodeFetchDispatcher, pinNodeFetchDispatcher } from "./undiciModule.ts"
import { mean, median, now, quantile, ratio } from "./stats.ts"
import { type TriggerCall, triggerUrl } from "./workload.ts"

/** How the per-call figure is run. */
export interface PerCallOptions {
  readonly rounds: number
  readonly callsPerRound: number
  readonly warmupCalls: number
  /** Also measure the client over `NodeHttpClient.layerUndici` and over `effect-datafold/node`. */
  readonly withUndiciTransport: boolean
}

/** Defaults: 10 rounds of 200 calls (2 000 per contender) after 300 warm-up calls each. */
export const DEFAULT_PER_CALL: PerCallOptions = {
  rounds: 10,
  callsPerRound: 200,
  warmupCalls: 300,
  withUndiciTransport: true
}

/** Latency of one contender, in milliseconds per call. */
export interface LatencyRow {
  readonly contender: string
  readonly calls: number
  readonly medianMs: number
  readonly p99Ms: number
  readonly meanMs: number
  /** Median over raw fetch's median. */
  readonly medianRatio: number
  /** p99 over raw fetch's p99. */
  readonly p99Ratio: number
  /** Mean over raw fetch's mean (throughput of a sequential loop). */
  readonly meanRatio: number
}

/** The per-call figure. */
export interface PerCallResult {
  readonly options: PerCallOptions
  readonly rows: ReadonlyArray<LatencyRow>
  /** Client (FetchHttpClient) median over raw fetch median: the target figure. */
  readonly ratio: number
}

interface Contender {
  readonly name: string
  readonly call: TriggerCall
}

/** Run the per-call figure against a loopback server at `host`. */
export const runPerCall = async (host: string, options: PerCallOptions = DEFAULT_PER_CALL): Promise<PerCallResult> => {
  const url = triggerUrl(host)
  await pinNodeFetchDispatcher()
  const undiciTrigger = await makeUndiciTrigger(url)
  const client = await makeClientUnderTest(host, "fetch")
  const undiciClient = options.withUndiciTransport ? await makeClientUnderTest(host, "undici") : undefined
  const nodeClient = options.withUndiciTransport ? await makeClientUnderTest(host, "node") : undefined
  const bare = await makeBarePlatformUnderTest(host)
  const effectFloor = await makeEffectFetchTrigger(url)
  try {
    await assertNodeFetchDispatcher()
    const contenders: Array<Contender> = [
      { name: "client (Default: fetch)", call: client.trigger },
      { name: "raw fetch", call: (n) => fetchTrigger(url, n) },
      { name: "undici.request", call: undiciTrigger },
      { name: "HttpClient floor (FetchHttpClient, bare POST)", call: bare.trigger },
      { name: "Effect floor (Effect.promise around raw fetch)", call: effectFloor.trigger }
    ]
    if (undiciClient !== undefined) {
      contenders.push({ name: "client (NodeHttpClient.layerUndici)", call: undiciClient.trigger })
    }
    if (nodeClient !== undefined) contenders.push({ name: "client (effect-datafold/node)", call: nodeClient.trigger })
    for (const peer of PEER_NAMES) contenders.push(makePeerTrigger(peer, host))

    for (const contender of contenders) {
      for (let i = 0; i < options.warmupCalls; i++) await contender.call(i)
    }
    const samples = new Map<string, Array<number>>(contenders.map((c) => [c.name, []]))
    for (let round = 0; round < options.rounds; round++) {
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!)
      for (const contender of order) {
        const into = samples.get(contender.name)!
        for (let i = 0; i < options.callsPerRound; i++) {
          const started = now()
          const result = await contender.call(i)
          into.push(now() - started)
          if (typeof result.ci_run_id !== "number") throw new Error(`${contender.name}: unexpected answer`)
        }
      }
    }
    const fetchSamples = samples.get("raw fetch")!
    const base = { median: median(fetchSamples), p99: quantile(fetchSamples, 0.99), mean: mean(fetchSamples) }
    const rows = contenders.map((contender): LatencyRow => {
      const s = samples.get(contender.name)!
      const row = { median: median(s), p99: quantile(s, 0.99), mean: mean(s) }
      return {
        contender: contender.name,
        calls: s.length,
        medianMs: row.median,
        p99Ms: row.p99,
        meanMs: row.mean,
        medianRatio: ratio(row.median, base.median),
        p99Ratio: ratio(row.p99, base.p99),
        meanRatio: ratio(row.mean, base.mean)
      }
    })
    return { options, rows, ratio: rows[0]!.medianRatio }
  } finally {
    await client.dispose()
    await undiciClient?.dispose()
    await nodeClient?.dispose()
    await bare.dispose()
    await effectFloor.dispose()
  }
}
