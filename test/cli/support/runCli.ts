/**
 * Runs the real `datafold-ci` as a child process with a controlled environment, and
 * fixtures shared by the CLI tests.
 *
 * @module
 */
import { execFile } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { inject } from "vitest"

/** The repository root. */
export const root = resolve(import.meta.dirname, "../../..")

/** A distinctive key, so a test can prove it never appears in any output. */
export const API_KEY = "dfk_test_NEVER_PRINT_ME_5e1b9c0d7a"

/** Full SHAs for the PR head and the base. */
export const PR_SHA = "0123456789abcdef0123456789abcdef01234567"
export const BASE_SHA = "fedcba9876543210fedcba9876543210fedcba98"

/** Every PR fact as flags, so nothing is looked up in the environment or git. */
export const factFlags: ReadonlyArray<string> = [
  "--pr-num",
  "45",
  "--pr-branch",
  "feature/login",
  "--base-branch",
  "main",
  "--pr-sha",
  PR_SHA,
  "--base-sha",
  BASE_SHA
]

/** What a run printed and how it exited. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * How to start the CLI: the bundle built once for the run (`test/support/cliBundleSetup.ts`)
 * with plain node, as CI runs the package (default), or through tsx from `src`.
 */
export type Launcher = "bundle" | "tsx"

/** The entry of the CLI bundle this run built. */
export const cliBundleEntry = (): string => inject("cliBundle").entry

const command = (launcher: Launcher): readonly [string, ReadonlyArray<string>] =>
  launcher === "tsx"
    ? [join(root, "node_modules/.bin/tsx"), [join(root, "src/bin/datafold-ci.ts")]]
    : [process.execPath, [cliBundleEntry()]]

const created: Array<string> = []

/** A fresh empty directory outside any git repository; {@link removeTempDirs} deletes it. */
export const emptyDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "datafold-ci-test-"))
  created.push(dir)
  return dir
}

/** Deletes every directory {@link emptyDir} made in this test file (call it in `afterAll`). */
export const removeTempDirs = (): void => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/**
 * Runs `datafold-ci` with exactly `env` (plus PATH, so `#!/usr/bin/env node` and git resolve):
 * none of the test runner's own variables (a CI's GITHUB_ACTIONS, say) leak in.
 *
 * Rejects when the API key (`API_KEY`, or any key the run was given) shows up on stdout
 * or stderr, so every test that runs the CLI also checks that the key is never printed.
 */
export const runCli = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Readonly<Record<string, string>>; readonly cwd?: string; readonly launcher?: Launcher } = {}
): Promise<CliResult> => {
  const [file, prefix] = command(options.launcher ?? "bundle")
  // Without a cwd, run in a throwaway directory, so git finds no repository.
  const ownDir = options.cwd === undefined ? mkdtempSync(join(tmpdir(), "datafold-ci-cwd-")) : undefined
  return new Promise<CliResult>((resolvePromise, reject) => {
    execFile(
      file,
      [...prefix, ...args],
      {
        cwd: options.cwd ?? ownDir,
        env: { PATH: process.env["PATH"] ?? "", ...options.env },
        encoding: "utf8",
        // A ceiling for a stuck child, not a measurement: tsx alone takes 20 s on a loaded 2-core machine.
        timeout: 55_000
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") {
          reject(new Error(`could not run datafold-ci: ${error.message}\n${stderr}`))
          return
        }
        const keys = [
          API_KEY,
          ...Object.entries(options.env ?? {}).filter(([name]) => /API_?KEY/.test(name)).map(([, value]) => value)
        ]
        const leaked = keys.find((key) => key.length > 0 && (stdout.includes(key) || stderr.includes(key)))
        if (leaked !== undefined) {
          reject(new Error(`the API key was printed by datafold-ci ${args.join(" ")}`))
          return
        }
        resolvePromise({ code: error === null ? 0 : (error.code as number), stdout, stderr })
      }
    )
  }).finally(() => {
    if (ownDir !== undefined) rmSync(ownDir, { recursive: true, force: true })
  })
}

/** The single JSON object a `--json` run must print, and nothing else on stdout. */
export const onlyJson = (stdout: string): Record<string, unknown> => {
  const lines = stdout.split("\n").filter((line) => line.length > 0)
  if (lines.length !== 1) throw new Error(`expected exactly one line on stdout, got ${lines.length}:\n${stdout}`)
  const value: unknown = JSON.parse(lines[0] ?? "")
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`not a JSON object: ${stdout}`)
  }
  return value as Record<string, unknown>
}

/** A loopback port nothing listens on: bound, then released. */
export const closedPort = (): Promise<number> =>
  new Promise((resolvePromise, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolvePromise(port))
    })
  })
