/**
 * The shape of `bench/results.json`.
 */
import type { ColdStartResult } from "./coldStart.ts"
import type { ConcurrencyResult } from "./concurrency.ts"
import type { PerCallResult } from "./perCall.ts"
import type { SizeResult } from "./size.ts"

/** Where the figures were measured. */
export interface MachineInfo {
  readonly cpus: number
  readonly cpuModel: string
  readonly totalMemoryBytes: number
  readonly platform: string
  readonly node: string
  readonly loadAverageStart: ReadonlyArray<number>
  readonly loadAverageEnd: ReadonlyArray<number>
}

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  readonly date: string
  readonly elapsedMs: number
  readonly machine: MachineInfo
  readonly versions: Readonly<Record<string, string>>
  readonly perCall: PerCallResult
  readonly concurrency: ConcurrencyResult
  readonly coldStart: ColdStartResult
  readonly size: SizeResult
}
