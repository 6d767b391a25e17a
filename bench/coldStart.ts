/**
 * Cold start: one trigger end to end from a fresh process, the built `datafold-ci` CLI
 * (which sends over `node:http`) against the floor, a minimal one-shot `node:http`
 * script doing the same POST, and beside them a minimal Node `fetch` script and `curl`;
 * each run N times, interleaved with the order rotated, median wall time per contender.
 */
import * as esbuild from "esbuild"
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { median, now, quantile, ratio } from "./stats.ts"
import { BASE_SHA, BENCH_API_KEY, CI_CONFIG_ID, PR_SHA, TRIGGER_BODY, TRIGGER_HEADERS, triggerUrl } from "./workload.ts"

const ROOT = fileURLToPath(new URL("..", import.meta.url))
/** The built CLI bundle the figure runs. */
export const CLI_BUNDLE = join(ROOT, "packages/datafold-ci/dist/datafold-ci.js")
const CLI_SOURCE = join(ROOT, "src/bin/datafold-ci.ts")
const FETCH_ONCE = fileURLToPath(new URL("./coldstart/fetchOnce.mjs", import.meta.url))
const HTTP_ONCE = fileURLToPath(new URL("./coldstart/httpOnce.mjs", import.meta.url))
const EFFECT_FLOOR = fileURLToPath(new URL("./coldstart/effectFloor.ts", import.meta.url))

/** The name of the Effect + Schema floor's row. */
export const EFFECT_COLD_START_FLOOR = "Effect + Schema floor script"

/**
 * `coldstart/effectFloor.ts` bundled and minified as the CLI is (one file, no packages
 * left external), into a folder of its own under the system's temporary directory.
 */
const buildEffectFloor = (): string => {
  const outfile = join(mkdtempSync(join(tmpdir(), "datafold-bench-")), "effectFloor.mjs")
  esbuild.buildSync({
    entryPoints: [EFFECT_FLOOR],
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "warning"
  })
  return outfile
}

/** The contender every cold-start ratio is taken against. */
export const COLD_START_FLOOR = "node:http script"

/** How the cold-start figure is run. */
export interface ColdStartOptions {
  readonly runs: number
  readonly warmupRuns: number
}

/** Defaults: 20 measured runs per contender after 2 warm-up runs each. */
export const DEFAULT_COLD_START: ColdStartOptions = { runs: 20, warmupRuns: 2 }

/** One contender's cold-start figures, in milliseconds. */
export interface ColdStartRow {
  readonly contender: string
  readonly runs: number
  readonly medianMs: number
  readonly p90Ms: number
  /** Median over the floor's (the `node:http` script's) median. */
  readonly ratio: number
}

/** The cold-start figure, or why it was skipped. */
export type ColdStartResult =
  | {
    readonly skipped: false
    readonly options: ColdStartOptions
    readonly rows: ReadonlyArray<ColdStartRow>
    /** CLI median over the `node:http` script's median: the target figure. */
    readonly ratio: number
    readonly curl: "installed" | "not installed"
  }
  | { readonly skipped: true; readonly reason: string }

const newestMtime = (dir: string): number => {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

/**
 * Make sure the CLI bundle exists and is not older than the sources: build it with
 * `npm run build:cli` when needed. Gives a reason to skip when the CLI source is absent
 * or the build fails.
 */
export const ensureCliBundle = (): string | undefined => {
  if (!existsSync(CLI_SOURCE)) return "the CLI source (src/bin/datafold-ci.ts) does not exist yet"
  const stale = !existsSync(CLI_BUNDLE) || statSync(CLI_BUNDLE).mtimeMs < newestMtime(join(ROOT, "src"))
  if (!stale) return undefined
  const build = spawnSync("npm", ["run", "--silent", "build:cli"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 })
  if (build.status !== 0 || !existsSync(CLI_BUNDLE)) {
    return `npm run build:cli failed: ${(build.stderr || build.stdout || String(build.error)).trim().slice(0, 400)}`
  }
  return undefined
}

const hasCurl = (): boolean => spawnSync("curl", ["--version"], { stdio: "ignore" }).status === 0

interface Contender {
  readonly name: string
  readonly command: string
  readonly args: ReadonlyArray<string>
}

const runOnce = (contender: Contender, env: NodeJS.ProcessEnv): number => {
  const started = now()
  const result = spawnSync(contender.command, contender.args, { env, encoding: "utf8", timeout: 30_000 })
  const elapsed = now() - started
  if (result.status !== 0 || result.stdout.trim().length === 0) {
    throw new Error(
      `${contender.name} failed (exit ${result.status}): ${
        (result.stderr || result.stdout || String(result.error)).trim().slice(0, 400)
      }`
    )
  }
  return elapsed
}

/** Run the cold-start figure against a loopback server at `host`. */
export const runColdStart = (
  host: string,
  options: ColdStartOptions = DEFAULT_COLD_START
): ColdStartResult => {
  const skip = ensureCliBundle()
  if (skip !== undefined) return { skipped: true, reason: skip }
  const env: NodeJS.ProcessEnv = { ...process.env, DATAFOLD_API_KEY: BENCH_API_KEY }
  // No CI-provider variables: the CLI must not pick up facts or write summaries here.
  for (const key of Object.keys(env)) {
    if (key === "GITHUB_ACTIONS" || key.startsWith("GITHUB_") || key === "CI") delete env[key]
  }
  const cliArgs: Array<string> = [
    CLI_BUNDLE,
    "trigger",
    ...["--ci-config-id", String(CI_CONFIG_ID), "--pr-num", "1", "--pr-branch", "f", "--base-branch", "main"],
    ...["--pr-sha", PR_SHA, "--base-sha", BASE_SHA, "--host", host, "--retries", "0"]
  ]
  const contenders: Array<Contender> = [
    { name: "datafold-ci (bundled CLI)", command: process.execPath, args: cliArgs },
    {
      name: COLD_START_FLOOR,
      command: process.execPath,
      args: [HTTP_ONCE, host, String(CI_CONFIG_ID), PR_SHA, BASE_SHA]
    },
    {
      name: EFFECT_COLD_START_FLOOR,
      command: process.execPath,
      args: [buildEffectFloor(), host, String(CI_CONFIG_ID), PR_SHA, BASE_SHA]
    },
    {
      name: "node fetch script",
      command: process.execPath,
      args: [FETCH_ONCE, host, String(CI_CONFIG_ID), PR_SHA, BASE_SHA]
    }
  ]
  const curl = hasCurl()
  if (curl) {
    const headerArgs = Object.entries(TRIGGER_HEADERS).flatMap(([name, value]) => ["-H", `${name}: ${value}`])
    contenders.push({
      name: "curl",
      command: "curl",
      args: ["-sS", "--fail", "-X", "POST", ...headerArgs, "--data-binary", TRIGGER_BODY, triggerUrl(host)]
    })
  }
  for (const contender of contenders) for (let i = 0; i < options.warmupRuns; i++) runOnce(contender, env)
  const samples = new Map<string, Array<number>>(contenders.map((c) => [c.name, []]))
  for (let run = 0; run < options.runs; run++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(k + run) % contenders.length]!
      samples.get(contender.name)!.push(runOnce(contender, env))
    }
  }
  const base = median(samples.get(COLD_START_FLOOR)!)
  const rows = contenders.map((contender): ColdStartRow => {
    const s = samples.get(contender.name)!
    return {
      contender: contender.name,
      runs: s.length,
      medianMs: median(s),
      p90Ms: quantile(s, 0.9),
      ratio: ratio(median(s), base)
    }
  })
  return {
    skipped: false,
    options,
    rows,
    ratio: rows[0]!.ratio,
    curl: curl ? "installed" : "not installed"
  }
}
