/**
 * What a 150 MB dbt upload costs the local server, on each runtime: a target folder (a
 * 150 MB file of random bytes and a manifest) zipped by Debian's `zip -r`, sent by
 * `curl -F`, once with `Content-Length` and once chunked, to the local server's own
 * multipart reader and to `Request.formData()` (see `receiver.ts`). Prints curl's time for
 * the whole upload and answer and the receiver's peak RSS above its start. Not a timed
 * test: `node scripts/with-node.mjs system tsx bench/serverUpload/run.ts` (about a minute;
 * needs zip and curl). `--mib N` changes the size.
 */
import { execFileSync, spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs"
import { randomFillSync } from "node:crypto"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"

const { values } = parseArgs({ options: { mib: { type: "string", default: "150" } } })
const root = resolve(import.meta.dirname, "../..")
const bin = (name: string) => join(root, "node_modules", ".bin", name)
const receiver = join(import.meta.dirname, "receiver.ts")
const runtimes: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["Node 20", [process.execPath, join(root, "node_modules/tsx/dist/cli.mjs"), receiver]],
  ["Node 22", [join(root, "node_modules/node22/bin/node"), join(root, "node_modules/tsx/dist/cli.mjs"), receiver]],
  ["Node 24", [join(root, "node_modules/node24/bin/node"), join(root, "node_modules/tsx/dist/cli.mjs"), receiver]],
  ["Deno", [bin("deno"), "run", "--allow-net=127.0.0.1", "--allow-env", "--allow-read", receiver]],
  ["Bun", [bin("bun"), receiver]]
]

const dir = mkdtempSync(join(tmpdir(), "server-upload-"))
const target = join(dir, "target")
mkdirSync(target)
const file = openSync(join(target, "run_results.bin"), "w")
const block = Buffer.alloc(1024 * 1024)
for (let i = 0; i < Number(values.mib); i++) writeSync(file, randomFillSync(block))
execFileSync("sh", ["-c", `printf '{"nodes":{}}' > manifest.json && zip -q -r ../artifacts.zip .`], { cwd: target })
const archive = join(dir, "artifacts.zip")
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0)

const once = (command: ReadonlyArray<string>, reader: string, chunked: boolean) =>
  new Promise<{ seconds: number; peak: number; kept: number }>((done, fail) => {
    const child = spawn(command[0]!, [...command.slice(1), reader], { stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk
      const lines = out.split("\n")
      if (lines.length === 2 && lines[1] === "") {
        const curl = execFileSync("curl", [
          ...["-s", "-o", "/dev/null", "-w", "%{time_total}", "-H", "Authorization: Key bench"],
          ...(chunked ? ["-H", "Transfer-Encoding: chunked"] : []),
          ...["-F", "commit_sha=abc", "-F", "run_type=production", "-F", `artifacts=@${archive}`],
          `${lines[0]}/api/v1/dbt/submit_artifacts/1`
        ], { encoding: "utf8" })
        out += `curl ${curl}\n`
      }
      const report = lines.find((line) => line.startsWith("{"))
      const seconds = /curl ([\d.]+)/.exec(out)?.[1]
      if (report !== undefined && seconds !== undefined) {
        const { before, after, archive: kept } = JSON.parse(report) as Record<string, number>
        child.kill()
        done({ seconds: Number(seconds), peak: after! - before!, kept: kept! })
      }
    })
    child.once("exit", (code) => code !== null && code !== 0 && fail(new Error(`receiver exited ${code}`)))
  })

console.log(`archive: ${mib(statSync(archive).size)} MiB, sent by curl -F\n`)
console.log("| runtime | reader | body | upload and answer | peak RSS above start |")
console.log("| --- | --- | --- | ---: | ---: |")
for (const [name, command] of runtimes) {
  for (const reader of ["inPlace", "formData"]) {
    for (const chunked of [false, true]) {
      const { seconds, peak, kept } = await once(command, reader, chunked)
      if (kept !== statSync(archive).size) throw new Error(`${name} ${reader} kept ${kept} bytes`)
      const label = reader === "inPlace" ? "the local server" : "Request.formData()"
      console.log(
        `| ${name} | ${label} | ${chunked ? "chunked" : "Content-Length"} | ${seconds.toFixed(2)} s | ${peak} MiB |`
      )
    }
  }
}
rmSync(dir, { recursive: true, force: true })
