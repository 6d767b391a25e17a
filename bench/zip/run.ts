/**
 * `npm run bench:zip [-- --rounds N]`: streaming ZIP writers for uploading a dbt `target/` folder, every figure
 * in one run against floors measured in the same run (the machine is shared and noisy).
 *
 * 1. A synthetic ~140 MB target folder is written once into a temporary folder (`dbtTarget.ts`).
 * 2. Each writer is bundled by esbuild (minified, ESM, for Node) with the small program that runs it
 *    (`command.ts`): the bundle's size is the size figure, and the timed runs run that bundle.
 * 3. N rounds, order rotated: each contender zips the folder in a child process of its own, into a sink that
 *    counts bytes; `/usr/bin/time` gives the child's peak RSS. The floor is Debian's `zip -r -q -` of the
 *    same folder into /dev/null; `zip -r -1` and a Node read-and-copy with no ZIP stand beside it.
 * 4. Each contender once more into a file: `unzip -t`, then Python's `zipfile` (testzip and every file's bytes
 *    against the folder), and the output's size against `zip -r`'s.
 * 5. A small folder zipped by each writer from source on Deno (`deno run -A`) and Bun, checked the same way.
 *
 * Nothing is written into the repository; the temporary folder is removed at the end.
 */
import * as esbuild from "esbuild"
import { spawnSync, type SpawnSyncOptions } from "node:child_process"
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from "node:fs"
import * as os from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { median, ratio } from "../stats.ts"
import { renderTable } from "../table.ts"
import type { ZipRunReport } from "./command.ts"
import { LARGE_TARGET, SMALL_TARGET, writeDbtTarget } from "./dbtTarget.ts"
import { listFiles } from "./files.ts"
import { type LibraryFacts, libraryFacts } from "./libraries.ts"

const HERE = fileURLToPath(new URL(".", import.meta.url))
const ROOT = fileURLToPath(new URL("../..", import.meta.url))
const BIN = join(ROOT, "node_modules/.bin")
const TIME = "/usr/bin/time"
const HARD_LIMIT_MS = 20 * 60_000
const CHILD_TIMEOUT_MS = 5 * 60_000

/** A writer module under `writers/`, with the library it tests (none for the floor). */
interface Writer {
  readonly module: string
  readonly label: string
  readonly library: string | undefined
}

const WRITERS: ReadonlyArray<Writer> = [
  { module: "copy", label: "Node read + copy, no ZIP", library: undefined },
  { module: "fflate", label: "fflate Zip + ZipDeflate", library: "fflate" },
  { module: "fflateWorker", label: "fflate Zip + AsyncDeflate worker (files ≥ 1 MiB)", library: "fflate" },
  { module: "fflateZlibStream", label: "fflate Zip + node:zlib streams", library: "fflate" },
  { module: "fflateZlib", label: "fflate Zip + node:zlib, small files sync", library: "fflate" },
  { module: "yazl", label: "yazl addFile", library: "yazl" },
  { module: "yazlWhole", label: "yazl addReadStreamLazy, small files read whole", library: "yazl" },
  { module: "archiver", label: "archiver", library: "archiver" },
  { module: "zipjs", label: "zip.js ZipWriter", library: "@zip.js/zip.js" },
  {
    module: "shipped",
    label: "shipped: own container (ZIP64 where needed) + node:zlib, large files in parallel segments",
    // fflate is left only as the CRC-32 where the runtime has no native one.
    library: "fflate"
  }
]

/** One timed thing: `zip -r` at a level, or a writer's bundle at a level. */
interface Contender {
  readonly name: string
  readonly level: number
  readonly writer: Writer | undefined
}

const FLOOR = "zip -r (Info-ZIP, level 6)"

const CONTENDERS: ReadonlyArray<Contender> = [
  { name: FLOOR, level: 6, writer: undefined },
  { name: "zip -r -1", level: 1, writer: undefined },
  ...WRITERS.flatMap((writer): Array<Contender> => {
    const at = (level: number): Contender => ({ name: `${writer.label}, level ${level}`, level, writer })
    if (writer.module === "copy") return [{ name: writer.label, level: 6, writer }]
    // Level 1 where it might close the gap: the pure-JS deflate and the fastest node:zlib writers.
    if (["fflate", "fflateZlib", "yazl"].includes(writer.module)) {
      return [at(6), at(1)]
    }
    return [at(6)]
  })
]

const step = (text: string): void => {
  process.stderr.write(`bench:zip: ${text}\n`)
}

const MiB = 1024 * 1024
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`
const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`
const times = (x: number): string => `${x.toFixed(2)}×`

const run = (command: string, args: ReadonlyArray<string>, options: SpawnSyncOptions = {}) => {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: CHILD_TIMEOUT_MS, ...options })
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim()
  return { ok: result.status === 0 && result.error === undefined, output, stdout: String(result.stdout ?? "") }
}

const firstLine = (text: string): string => (text.split("\n").find((line) => line.trim() !== "") ?? "").slice(0, 90)

// ---------------------------------------------------------------------------------------------------------------
// Bundles

interface Bundle {
  readonly file: string
  readonly rawBytes: number
  readonly gzipBytes: number
  /** Minified bytes that came from node_modules (the library and its dependencies). */
  readonly packageBytes: number
}

const buildBundle = async (writer: Writer, dir: string): Promise<Bundle> => {
  const file = join(dir, `${writer.module}.mjs`)
  const result = await esbuild.build({
    stdin: {
      contents: [
        `import { makeZip } from "./writers/${writer.module}.ts"`,
        `import { runZipCommand } from "./command.ts"`,
        `await runZipCommand(makeZip, process.argv.slice(2))`
      ].join("\n"),
      resolveDir: HERE,
      loader: "ts",
      sourcefile: `${writer.module}-entry.ts`
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outfile: file,
    metafile: true,
    logLevel: "warning",
    // CJS dependencies bundled into ESM call `require` for Node's built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
  })
  const bytes = readFileSync(file)
  const inputs = Object.values(result.metafile.outputs)[0]!.inputs
  const packageBytes = Object.entries(inputs).filter(([path]) => path.includes("node_modules/"))
    .reduce((sum, [, info]) => sum + info.bytesInOutput, 0)
  return { file, rawBytes: bytes.byteLength, gzipBytes: gzipSync(bytes, { level: 9 }).byteLength, packageBytes }
}

// ---------------------------------------------------------------------------------------------------------------
// Timed runs

interface Sample {
  readonly seconds: number
  readonly cpuSeconds: number
  readonly maxRssBytes: number | null
  readonly bytes: number | null
}

const hasTime = existsSync(TIME)

/** One run of `contender` over `folder`, into a counting sink (a writer) or /dev/null (`zip`). */
const timeOnce = (contender: Contender, folder: string, bundles: ReadonlyMap<string, Bundle>, scratch: string) => {
  const timeFile = join(scratch, "time.txt")
  const command = contender.writer === undefined ? "zip" : process.execPath
  const args: Array<string> = contender.writer === undefined
    ? ["-r", "-q", `-${contender.level}`, "-", "."]
    : [bundles.get(contender.writer.module)!.file, String(contender.level), folder]
  const devNull = openSync("/dev/null", "w")
  const [file, argv] = hasTime ? [TIME, ["-f", "%M %U %S", "-o", timeFile, command, ...args]] : [command, args]
  const started = performance.now()
  const result = spawnSync(file, argv, {
    cwd: folder,
    stdio: ["ignore", contender.writer === undefined ? devNull : "pipe", "pipe"],
    encoding: "utf8",
    timeout: CHILD_TIMEOUT_MS
  })
  const seconds = (performance.now() - started) / 1000
  closeSync(devNull)
  if (result.status !== 0) {
    throw new Error(`${contender.name} failed: ${firstLine(String(result.stderr || result.error || ""))}`)
  }
  const report = contender.writer === undefined ? undefined : (JSON.parse(result.stdout) as ZipRunReport)
  const [rssKiB, user, sys] = hasTime ? readFileSync(timeFile, "utf8").trim().split(/\s+/).slice(-3).map(Number) : []
  return {
    seconds,
    cpuSeconds: (user ?? Number.NaN) + (sys ?? Number.NaN),
    maxRssBytes: rssKiB !== undefined ? rssKiB * 1024 : report?.maxRssBytes ?? null,
    bytes: report?.bytes ?? null
  } satisfies Sample
}

// ---------------------------------------------------------------------------------------------------------------
// Correctness

interface Check {
  readonly unzip: string
  readonly zipfile: string
  readonly bytes: number
}

const CHECK_PY = join(HERE, "checkZip.py")

const checkArchive = (archive: string, folder: string): Omit<Check, "bytes"> => {
  const unzip = run("unzip", ["-tqq", archive])
  const py = run("python3", [CHECK_PY, archive, folder])
  return {
    unzip: unzip.ok ? "OK" : `FAIL: ${firstLine(unzip.output)}`,
    zipfile: py.ok ? "OK" : `FAIL: ${firstLine(py.output)}`
  }
}

const checkOnce = (contender: Contender, folder: string, bundles: ReadonlyMap<string, Bundle>, scratch: string) => {
  const archive = join(scratch, "check.zip")
  rmSync(archive, { force: true })
  const made = contender.writer === undefined
    ? run("zip", ["-r", "-q", `-${contender.level}`, archive, "."], { cwd: folder })
    : run(process.execPath, [bundles.get(contender.writer.module)!.file, String(contender.level), folder, archive])
  if (!made.ok) return { unzip: `FAIL: ${firstLine(made.output)}`, zipfile: "not run", bytes: Number.NaN }
  const check: Check = { ...checkArchive(archive, folder), bytes: statSync(archive).size }
  rmSync(archive, { force: true })
  return check
}

/** A writer from source on `runtime` over the small folder, checked as above. */
const smoke = (runtime: "deno" | "bun", writer: Writer, folder: string, scratch: string): string => {
  const archive = join(scratch, `smoke-${runtime}.zip`)
  rmSync(archive, { force: true })
  const script = join(HERE, "zipOne.ts")
  const args = runtime === "deno"
    ? ["run", "-A", script, writer.module, "6", folder, archive]
    : [script, writer.module, "6", folder, archive]
  const made = run(join(BIN, runtime), args, { cwd: ROOT })
  if (!made.ok) return `FAIL: ${firstLine(made.output)}`
  const check = checkArchive(archive, folder)
  rmSync(archive, { force: true })
  return check.unzip === "OK" && check.zipfile === "OK" ? "OK" : `FAIL: unzip ${check.unzip}; zipfile ${check.zipfile}`
}

// ---------------------------------------------------------------------------------------------------------------

/** The first line of `command args`' output that matches `pattern` (or its first line). */
const versionOf = (command: string, args: ReadonlyArray<string>, pattern = /./): string => {
  const output = run(command, args).output
  return (output.split("\n").find((line) => pattern.test(line)) ?? firstLine(output)).trim()
}

const main = async (): Promise<void> => {
  const roundsArg = process.argv.indexOf("--rounds")
  const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds takes a whole number from 1")
  const started = performance.now()
  const loadStart = os.loadavg()
  const scratch = mkdtempSync(join(os.tmpdir(), "bench-zip-"))
  try {
    const large = join(scratch, "target")
    const small = join(scratch, "small-target")
    mkdirSync(large)
    mkdirSync(small)
    step(`writing the synthetic dbt target folder into ${large}`)
    writeDbtTarget(large, LARGE_TARGET)
    writeDbtTarget(small, SMALL_TARGET)
    const files = listFiles(large)
    const folderBytes = files.reduce((sum, f) => sum + f.size, 0)
    step(`${files.length} files, ${mib(folderBytes)}`)

    step("bundling each writer with esbuild")
    const bundleDir = join(scratch, "bundles")
    mkdirSync(bundleDir)
    const bundles = new Map<string, Bundle>()
    for (const writer of WRITERS) bundles.set(writer.module, await buildBundle(writer, bundleDir))

    step(`timing: ${CONTENDERS.length} contenders × ${rounds} rounds, order rotated, one child process per run`)
    // One untimed run of the floor first: the folder's pages are then as warm for the first contender as for the last.
    timeOnce(CONTENDERS[0]!, large, bundles, scratch)
    const samples = new Map<string, Array<Sample>>(CONTENDERS.map((c) => [c.name, []]))
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < CONTENDERS.length; k++) {
        const contender = CONTENDERS[(k + round) % CONTENDERS.length]!
        samples.get(contender.name)!.push(timeOnce(contender, large, bundles, scratch))
      }
      step(`round ${round + 1} of ${rounds} done`)
    }

    step("checking each archive: unzip -t and Python's zipfile against the folder")
    const checks = new Map<string, Check>()
    for (const contender of CONTENDERS) {
      if (contender.writer?.module === "copy") continue
      checks.set(contender.name, checkOnce(contender, large, bundles, scratch))
    }

    step("smoke runs from source on Deno and Bun (small folder)")
    const smokes = new Map<string, { deno: string; bun: string }>()
    for (const writer of WRITERS) {
      if (writer.library === undefined) continue
      smokes.set(writer.module, {
        deno: smoke("deno", writer, small, scratch),
        bun: smoke("bun", writer, small, scratch)
      })
    }

    const libraries = new Map<string, LibraryFacts>()
    for (const writer of WRITERS) {
      if (writer.library !== undefined && !libraries.has(writer.library)) {
        libraries.set(writer.library, libraryFacts(writer.library))
      }
    }

    // ---- tables
    const sum = (name: string) => {
      const s = samples.get(name)!
      return {
        seconds: median(s.map((x) => x.seconds)),
        cpu: median(s.map((x) => x.cpuSeconds)),
        rss: median(s.map((x) => x.maxRssBytes ?? Number.NaN))
      }
    }
    const floor = sum(FLOOR)
    const floorBytes = checks.get(FLOOR)!.bytes
    const copyBundle = bundles.get("copy")!
    const throughput: Array<Array<string>> = CONTENDERS.map((c) => {
      const s = sum(c.name)
      const check = checks.get(c.name)
      const r = ratio(s.seconds, floor.seconds)
      return [
        c.name,
        `${s.seconds.toFixed(2)} s`,
        times(r),
        `${(folderBytes / MiB / s.seconds).toFixed(0)} MiB/s`,
        Number.isNaN(s.cpu) ? "" : `${s.cpu.toFixed(2)} s`,
        Number.isNaN(s.rss) ? "" : mib(s.rss),
        check === undefined ? "" : `${mib(check.bytes)} (${times(check.bytes / floorBytes)})`,
        check?.unzip ?? "",
        check?.zipfile ?? "",
        c.writer === undefined || c.writer.module === "copy" ? "" : r <= 1.2 ? "met" : "NOT met"
      ]
    })
    const bundleRows = WRITERS.map((w) => {
      const b = bundles.get(w.module)!
      const smokeRow = smokes.get(w.module)
      return [
        w.label,
        kb(b.rawBytes),
        kb(b.gzipBytes),
        w.library === undefined ? "(the harness alone)" : `+${kb(b.rawBytes - copyBundle.rawBytes)}`,
        kb(b.packageBytes),
        smokeRow?.deno ?? "",
        smokeRow?.bun ?? ""
      ]
    })
    const libraryRows = [...libraries.values()].map((l) => [
      `${l.name} ${l.version}`,
      l.license,
      l.modules,
      String(l.dependencies),
      mib(l.installBytes)
    ])
    const formatRows = [...libraries.values()].map((l) => [l.name, l.zip64, l.dataDescriptor])
    const cpus = os.cpus()
    console.log(
      [
        `Folder: ${files.length} files, ${mib(folderBytes)} (manifest.json ${
          mib(statSync(join(large, "manifest.json")).size)
        }, catalog.json, run_results.json, ${LARGE_TARGET.sqlFiles} .sql files, ${
          mib(LARGE_TARGET.binaryBytes)
        } incompressible, one empty file, one non-ASCII name).`,
        `Throughput and memory: median of ${rounds} runs each; ratio = seconds over ${FLOOR}'s in this run (${
          floor.seconds.toFixed(2)
        } s into /dev/null). Writers run as their esbuild bundle on Node ${process.versions.node}, into a sink that counts bytes.`,
        "",
        renderTable(
          [
            "contender",
            "time",
            "vs zip -r",
            "throughput",
            "CPU (user+sys)",
            "peak RSS",
            "output (vs zip -r)",
            "unzip -t",
            "zipfile",
            "≤ 1.2× zip -r"
          ],
          throughput
        ),
        "",
        `Bundles: esbuild --bundle --minify --format=esm --platform=node of the writer and the program that runs it; "library" = minified bytes from node_modules. Smoke: the writer from source on ${
          versionOf(join(BIN, "deno"), ["--version"])
        } and Bun ${versionOf(join(BIN, "bun"), ["--version"])}, checked by unzip -t and zipfile.`,
        "",
        renderTable(["writer", "min", "min+gz", "over harness", "library", "Deno", "Bun"], bundleRows),
        "",
        renderTable(["library", "license", "modules", "dependencies", "installed"], libraryRows),
        "",
        renderTable(["library", "ZIP64 (writing)", "data descriptors"], formatRows),
        "",
        `machine: ${cpus.length}× ${cpus[0]?.model ?? "unknown"}, ${
          mib(os.totalmem())
        } RAM, Node ${process.versions.node}, ${versionOf("zip", ["-v"], /This is Zip/)}${
          hasTime ? "" : " (no /usr/bin/time: RSS from the child's resourceUsage, CPU not measured)"
        }; load average ${loadStart.map((x) => x.toFixed(2)).join("/")} at start, ${
          os.loadavg().map((x) => x.toFixed(2)).join("/")
        } at end; ${new Date().toISOString()}; ${((performance.now() - started) / 1000).toFixed(0)} s`
      ].join("\n")
    )
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

setTimeout(() => {
  console.error(`bench:zip: gave up after the hard limit of ${HARD_LIMIT_MS / 60_000} minutes`)
  process.exit(1)
}, HARD_LIMIT_MS).unref()

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
