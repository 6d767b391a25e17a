/**
 * Fresh npm projects for the consumer tests: a temporary directory with a package.json,
 * installed with npm as a user would (`--prefer-offline`: the npm cache first, the
 * registry for what it lacks), and a way to run commands in it.
 *
 * @module
 */
import { execFile } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The repository root. */
export const root = fileURLToPath(new URL("../../..", import.meta.url))

/** A binary from this repository's node_modules (tsc, tsx, publint …). */
export const repoBin = (name: string): string => join(root, "node_modules", ".bin", name)

/** What a command printed and how it exited. */
export interface Outcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs a command to completion; never rejects, the exit code says how it went. It is
 * killed after `timeout` ms (a whole clone's `npm ci` and `npm run package` need more than
 * the default).
 */
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  cwd: string,
  env: Readonly<Record<string, string>> = {},
  timeout = 240_000
): Promise<Outcome> =>
  new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd,
        timeout,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env }
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
        resolve({ code, stdout, stderr })
      }
    )
  })

/** Runs a command and returns its stdout; rejects with everything it printed when it fails. */
export const succeed = async (
  command: string,
  args: ReadonlyArray<string>,
  cwd: string,
  env: Readonly<Record<string, string>> = {}
): Promise<string> => {
  const outcome = await run(command, args, cwd, env)
  if (outcome.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${outcome.code}\n${outcome.stdout}\n${outcome.stderr}`)
  }
  return outcome.stdout
}

/** The flags of every install here: no scripts, no audit, the cache before the network. */
export const installFlags: ReadonlyArray<string> = ["--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund"]

/** A temporary directory for one test file's projects; `remove` deletes it. */
export const workspace = (): { readonly dir: string; readonly remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), "effect-datafold-consumer-"))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Creates `<parent>/<name>` holding a private ESM package.json with `dependencies`. */
export const makeProject = (
  parent: string,
  name: string,
  dependencies: Readonly<Record<string, string>> = {}
): string => {
  const dir = join(parent, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name, version: "0.0.0", private: true, type: "module", dependencies }, null, 2)
  )
  return dir
}

/** `npm install` in a project; rejects with npm's output when it fails. */
export const install = (dir: string): Promise<string> => succeed("npm", ["install", ...installFlags], dir)

/**
 * Every installed copy of a package in a project, as `npm ls --all --parseable` lists
 * them: one path per distinct location.
 */
export const copiesOf = async (dir: string, name: string): Promise<ReadonlyArray<string>> => {
  const outcome = await run("npm", ["ls", name, "--all", "--parseable"], dir)
  if (outcome.code !== 0) throw new Error(`npm ls ${name} failed\n${outcome.stdout}\n${outcome.stderr}`)
  const paths = outcome.stdout.split("\n").filter((line) => line.endsWith(`/node_modules/${name}`))
  return [...new Set(paths)]
}
