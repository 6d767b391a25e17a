/**
 * Real git repositories for tests, built with the git binary; nothing is stubbed.
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
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

/** How a merge is checked out (see {@link mergeRepository}). */
export type MergeCheckout = "pr-first" | "base-first" | "pushed" | "no-base"

/**
 * A repository whose HEAD is a merge, in a fresh temporary folder (the caller removes it).
 * main: a - b - d (origin/main at d); feature: b - c. Then HEAD is checked out as `merge`
 * says: `pr-first` merges main into feature (Jenkins), `base-first` merges feature into
 * main (GitHub's and GitLab's merge refs), `pushed` is feature's own merge of main, pushed.
 */
export const mergeRepository = (merge: MergeCheckout) => {
  const dir = mkdtempSync(join(tmpdir(), "datafold-merge-head-"))
  git(dir, "init", "-q", "-b", "main")
  commit(dir, "a.txt")
  const b = commit(dir, "b.txt")
  git(dir, "checkout", "-q", "-b", "feature")
  const c = commit(dir, "c.txt")
  git(dir, "checkout", "-q", "main")
  const d = commit(dir, "d.txt")
  git(dir, "update-ref", "refs/remotes/origin/main", d)
  if (merge === "pr-first" || merge === "pushed" || merge === "no-base") {
    git(dir, "checkout", "-q", "--detach", c)
    git(dir, "merge", "-q", "--no-ff", "--no-edit", "main")
  } else {
    git(dir, "checkout", "-q", "--detach", d)
    git(dir, "merge", "-q", "--no-ff", "--no-edit", "feature")
  }
  const head = git(dir, "rev-parse", "HEAD")
  if (merge === "pushed") git(dir, "update-ref", "refs/remotes/origin/feature", head)
  if (merge === "no-base") {
    git(dir, "update-ref", "-d", "refs/remotes/origin/main")
    git(dir, "branch", "-q", "-D", "main")
  }
  return { dir, b, c, d, head }
}
