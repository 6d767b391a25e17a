/**
 * Summarise a V8 `.cpuprofile`: top functions by self time, and self time grouped by
 * where the code lives (Effect, @effect/platform, this library, Node's fetch/undici,
 * other Node internals, GC, idle).
 *
 * Usage: `tsx bench/profile/summarize.ts <file.cpuprofile> [top=25]` (or through `run.ts`).
 */
import { readFileSync } from "node:fs"

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
}
interface ProfileNode {
  readonly id: number
  readonly callFrame: CallFrame
}
interface CpuProfile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/** One row of the summary: a name and its self time. */
export interface SelfTimeRow {
  readonly name: string
  readonly ms: number
  readonly percent: number
}

/** Where a frame's code lives, from its script URL. */
export const categoryOf = (frame: CallFrame): string => {
  const url = frame.url
  if (frame.functionName === "(garbage collector)") return "GC"
  if (frame.functionName === "(idle)") return "idle"
  if (frame.functionName === "(program)") return "program (native/VM)"
  if (url.includes("node_modules/effect/")) return "effect"
  if (url.includes("node_modules/@effect/platform/")) return "@effect/platform"
  if (url.includes("node_modules/undici/")) return "undici (package)"
  if (url.includes("node_modules/tsx/") || url.includes("node_modules/esbuild/")) return "tsx/esbuild"
  if (url.includes("/src/")) return "effect-datafold src"
  if (url.includes("/bench/profile/out/")) return "effect-datafold src + bench (bundled)"
  if (url.includes("/bench/")) return "bench harness"
  if (url.includes("node:internal/deps/undici")) return "node fetch (bundled undici)"
  if (url.startsWith("node:")) return "node internals"
  if (url === "") return "native/builtin"
  return "other"
}

const shortUrl = (url: string): string => {
  const m = url.match(/node_modules\/(.+)$/) ?? url.match(/\/(src\/.+|bench\/.+)$/)
  return m ? m[1]! : url.replace(/^file:\/\//, "")
}

/** Self time per function and per category, in milliseconds. */
export const summarize = (
  profile: CpuProfile
): { readonly total: number; readonly functions: Array<SelfTimeRow>; readonly categories: Array<SelfTimeRow> } => {
  const byId = new Map<number, ProfileNode>()
  for (const node of profile.nodes) byId.set(node.id, node)
  const selfUs = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const functions = new Map<string, number>()
  const categories = new Map<string, number>()
  let total = 0
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame
    total += us
    const name = `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`
    functions.set(name, (functions.get(name) ?? 0) + us)
    const category = categoryOf(frame)
    categories.set(category, (categories.get(category) ?? 0) + us)
  }
  const rows = (map: Map<string, number>) =>
    [...map].map(([name, us]) => ({ name, ms: us / 1000, percent: (us / total) * 100 })).sort((a, b) => b.ms - a.ms)
  return { total: total / 1000, functions: rows(functions), categories: rows(categories) }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const file = process.argv[2]
  if (file === undefined) {
    console.error("usage: summarize.ts <file.cpuprofile> [top]")
    process.exit(2)
  }
  const top = Number(process.argv[3] ?? 25)
  const summary = summarize(JSON.parse(readFileSync(file, "utf8")) as CpuProfile)
  console.log(`total sampled: ${summary.total.toFixed(0)} ms`)
  console.log("\nself time by category")
  for (const row of summary.categories) {
    console.log(`${row.percent.toFixed(1).padStart(6)}%  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`)
  }
  console.log(`\ntop ${top} functions by self time`)
  for (const row of summary.functions.slice(0, top)) {
    console.log(`${row.percent.toFixed(1).padStart(6)}%  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`)
  }
}
