/**
 * One child process timed from outside, under `/usr/bin/time` (its peak RSS and CPU), for the
 * upload benches: the parent waits without working, so the timing is the child's.
 *
 * @module
 */
import { spawn } from "node:child_process"
import { readFileSync, rmSync } from "node:fs"
import { join } from "node:path"

/** GNU time, for a child's peak RSS (Debian: `apt-get install time`). */
export const TIME = "/usr/bin/time"
const CHILD_TIMEOUT_MS = 10 * 60_000

/** One child process under `/usr/bin/time`. */
export interface Measured {
  readonly seconds: number
  readonly cpuSeconds: number
  readonly maxRssBytes: number
}

const firstLines = (text: string): string => text.trim().split("\n").slice(0, 5).join(" | ").slice(0, 400)

/** Runs `command args` under `/usr/bin/time`; the parent waits without working, so the timing is the child's. */
export const timeChild = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly env?: Readonly<Record<string, string>> },
  scratch: string
): Promise<Measured & { readonly stdout: string }> =>
  new Promise((resolve, reject) => {
    const timeFile = join(scratch, "time.txt")
    rmSync(timeFile, { force: true })
    const started = performance.now()
    const child = spawn(TIME, ["-f", "%M %U %S", "-o", timeFile, command, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env["PATH"] ?? "", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: CHILD_TIMEOUT_MS
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text))
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text))
    child.once("error", reject)
    child.once("close", (code, signal) => {
      const elapsed = (performance.now() - started) / 1000
      if (code !== 0) {
        return reject(new Error(`${command} ${args.join(" ")} exited with ${code ?? signal}: ${firstLines(stderr)}`))
      }
      const [rssKiB, user, sys] = readFileSync(timeFile, "utf8").trim().split(/\s+/).slice(-3).map(Number)
      resolve({ seconds: elapsed, cpuSeconds: user! + sys!, maxRssBytes: rssKiB! * 1024, stdout })
    })
  })

/** The floor's upload: `curl -F` of the archive with the fields a dbt upload sends, failing on an HTTP error. */
export const curlUploadArgs = (
  archive: string,
  url: string,
  fields: { readonly apiKey: string; readonly commitSha: string }
): ReadonlyArray<string> => [
  "-sS",
  "--fail",
  "-H",
  `Authorization: Key ${fields.apiKey}`,
  "-F",
  `commit_sha=${fields.commitSha}`,
  "-F",
  "run_type=pull_request",
  "-F",
  `artifacts=@${archive}`,
  url
]
