/**
 * Git's rules for a branch name (`git check-ref-format --branch`), in the one place
 * both the library's schema and the CLI use, so each refuses exactly what the other does.
 */

// Control characters, space, DEL, and the characters git reserves: ~ ^ : ? * [ \
// deno-lint-ignore no-control-regex
const FORBIDDEN = /[\u0000-\u0020\u007f~^:?*[\\]/

// The common name (`main`, `feature/x-1`): letters, digits, `_` and `-` in parts joined by
// single slashes, not starting with `-`. It breaks none of the rules below, so it is
// accepted without checking each.
const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_-]*(?:\/[A-Za-z0-9_-]+)*$/

/**
 * Why `name` is not a valid branch name, in words that complete "pr_branch …", or
 * `undefined` when git would accept it.
 */
export const branchNameProblem = (name: string): string | undefined => {
  if (PLAIN.test(name)) return undefined
  if (name.length === 0) return "must not be empty"
  if (name.trim() !== name) return "must not start or end with white space"
  const forbidden = FORBIDDEN.exec(name)?.[0]
  if (forbidden !== undefined) {
    return forbidden.trim() === "" || forbidden < " " || forbidden === "\u007f"
      ? "must not contain spaces or control characters (git's branch name rules)"
      : `must not contain ${JSON.stringify(forbidden)} (git refuses ~ ^ : ? * [ and \\ in branch names)`
  }
  if (name.includes("..")) return 'must not contain ".." (git\'s branch name rules)'
  if (name.includes("@{")) return 'must not contain "@{" (git\'s branch name rules)'
  if (name.startsWith("-")) return 'must not start with "-" (git\'s branch name rules)'
  if (name.startsWith("/") || name.endsWith("/") || name.includes("//")) {
    return 'must not start or end with "/" or contain "//" (git\'s branch name rules)'
  }
  if (name.endsWith(".")) return 'must not end with "." (git\'s branch name rules)'
  for (const part of name.split("/")) {
    if (part.startsWith(".")) return 'must not have a part starting with "." (git\'s branch name rules)'
    if (part.endsWith(".lock")) return 'must not have a part ending in ".lock" (git\'s branch name rules)'
  }
  return undefined
}
