/**
 * `npm run bench:upload [-- --rounds N]`: a dbt artifacts upload of a ~150 MB target folder, timed against its
 * floor measured in the same run (the machine is shared and noisy), with each contender's peak RSS beside it.
 *
 * 1. The folder is written once into a temporary folder (`uploadTarget.ts`, from the ZIP bench's generator).
 * 2. A receiving server starts in its own process on 127.0.0.1 (`server.ts`): it reads each body to the end and
 *    checks it, so a contender that sent less, or a broken archive, fails the bench instead of winning it.
 * 3. The contenders are built: the CLI as `npm run build:cli` builds it (`buildCliBundle`), and the library's
 *    `uploadDbtArtifacts` bundled by esbuild once on `DatafoldClient.Default` (fetch) and once on
 *    `effect-datafold/node` (undici). Each runs with plain node.
 * 4. N rounds (default 3), order rotated, one untimed floor run first so the folder is as warm for all: each
 *    contender in a child process of its own under `/usr/bin/time` (peak RSS, CPU). The floor is Debian's
 *    `zip -r -q` into a temporary file, then `curl -F` of that file with the same fields, timed together.
 * 5. A table (median seconds, ratio to the floor, MB/s, CPU, peak RSS, bytes sent) on stdout; the figures in
 *    `bench/results-upload.json`.
 *
 * MB here is 10^6 bytes, as the 150 MB folder and 160 MB RSS are. The temporary folder is removed at the end.
 */
import * as esbuild from "esbuild"
import { spawn } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { buildCliBundle, cliEntryName } from "../../scripts/bundles.ts"
import { startLoopbackServer } from "../loopbackServer.ts"
import { median, ratio } from "../stats.ts"
import { renderTable } from "../table.ts"
import { writeDbtTarget } from "../zip/dbtTarget.ts"
import { listFiles } from "../zip/files.ts"
import type { ReceivedSummary } from "./server.ts"
import { curlUploadArgs, type Measured, TIME, timeChild } from "./timeChild.ts"
import { UPLOAD_TARGET } from "./uploadTarget.ts"

const HERE = fileURLToPath(new URL(".", import.meta.url))
const ROOT = fileURLToPath(new URL("../..", import.meta.url))
const RESULTS = fileURLToPath(new URL("../results-upload.json", import.meta.url))
const SERVER_ENTRY = join(HERE, "server.ts")
const HARD_LIMIT_MS = 30 * 60_000

const CI_CONFIG_ID = "7"
const COMMIT_SHA = "0123456789abcdef0123456789abcdef01234567"
// Loopback only; the server never looks at it, but every contender sends it as a real upload would.
const API_KEY = "dfk_bench_upload_0123456789abcdef"

/** The targets. */
const RATIO_TARGET = 1.2
const RSS_TARGET_BYTES = 160e6

const MB = 1e6
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`
const seconds = (s: number): string => `${s.toFixed(2)} s`

const step = (text: string): void => {
  process.stderr.write(`bench:upload: ${text}\n`)
}

type ContenderId = "floor" | "cli" | "default" | "node"

interface Contender {
  readonly id: ContenderId
  readonly name: string
}

const CONTENDERS: ReadonlyArray<Contender> = [
  { id: "floor", name: "zip -r -q, then curl -F (floor)" },
  { id: "cli", name: "datafold-ci dbt upload (bundled CLI, node:http)" },
  { id: "default", name: "uploadDbtArtifacts, DatafoldClient.Default (fetch)" },
  { id: "node", name: "uploadDbtArtifacts, effect-datafold/node (undici)" }
]

/** One timed upload. */
interface Sample extends Measured {
  /** What the server received. */
  readonly received: ReceivedSummary
  /** The floor's two steps, each as measured. */
  readonly parts?: { readonly zip: Measured; readonly curl: Measured } | undefined
}

/** What the server received since the last look: exactly one whole upload of the folder, or the bench stops. */
const receivedOnce = async (
  host: string,
  contender: Contender,
  folder: { readonly files: number; readonly bytes: number }
): Promise<ReceivedSummary> => {
  const all = (await (await fetch(`${host}/__received`)).json()) as Array<ReceivedSummary>
  const [upload] = all
  const wrong = all.length !== 1
    ? `${all.length} requests`
    : upload!.problem ?? (upload!.files !== folder.files
      ? `${upload!.files} files in the archive, ${folder.files} in the folder`
      : upload!.uncompressedBytes !== folder.bytes
      ? `${upload!.uncompressedBytes} bytes in the archive's entries, ${folder.bytes} in the folder`
      : undefined)
  if (wrong !== undefined) throw new Error(`${contender.name}: the server did not receive the folder whole: ${wrong}`)
  return upload!
}

interface Built {
  readonly cli: string
  readonly default: string
  readonly node: string
}

/** The library program bundled on one layer, as an application would ship it. */
const bundleLibrary = async (outfile: string, layerImport: string): Promise<void> => {
  await esbuild.build({
    stdin: {
      contents: [
        layerImport,
        `import { runLibraryUpload } from "./libraryUpload.ts"`,
        `await runLibraryUpload(layer, process.argv.slice(2))`
      ].join("\n"),
      resolveDir: HERE,
      loader: "ts",
      sourcefile: "library-upload-entry.ts"
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outfile,
    logLevel: "warning",
    // undici is CommonJS: bundled into ESM, it calls `require` for Node's built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
  })
}

const build = async (dir: string): Promise<Built> => {
  await buildCliBundle(join(dir, "cli"))
  const defaultFile = join(dir, "library-default.mjs")
  const nodeFile = join(dir, "library-node.mjs")
  await bundleLibrary(
    defaultFile,
    `import { DatafoldClient } from "../../src/index.ts"; const layer = DatafoldClient.Default`
  )
  await bundleLibrary(nodeFile, `import { Default as layer } from "../../src/node.ts"`)
  return { cli: join(dir, "cli", cliEntryName), default: defaultFile, node: nodeFile }
}

const runOnce = async (
  contender: Contender,
  context: {
    readonly host: string
    readonly folder: string
    readonly built: Built
    readonly scratch: string
    readonly expected: { readonly files: number; readonly bytes: number }
  }
): Promise<Sample> => {
  const { built, folder, host, scratch } = context
  const env = { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: host }
  const url = `${host}/api/v1/dbt/submit_artifacts/${CI_CONFIG_ID}`
  let measured: Measured
  let parts: Sample["parts"]
  if (contender.id === "floor") {
    // zip -r adds to an archive that exists: each run starts from none.
    const archive = join(scratch, "floor.zip")
    rmSync(archive, { force: true })
    const zip = await timeChild("zip", ["-r", "-q", archive, "."], { cwd: folder }, scratch)
    const curl = await timeChild(
      "curl",
      curlUploadArgs(archive, url, { apiKey: API_KEY, commitSha: COMMIT_SHA }),
      {},
      scratch
    )
    rmSync(archive, { force: true })
    parts = { zip, curl }
    measured = {
      seconds: zip.seconds + curl.seconds,
      cpuSeconds: zip.cpuSeconds + curl.cpuSeconds,
      maxRssBytes: Math.max(zip.maxRssBytes, curl.maxRssBytes)
    }
  } else if (contender.id === "cli") {
    measured = await timeChild(
      process.execPath,
      [
        built.cli,
        "dbt",
        "upload",
        "--ci-config-id",
        CI_CONFIG_ID,
        "--run-type",
        "pull_request",
        "--target-folder",
        folder,
        "--commit-sha",
        COMMIT_SHA,
        "--json"
      ],
      { env },
      scratch
    )
  } else {
    measured = await timeChild(
      process.execPath,
      [built[contender.id], CI_CONFIG_ID, folder, COMMIT_SHA],
      { env },
      scratch
    )
  }
  const received = await receivedOnce(host, contender, context.expected)
  return {
    seconds: measured.seconds,
    cpuSeconds: measured.cpuSeconds,
    maxRssBytes: measured.maxRssBytes,
    received,
    parts
  }
}

const versionOf = (pkg: string): string => {
  try {
    return (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
      .version
  } catch {
    return "unknown"
  }
}

const toolVersion = (command: string, args: ReadonlyArray<string>, pattern: RegExp): Promise<string> =>
  new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "ignore"] })
    let out = ""
    child.stdout.setEncoding("utf8").on("data", (text: string) => (out += text))
    child.once("error", () => resolve("unknown"))
    child.once("close", () => resolve((out.split("\n").find((line) => pattern.test(line)) ?? "unknown").trim()))
  })

const main = async (): Promise<void> => {
  const roundsArg = process.argv.indexOf("--rounds")
  const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds takes a whole number from 1")
  if (!existsSync(TIME)) throw new Error(`${TIME} is needed for each child's peak RSS (Debian: apt-get install time)`)
  const started = performance.now()
  const loadStart = os.loadavg()
  const scratch = mkdtempSync(join(os.tmpdir(), "bench-upload-"))
  const server = await startLoopbackServer(SERVER_ENTRY)
  try {
    const folder = join(scratch, "target")
    mkdirSync(folder)
    step(`writing the synthetic dbt target folder into ${folder}`)
    writeDbtTarget(folder, UPLOAD_TARGET)
    const files = listFiles(folder)
    const expected = { files: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0) }
    step(`${expected.files} files, ${mb(expected.bytes)}; receiving server at ${server.host}`)

    step("building the CLI bundle and the two library programs")
    const built = await build(join(scratch, "build"))
    const context = { host: server.host, folder, built, scratch, expected }

    step(`timing: ${CONTENDERS.length} contenders × ${rounds} rounds, order rotated, one child process per run`)
    await runOnce(CONTENDERS[0]!, context)
    const samples = new Map<ContenderId, Array<Sample>>(CONTENDERS.map((c) => [c.id, []]))
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < CONTENDERS.length; k++) {
        const contender = CONTENDERS[(k + round) % CONTENDERS.length]!
        const sample = await runOnce(contender, context)
        samples.get(contender.id)!.push(sample)
        step(`  ${contender.name}: ${seconds(sample.seconds)}, ${mb(sample.maxRssBytes)} peak RSS`)
      }
      step(`round ${round + 1} of ${rounds} done`)
    }

    const figures = (list: ReadonlyArray<Measured>) => ({
      medianSeconds: median(list.map((s) => s.seconds)),
      medianCpuSeconds: median(list.map((s) => s.cpuSeconds)),
      peakRssBytes: Math.max(...list.map((s) => s.maxRssBytes)),
      medianRssBytes: median(list.map((s) => s.maxRssBytes))
    })
    const floor = figures(samples.get("floor")!)
    const summary = CONTENDERS.map((c) => {
      const list = samples.get(c.id)!
      const f = figures(list)
      return {
        id: c.id,
        name: c.name,
        ...f,
        ratio: ratio(f.medianSeconds, floor.medianSeconds),
        mbPerSecond: expected.bytes / MB / f.medianSeconds,
        archiveBytes: list[0]!.received.archiveBytes,
        bodyBytes: list[0]!.received.bodyBytes,
        framing: list[0]!.received.framing,
        samples: list
      }
    })
    const floorParts = (part: "zip" | "curl") => figures(samples.get("floor")!.map((s) => s.parts![part]))

    // The floor's two steps get their time, CPU and RSS only: the targets are about whole uploads.
    const row = (name: string, f: ReturnType<typeof figures>, whole?: {
      readonly ratio: number
      readonly sent: string
      readonly verdict: boolean | undefined
    }): Array<string> => [
      name,
      seconds(f.medianSeconds),
      whole === undefined ? "" : `${whole.ratio.toFixed(2)}×`,
      whole?.verdict === undefined ? "" : whole.verdict ? "met" : "NOT met",
      whole === undefined ? "" : `${(expected.bytes / MB / f.medianSeconds).toFixed(1)} MB/s`,
      seconds(f.medianCpuSeconds),
      `${mb(f.peakRssBytes)} (median ${mb(f.medianRssBytes)})`,
      whole === undefined ? "" : f.peakRssBytes < RSS_TARGET_BYTES ? "met" : "NOT met",
      whole?.sent ?? ""
    ]
    const rows = summary.flatMap((s) => {
      const main = row(s.name, s, {
        ratio: s.ratio,
        verdict: s.id === "floor" ? undefined : s.ratio <= RATIO_TARGET,
        sent: `${s.archiveBytes.toLocaleString("en")} B ZIP, ${s.bodyBytes.toLocaleString("en")} B body, ${s.framing}`
      })
      return s.id !== "floor" ? [main] : [
        main,
        row("  of which zip -r -q (into a file)", floorParts("zip")),
        row("  of which curl -F (the file, sent)", floorParts("curl"))
      ]
    })
    const cpus = os.cpus()
    const machine = {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? "unknown",
      totalMemoryBytes: os.totalmem(),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      node: process.versions.node,
      loadAverageStart: loadStart,
      loadAverageEnd: os.loadavg()
    }
    const versions = {
      zip: await toolVersion("zip", ["-v"], /This is Zip/),
      curl: await toolVersion("curl", ["--version"], /^curl/),
      effect: versionOf("effect"),
      undici: versionOf("undici"),
      fflate: versionOf("fflate"),
      "form-data-encoder": versionOf("form-data-encoder")
    }
    const elapsedMs = performance.now() - started
    writeFileSync(
      RESULTS,
      `${
        JSON.stringify(
          {
            date: new Date().toISOString(),
            elapsedMs,
            machine,
            versions,
            rounds,
            folder: expected,
            targets: { ratio: RATIO_TARGET, peakRssBytes: RSS_TARGET_BYTES },
            contenders: summary,
            floorParts: { zip: floorParts("zip"), curl: floorParts("curl") }
          },
          null,
          2
        )
      }\n`
    )
    console.log(
      [
        `Folder: ${expected.files} files, ${
          mb(expected.bytes)
        }. Median of ${rounds} runs each, one child process per run, order rotated; ratio = seconds over the floor's in this run (${
          seconds(floor.medianSeconds)
        }). Peak RSS: the highest of the runs (/usr/bin/time %M; the floor's is its larger step's). MB = 10^6 bytes.`,
        "",
        renderTable([
          "contender",
          "time",
          "vs floor",
          `≤ ${RATIO_TARGET}×`,
          "folder MB/s",
          "CPU (user+sys)",
          "peak RSS",
          "< 160 MB",
          "sent (checked whole by the server)"
        ], rows),
        "",
        `machine: ${machine.cpus}× ${machine.cpuModel}, ${
          mb(machine.totalMemoryBytes)
        } RAM, Node ${machine.node}, ${versions.zip}, ${versions.curl}; load average ${
          loadStart.map((x) => x.toFixed(2)).join("/")
        } at start, ${machine.loadAverageEnd.map((x) => x.toFixed(2)).join("/")} at end; ${new Date().toISOString()}; ${
          (elapsedMs / 1000).toFixed(0)
        } s`
      ].join("\n")
    )
    step(`wrote ${RESULTS}`)
  } finally {
    await server.stop()
    rmSync(scratch, { recursive: true, force: true })
  }
}

setTimeout(() => {
  console.error(`bench:upload: gave up after the hard limit of ${HARD_LIMIT_MS / 60_000} minutes`)
  process.exit(1)
}, HARD_LIMIT_MS).unref()

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
