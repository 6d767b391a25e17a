/**
 * `tsx scripts/checkMirror.ts` (`npm run check:mirror`, part of `npm run check`): the two
 * Effect majors' library files line up file for file, and neither side gains logic the
 * other lacks unless `scripts/mirror-allow.json` says why.
 *
 * - Pairs: every library file of the Effect 3 tree (the top-level modules of `src/`,
 *   `src/internal/`, `src/localServer/`) with the file at the same relative path under
 *   `src/effect4/`. A file on one side only must be allow-listed (`oneSided`).
 * - What is compared is each file's logic, read with the TypeScript parser and made
 *   independent of the Effect API's spelling: the names it declares (functions,
 *   constants, classes, methods, types) and the repository's own functions it calls
 *   (callees bound to a declaration of the file or to an import from a relative path:
 *   `makeRetryDriver(…)`, `retries.trigger(…)`). Calls into Effect itself are left out,
 *   so its renames between majors (`Either`/`Result`, `Schema.Array$`/`Schema.$Array`,
 *   `Context.Tag`/`Context.Service`, `zipRight`/`andThen`) need no table; imports are
 *   compared by the names they bind, so their paths (`../core` vs `../../core`,
 *   `effect/http/HttpClient` vs `@effect/platform/HttpClient`) do not matter either.
 *   Renamed declarations go in `renames` (Effect 4 name → Effect 3 name).
 * - A name on one side only fails the check unless an entry of `differences` lists it
 *   for that file and side, with a reason. An entry that no longer matches a difference
 *   fails too, so the list shrinks as the majors converge.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import process from "node:process"
import { fileURLToPath } from "node:url"
import ts from "typescript"

/** Which tree a file or a name belongs to. */
export type Side = "effect3" | "effect4"

/** The allow list: one-sided files, one-sided names, renames. */
export interface MirrorAllowList {
  readonly oneSided: ReadonlyArray<{ readonly path: string; readonly side: Side; readonly reason: string }>
  readonly differences: ReadonlyArray<{
    readonly path: string
    readonly onlyIn: Side
    readonly names: ReadonlyArray<string>
    readonly reason: string
  }>
  /** Effect 4 declaration name → the Effect 3 name it mirrors. */
  readonly renames?: Readonly<Record<string, string>>
}

/** What a check found wrong, one line each. */
export interface MirrorReport {
  readonly pairs: number
  readonly problems: ReadonlyArray<string>
}

/** The folders of the Effect 3 tree that are twinned, relative to `src/` ("" is the top level). */
const TWINNED_FOLDERS = ["", "internal", "localServer"]
/** Top-level files that are not library files of either tree (the version both share, Effect 4's test set-up). */
const NOT_LIBRARY = new Set(["version.ts", "vitest.config.ts"])

/** The `.ts` files of `folder` (not recursing), relative to `base`. */
const filesOf = (base: string, folder: string): Array<string> => {
  const dir = join(base, folder)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ts") && statSync(join(dir, name)).isFile())
    .map((name) => (folder === "" ? name : `${folder}/${name}`))
    .filter((path) => !NOT_LIBRARY.has(path))
}

/** The logic of one file: declared names and calls of the repository's own functions. */
export const logicOf = (source: string, fileName = "file.ts"): Set<string> => {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
  const declared = new Set<string>()
  const repoBound = new Set<string>()
  const calls = new Set<string>()
  const declare = (name: ts.Node | undefined) => {
    if (name !== undefined && ts.isIdentifier(name)) {
      declared.add(name.text)
      repoBound.add(name.text)
    }
  }
  const collect = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const relativeImport = node.moduleSpecifier.text.startsWith(".")
      const clause = node.importClause
      if (relativeImport && clause !== undefined) {
        if (clause.name !== undefined) repoBound.add(clause.name.text)
        const bindings = clause.namedBindings
        if (bindings !== undefined && ts.isNamespaceImport(bindings)) repoBound.add(bindings.name.text)
        if (bindings !== undefined && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) repoBound.add(element.name.text)
        }
      }
      return
    }
    if (
      ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node)
    ) declare(node.name)
    else if (ts.isVariableDeclaration(node)) {
      // Only declarations that hold logic: functions, and constants at the top level.
      const init = node.initializer
      const holdsFunction = init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))
      const topLevel = ts.isVariableStatement(node.parent.parent) && node.parent.parent.parent === file
      if (holdsFunction || topLevel) declare(node.name)
    } else if (ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node)) {
      if (ts.isIdentifier(node.name)) declared.add(node.name.text)
    }
    ts.forEachChild(node, collect)
  }
  collect(file)
  const findCalls = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const path: Array<string> = []
      let callee: ts.Expression = node.expression
      while (ts.isPropertyAccessExpression(callee)) {
        path.unshift(callee.name.text)
        callee = callee.expression
      }
      // A call of a name declared here is covered by its declaration; a call of another
      // module's function (or of a member of one) is logic this file relies on.
      const direct = path.length === 0 && ts.isIdentifier(callee) && declared.has(callee.text)
      if (ts.isIdentifier(callee) && repoBound.has(callee.text) && !direct) {
        calls.add(`${[callee.text, ...path].join(".")}()`)
      }
    }
    ts.forEachChild(node, findCalls)
  }
  findCalls(file)
  return new Set([...declared, ...calls])
}

/** Compare the two trees under `root` (a repository, or a fixture shaped like one). */
export const checkMirror = (root: string, allow: MirrorAllowList): MirrorReport => {
  const effect3Base = join(root, "src")
  const effect4Base = join(root, "src", "effect4")
  const effect3 = new Set(TWINNED_FOLDERS.flatMap((folder) => filesOf(effect3Base, folder)))
  const effect4 = new Set(TWINNED_FOLDERS.flatMap((folder) => filesOf(effect4Base, folder)))
  const problems: Array<string> = []
  const usedOneSided = new Set<string>()
  const usedDifferences = new Set<string>()
  const renames = new Map(Object.entries(allow.renames ?? {}))
  const normalise = (name: string) => {
    const [head, ...rest] = name.split(".")
    const renamed = renames.get(head!.replace(/\(\)$/, ""))
    return renamed === undefined
      ? name
      : [renamed + (rest.length === 0 && name.endsWith("()") ? "()" : ""), ...rest].join(".")
  }
  let pairs = 0
  for (const path of [...new Set([...effect3, ...effect4])].sort()) {
    const sides: ReadonlyArray<Side> = [
      ...(effect3.has(path) ? ["effect3" as const] : []),
      ...(effect4.has(path) ? ["effect4" as const] : [])
    ]
    if (sides.length === 1) {
      const side = sides[0]!
      const entry = allow.oneSided.find((item) => item.path === path && item.side === side)
      if (entry === undefined) {
        problems.push(`${path}: only in ${side}; add its twin or an allow-list entry (oneSided) saying why`)
      } else usedOneSided.add(`${path}:${side}`)
      continue
    }
    pairs++
    const logic3 = logicOf(readFileSync(join(effect3Base, path), "utf8"), path)
    const logic4 = new Set([...logicOf(readFileSync(join(effect4Base, path), "utf8"), path)].map(normalise))
    for (const [side, mine, theirs] of [["effect3", logic3, logic4], ["effect4", logic4, logic3]] as const) {
      const gained = [...mine].filter((name) => !theirs.has(name)).sort()
      for (const name of gained) {
        const entry = allow.differences.find((item) =>
          item.path === path && item.onlyIn === side && item.names.includes(name)
        )
        if (entry === undefined) {
          problems.push(`${path}: ${name} only in ${side}; mirror it in the other major or allow-list it with a reason`)
        } else usedDifferences.add(`${path}:${side}:${name}`)
      }
    }
  }
  for (const entry of allow.oneSided) {
    if (!usedOneSided.has(`${entry.path}:${entry.side}`)) {
      problems.push(`allow list: oneSided ${entry.path} (${entry.side}) no longer applies; remove it`)
    }
  }
  for (const entry of allow.differences) {
    for (const name of entry.names) {
      if (!usedDifferences.has(`${entry.path}:${entry.onlyIn}:${name}`)) {
        problems.push(`allow list: ${entry.path} ${name} (${entry.onlyIn}) no longer differs; remove it`)
      }
    }
  }
  return { pairs, problems }
}

/** The allow list in `scripts/mirror-allow.json`, every entry with a reason. */
export const readAllowList = (file: string): MirrorAllowList => {
  const list = JSON.parse(readFileSync(file, "utf8")) as MirrorAllowList
  for (const entry of [...list.oneSided, ...list.differences]) {
    if (typeof entry.reason !== "string" || entry.reason.trim().length < 10) {
      throw new Error(`${relative(process.cwd(), file)}: the entry for ${entry.path} needs a reason`)
    }
  }
  return list
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL("..", import.meta.url))
  const report = checkMirror(root, readAllowList(join(root, "scripts", "mirror-allow.json")))
  if (report.problems.length > 0) {
    console.error(`check:mirror: ${report.problems.length} problem(s) over ${report.pairs} file pairs:`)
    for (const problem of report.problems) console.error(`  ${problem}`)
    process.exit(1)
  }
  console.log(`check:mirror: ${report.pairs} Effect 3 / Effect 4 file pairs line up`)
}
