/**
 * The printed summary: one table of every figure with its ratio and target.
 */
import type { BenchResults } from "./results.ts"

const ms = (x: number): string => `${x.toFixed(3)} ms`
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`
const verdict = (ok: boolean): string => (ok ? "met" : "NOT met")

const MODE_LABELS: Readonly<Record<string, string>> = {
  client: "client (Default: fetch)",
  fetch: "raw fetch",
  undici: "undici.request",
  "platform-floor": "HttpClient floor (FetchHttpClient, bare POST)",
  "client-undici": "client (NodeHttpClient.layerUndici)",
  "client-node": "client (effect-datafold/node)"
}
const label = (mode: string): string => MODE_LABELS[mode] ?? mode

/** Render rows as an aligned plain-text table. */
export const renderTable = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) => cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ").trimEnd()
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n")
}

/** The whole summary as text. */
export const renderResults = (results: BenchResults): string => {
  const rows: Array<Array<string>> = []
  const { perCall, concurrency, coldStart, size } = results
  for (const row of perCall.rows) {
    rows.push([
      "per call (sequential)",
      row.contender,
      `median ${ms(row.medianMs)}, p99 ${ms(row.p99Ms)}`,
      `${row.medianRatio.toFixed(2)}× median, ${row.p99Ratio.toFixed(2)}× p99`,
      row.contender === "client (Default: fetch)"
        ? `≤ 1.3× fetch: ${verdict(row.medianRatio <= 1.3)}`
        : row.contender === "client (effect-datafold/node)"
        ? `≤ 0.6× fetch: ${verdict(row.medianRatio <= 0.6)}`
        : ""
    ])
  }
  for (const row of concurrency.rows) {
    rows.push([
      `concurrency ${concurrency.options.concurrency}`,
      label(row.mode),
      `${Math.round(row.callsPerSecond)} calls/s`,
      `${row.throughputRatio.toFixed(2)}×`,
      row.mode === "client"
        ? `≥ 0.7× fetch: ${verdict(row.throughputRatio >= 0.7)}`
        : row.mode === "client-node"
        ? `≥ 3× fetch: ${verdict(row.throughputRatio >= 3)}`
        : ""
    ])
  }
  for (const row of concurrency.rows) {
    rows.push([
      "memory (peak RSS)",
      label(row.mode),
      `${mb(row.maxRssBytes)} (sampled ${mb(row.sampledPeakRssBytes)})`,
      "",
      ""
    ])
  }
  if (coldStart.skipped) {
    rows.push(["cold start", "skipped", coldStart.reason, "", ""])
  } else {
    for (const row of coldStart.rows) {
      rows.push([
        "cold start (1 trigger)",
        row.contender,
        `median ${row.medianMs.toFixed(1)} ms, p90 ${row.p90Ms.toFixed(1)} ms`,
        `${row.ratio.toFixed(2)}×`,
        row.contender === "datafold-ci (bundled CLI)" ? `≤ 1.5× node:http script: ${verdict(row.ratio <= 1.5)}` : ""
      ])
    }
  }
  rows.push([
    "size (min+gzip)",
    size.client.name,
    `${kb(size.client.gzipBytes)} (${kb(size.client.rawBytes)} min)`,
    `${size.ratio.toFixed(2)}×`,
    ""
  ])
  rows.push([
    "size (min+gzip)",
    size.platformOnly.name,
    `${kb(size.platformOnly.gzipBytes)} (${kb(size.platformOnly.rawBytes)} min)`,
    "1.00×",
    ""
  ])
  rows.push([
    "size (min)",
    size.cli.triggerPath.name,
    `${kb(size.cli.triggerPath.rawBytes)} min, ${kb(size.cli.triggerPath.gzipBytes)} gzip`,
    "",
    `≤ 220 kB: ${verdict(size.cli.triggerPath.rawBytes <= 220 * 1024)}`
  ])
  rows.push([
    "size (min)",
    size.cli.effectFloor.name,
    `${kb(size.cli.effectFloor.rawBytes)} min, ${kb(size.cli.effectFloor.gzipBytes)} gzip`,
    "",
    ""
  ])
  rows.push([
    "size (min)",
    size.cli.all.name,
    `${kb(size.cli.all.rawBytes)} min, ${kb(size.cli.all.gzipBytes)} gzip`,
    "",
    ""
  ])
  const m = results.machine
  return [
    renderTable(["figure", "contender", "value", "ratio (vs raw fetch / node:http script / platform)", "target"], rows),
    "",
    `machine: ${m.cpus}× ${m.cpuModel}, ${mb(m.totalMemoryBytes)} RAM, ${m.platform}, Node ${m.node}; load average ${
      m.loadAverageStart.map((x) => x.toFixed(2)).join("/")
    } at start, ${m.loadAverageEnd.map((x) => x.toFixed(2)).join("/")} at end; ${results.date}; ${
      (results.elapsedMs / 1000).toFixed(0)
    } s`
  ].join("\n")
}
