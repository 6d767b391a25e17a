/**
 * Real git repositories for tests, built with the git binary; nothing is stubbed.
 */
import { execFileSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"

/** Run git in `cwd` with a fixed identity and C locale; gives trimmed stdout. */
export const git = (cwd: string, ...args: Array<string>): string =>
  execFileSync(
    "git",
    ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args],
    { cwd, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } }
  ).trim()

/** Commit a new file named `file` and give the commit's SHA. */
export const commit = (cwd: string, file: string): string => {
  writeFileSync(join(cwd, file), `${file}\n`)
  git(cwd, "add", file)
  git(cwd, "commit", "-q", "-m", `add ${file}`)
  return git(cwd, "rev-parse", "HEAD")
}
