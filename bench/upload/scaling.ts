/**
 * `npm run bench:upload:scaling [-- --largest MB]`: `datafold-ci dbt upload` across target
 * sizes, on one core (`taskset -c 0`) and on every core, each beside its floor measured in
 * the same run and under the same cores: Debian's `zip -r -q` into a file, then `curl -F` of
 * it. Each contender runs in a child of its own under `/usr/bin/time` (time, peak RSS); the
 * receiving server (`server.ts`, a process of its own) checks every archive against its
 * folder, so a contender that sent less fails the bench instead of winning it.
 *
 * The folders (from the ZIP bench's generator, `../zip/dbtTarget.ts`): 3 MB in 170 files (a
 * real project's size), 15 MB, 150 MB, 1.5 GB (left out above `--largest`) and 70 000 small
 * files. One round each (the 1.5 GB one takes minutes): read the ratios, which pair runs made
 * side by side. A table on stdout, `bench/results-upload-scaling.json`, and (a run of every
 * size only) `docs/images/upload-scaling.svg`: the ratio to the floor and the peak RSS against size.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { buildCliBundle, cliEntryName } from "../../scripts/bundles.ts"
import { startLoopbackServer } from "../loopbackServer.ts"
import { renderTable } from "../table.ts"
import { type DbtTargetOptions, writeDbtTarget } from "../zip/dbtTarget.ts"
import { listFiles } from "../zip/files.ts"
import { scalingChart, type ScalingRow } from "./scalingChart.ts"
import { curlUploadArgs, timeChild } from "./timeChild.ts"
import { UPLOAD_TARGET } from "./uploadTarget.ts"

const HERE = fileURLToPath(new URL(".", import.meta.url))
const RESULTS = fileURLToPath(new URL("../results-upload-scaling.json", import.meta.url))
const CHART = fileURLToPath(new URL("../../docs/images/upload-scaling.svg", import.meta.url))
const COMMIT_SHA = "0123456789abcdef0123456789abcdef01234567"
const API_KEY = "dfk_bench_upload_0123456789abcdef"

/** One folder of the run: how it is made. */
interface Size {
  readonly label: string
  readonly make: (dir: string) => void
}

const scaled = (factor: number, sqlFiles: number): DbtTargetOptions => ({
  manifestBytes: UPLOAD_TARGET.manifestBytes * factor,
  catalogBytes: UPLOAD_TARGET.catalogBytes * factor,
  runResultsBytes: UPLOAD_TARGET.runResultsBytes * factor,
  sqlFiles,
  binaryBytes: Math.round(UPLOAD_TARGET.binaryBytes * factor)
})

/** 70 000 compiled-SQL-sized files and a small manifest: a monorepo's `compiled/` and `run/`. */
const manySmallFiles = (dir: string): void => {
  writeDbtTarget(dir, { ...scaled(0.02, 10), binaryBytes: 0 })
  for (let i = 0; i < 70_000; i++) {
    const folder = join(dir, "compiled", "many", `d${i % 100}`)
    if (i < 100) mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, `m${i}.sql`), `select id, amount_${i % 97} from analytics.orders_${i}\n`)
  }
}

const SIZES: ReadonlyArray<Size & { readonly approxBytes: number }> = [
  { label: "3 MB, 170 files", approxBytes: 3e6, make: (dir) => writeDbtTarget(dir, scaled(0.02, 165)) },
  { label: "15 MB", approxBytes: 15e6, make: (dir) => writeDbtTarget(dir, scaled(0.1, 600)) },
  { label: "150 MB", approxBytes: 150e6, make: (dir) => writeDbtTarget(dir, UPLOAD_TARGET) },
  { label: "1.5 GB", approxBytes: 1.5e9, make: (dir) => writeDbtTarget(dir, scaled(10, 6000)) },
  { label: "70 000 small files", approxBytes: 7e6, make: manySmallFiles }
]

/** The cores a contender may use: the first only, or all. */
const CORES = [
  { label: "1 core", prefix: ["taskset", "-c", "0"] },
  { label: `all ${os.availableParallelism()} cores`, prefix: [] }
] as const

const step = (text: string): void => void process.stderr.write(`bench:upload:scaling: ${text}\n`)

const withCores = (prefix: ReadonlyArray<string>, command: string, args: ReadonlyArray<string>) =>
  prefix.length === 0 ? { command, args } : { command: prefix[0]!, args: [...prefix.slice(1), command, ...args] }

const received = async (host: string, what: string, folder: { files: number; bytes: number }): Promise<void> => {
  const all = (await (await fetch(`${host}/__received`)).json()) as Array<
    { files: number; uncompressedBytes: number; problem?: string }
  >
  const [upload] = all
  const wrong = all.length !== 1 ? `${all.length} requests` : upload!.problem ??
    (upload!.files !== folder.files || upload!.uncompressedBytes !== folder.bytes ? "not the whole folder" : undefined)
  if (wrong !== undefined) throw new Error(`${what}: the server did not receive the folder whole: ${wrong}`)
}

const main = async (): Promise<void> => {
  const largestArg = process.argv.indexOf("--largest")
  const largest = largestArg > 0 ? Number(process.argv[largestArg + 1]) * 1e6 : Number.POSITIVE_INFINITY
  const scratch = mkdtempSync(join(os.tmpdir(), "bench-upload-scaling-"))
  const server = await startLoopbackServer(join(HERE, "server.ts"))
  const rows: Array<ScalingRow> = []
  const loadStart = os.loadavg()
  try {
    await buildCliBundle(join(scratch, "cli"))
    const cli = join(scratch, "cli", cliEntryName)
    const url = `${server.host}/api/v1/dbt/submit_artifacts/7`
    for (const size of SIZES.filter((s) => s.approxBytes <= largest)) {
      const folder = join(scratch, "target")
      rmSync(folder, { recursive: true, force: true })
      mkdirSync(folder)
      step(`writing ${size.label}`)
      size.make(folder)
      const files = listFiles(folder)
      const expected = { files: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0) }
      for (const cores of CORES) {
        const archive = join(scratch, "floor.zip")
        rmSync(archive, { force: true })
        step(`${size.label}, ${cores.label}: zip -r + curl -F`)
        const zipRun = withCores(cores.prefix, "zip", ["-r", "-q", archive, "."])
        const zip = await timeChild(zipRun.command, zipRun.args, { cwd: folder }, scratch)
        const curlRun = withCores(
          cores.prefix,
          "curl",
          curlUploadArgs(archive, url, { apiKey: API_KEY, commitSha: COMMIT_SHA })
        )
        const curl = await timeChild(curlRun.command, curlRun.args, {}, scratch)
        rmSync(archive, { force: true })
        await received(server.host, "the floor", expected)
        step(`${size.label}, ${cores.label}: datafold-ci dbt upload`)
        const cliRun = withCores(cores.prefix, process.execPath, [
          cli,
          "dbt",
          "upload",
          "--ci-config-id",
          "7",
          "--run-type",
          "pull_request",
          "--target-folder",
          folder,
          "--commit-sha",
          COMMIT_SHA
        ])
        const measured = await timeChild(cliRun.command, cliRun.args, {
          env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: server.host }
        }, scratch)
        await received(server.host, "datafold-ci", expected)
        rows.push({
          size: size.label,
          bytes: expected.bytes,
          files: expected.files,
          cores: cores.label,
          floor: {
            seconds: zip.seconds + curl.seconds,
            cpuSeconds: zip.cpuSeconds + curl.cpuSeconds,
            maxRssBytes: Math.max(zip.maxRssBytes, curl.maxRssBytes)
          },
          cli: { seconds: measured.seconds, cpuSeconds: measured.cpuSeconds, maxRssBytes: measured.maxRssBytes }
        })
      }
    }
  } finally {
    await server.stop()
    rmSync(scratch, { recursive: true, force: true })
  }
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`
  process.stdout.write(
    renderTable(
      ["folder", "files", "cores", "zip + curl", "datafold-ci", "ratio", "peak RSS (CLI)"],
      rows.map((row) => [
        `${row.size} (${mb(row.bytes)})`,
        String(row.files),
        row.cores,
        `${row.floor.seconds.toFixed(2)} s`,
        `${row.cli.seconds.toFixed(2)} s`,
        `${(row.cli.seconds / row.floor.seconds).toFixed(2)}×`,
        mb(row.cli.maxRssBytes)
      ])
    ) + "\n"
  )
  const run = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus()[0]?.model ?? "unknown",
    cores: os.availableParallelism(),
    loadAverage: { start: loadStart[0], end: os.loadavg()[0] },
    rows
  }
  writeFileSync(RESULTS, JSON.stringify(run, null, 2) + "\n")
  // The guide's chart is of a whole run only: a run with --largest leaves it as it is.
  if (Number.isFinite(largest)) return step(`wrote ${RESULTS} (the chart is written by a run of every size)`)
  mkdirSync(fileURLToPath(new URL("../../docs/images/", import.meta.url)), { recursive: true })
  writeFileSync(CHART, scalingChart(rows, `${run.at.slice(0, 16)} UTC, Node ${run.node}, ${run.cores} cores`))
  step(`wrote ${RESULTS} and ${CHART}`)
}

await main()
