/**
 * `tsx scripts/docs.ts [--check]`: the API reference in `docs/` (`npm run docs`), or the
 * check that it is current and that its examples compile (`npm run docs:check`, part of
 * `npm run check`).
 *
 * - The module pages are @effect/docgen's, one per public source module of both trees
 *   (`docgen.json` says which files are not), written into `node_modules/.cache/`. One
 *   run covers both Effect majors: docgen's TypeScript project resolves a bare `effect`
 *   from each file's folder, as tsc does. docgen is told not to run examples: its check
 *   executes every example after compiling it (there is no compile-only switch), they call
 *   Datafold; it would compile them all against one `effect`; and it skips the examples of
 *   classes.
 * - Every `@example` under `src/` is type-checked here instead, as a consumer would
 *   compile it: one TypeScript program with the repository's compiler options, the
 *   package's own name mapped to its sources (deno.json's exports), and each example a
 *   file of its own beside the tree it belongs to, so a bare `effect` is Effect 3 for the
 *   main tree's examples and Effect 4 (`src/effect4/node_modules`) for the Effect 4 tree's.
 *   Nothing is executed.
 * - This script then adds to docgen's pages what docgen leaves out (a class's static
 *   members, such as the layers `DatafoldClient.layer` and `DatafoldClient.Default`),
 *   turns `{@link X}` into code, replaces docgen's Jekyll front matter with a line naming
 *   the entries that export the module, and writes `docs/README.md`: every entry point and
 *   every export, linked to its page.
 * - With `--check` nothing is written: it fails when `docs/` differs from what would be
 *   generated.
 *
 * Both modes fail on an example that does not compile, and list the exports that have no
 * example yet.
 *
 * @module
 */
import { spawn } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, relative, sep } from "node:path"
import process from "node:process"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "")
const check = process.argv.includes("--check")
const started = performance.now()
const elapsed = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`

const packageName: string = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).name
/** Entry points: `effect-datafold/testing` → `src/testing.ts`, from deno.json (which maps them to sources). */
const entries: ReadonlyArray<{ readonly name: string; readonly file: string }> = Object.entries(
  JSON.parse(readFileSync(join(root, "deno.json"), "utf8")).exports as Record<string, string>
).map(([key, file]) => ({ name: key === "." ? packageName : `${packageName}/${key.slice(2)}`, file: file.slice(2) }))
/** docgen's output folder: docgen empties it first. */
const cache = "node_modules/.cache/effect-datafold-docs"

/**
 * The docgen run. Settings go through docgen's `DOCGEN_*` variables, not its flags: docgen
 * 0.5.2 drops the first two arguments it is given.
 */
const docgen = (): Promise<void> =>
  new Promise((resolve, reject) => {
    rmSync(join(root, cache), { recursive: true, force: true })
    const child = spawn(process.execPath, [join(root, "node_modules/@effect/docgen/bin.cjs")], {
      cwd: root,
      env: { ...process.env, DOCGEN_OUT: cache, DOCGEN_RUN_EXAMPLES: "false" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => code === 0 ? resolve() : reject(new Error(`docgen failed:\n${output}`)))
  })

// ---------------------------------------------------------------------------------------
// Examples: found in every source file, compiled as a consumer's files would be.

interface Example {
  /** The source file, from the repository root. */
  readonly file: string
  /** What it documents: `triggerCiRun`, `DatafoldClient.layer`, `<module>`. */
  readonly owner: string
  /** Its rank among its owner's examples, from 1. */
  readonly rank: number
  /** The source line (from 0) of the example's first line of code. */
  readonly line: number
  readonly code: string
  /** Where its virtual file lives: beside the tree whose Effect it must import. */
  readonly virtualPath: string
}

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "test" ? [] : sourceFiles(path)
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : []
  })

const nameOf = (node: ts.Node): string => {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.map((d) => d.name.getText()).join(", ")
  if (ts.isSourceFile(node) || ts.isImportDeclaration(node)) return "<module>"
  const name = (node as { readonly name?: ts.Node }).name
  const own = name !== undefined ? name.getText() : ts.SyntaxKind[node.kind]
  const parent = node.parent
  return parent !== undefined && (ts.isClassLike(parent) || ts.isInterfaceDeclaration(parent))
    ? `${nameOf(parent)}.${own}`
    : own
}

/** The examples of one file: each `@example` must be a fenced ```ts block. */
const examplesOf = (file: string, problems: Array<string>): Array<Example> => {
  const text = readFileSync(join(root, file), "utf8")
  if (!text.includes("@example")) return []
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const owners = new Map<number, string>()
  const visit = (node: ts.Node) => {
    for (const range of ts.getLeadingCommentRanges(text, node.pos) ?? []) {
      if (!owners.has(range.pos)) {
        owners.set(range.pos, node === source.statements[0] && range.pos === 0 ? "<module>" : nameOf(node))
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  const ranks = new Map<string, number>()
  const found: Array<Example> = []
  for (const [pos, owner] of [...owners].sort(([a], [b]) => a - b)) {
    const end = text.indexOf("*/", pos)
    if (!text.startsWith("/**", pos) || !text.slice(pos, end).includes("@example")) continue
    const firstLine = source.getLineAndCharacterOfPosition(pos).line
    const lines = text.slice(pos + 3, end).split("\n").map((line) => line.replace(/^\s*\* ?/, ""))
    let fence: string | undefined
    let inExample = false
    let code: Array<string> | undefined
    for (const [i, line] of lines.entries()) {
      const where = `${file}:${firstLine + i + 1}`
      if (fence === undefined && /^@\w/.test(line)) {
        if (inExample && code === undefined) problems.push(`${where}: an @example of ${owner} has no \`\`\`ts block`)
        inExample = line.startsWith("@example")
        code = undefined
        if (inExample && line.trim() !== "@example") {
          problems.push(`${where}: put the example's code on the lines after @example`)
        }
        continue
      }
      if (!inExample) continue
      if (fence === undefined && /^(```|~~~)/.test(line)) {
        if (code !== undefined) problems.push(`${where}: one fenced block per @example (${owner})`)
        if (!/^(```|~~~)(ts|typescript)\s*$/.test(line)) {
          problems.push(`${where}: an example's block is \`\`\`ts (${owner})`)
        }
        fence = line.slice(0, 3)
        code = []
        continue
      }
      if (fence !== undefined && line.startsWith(fence)) {
        fence = undefined
        const rank = (ranks.get(owner) ?? 0) + 1
        ranks.set(owner, rank)
        const body = code ?? []
        const tree = file.startsWith("src/effect4/") ? "src/effect4/.docs-examples" : ".docs-examples"
        const base = `${file.replace(/\//g, "_")}_${owner.replace(/[^\w.]/g, "_")}_${rank}.ts`
        found.push({
          file,
          owner,
          rank,
          line: firstLine + i - body.length,
          code: body.join("\n"),
          virtualPath: `${root}/${tree}/${base}`
        })
        continue
      }
      if (code !== undefined) code.push(line)
      else if (line.trim() !== "") problems.push(`${where}: text before an example's block (${owner})`)
    }
    if (inExample && code === undefined) {
      problems.push(`${file}:${firstLine + 1}: an @example of ${owner} has no \`\`\`ts block`)
    }
  }
  return found
}

/** The Markdown files whose ```ts blocks are compiled: the README, the guides and the architecture notes. */
const markdownFiles = (): Array<string> => {
  const guides = join(root, "docs", "guides")
  return [
    "README.md",
    ...(existsSync(guides) ? readdirSync(guides).filter((f) => f.endsWith(".md")).sort() : []).map((f) =>
      `docs/guides/${f}`
    ),
    ...(existsSync(join(root, "docs", "architecture.md")) ? ["docs/architecture.md"] : [])
  ]
}

/**
 * A Deno program's `npm:` specifiers (`npm:effect@^3.22.0`, `npm:effect-datafold@0.2.0/…`)
 * as the bare names this program maps: the code is the same once Deno has resolved them.
 */
const withoutNpmSpecifiers = (code: string): string =>
  code.replace(
    /(["'])npm:((?:@[\w.-]+\/)?[\w.-]+)(?:@[^"'/]+)?(\/[^"']*)?\1/g,
    (_, quote, name, rest) => `${quote}${name}${rest ?? ""}${quote}`
  )

/** A block that continues another and cannot compile alone: `<!-- docs:check skip: why -->` just above it. */
const skipMarker = /^<!-- docs:check skip: (.+) -->$/

/**
 * Every ```ts block of a Markdown file, as an example owned by the heading above it. A block
 * that imports `effect-datafold/effect4` (or Deno's `npm:effect@^4`) is compiled against
 * Effect 4, the rest against Effect 3. A fragment that cannot compile alone is skipped only
 * with a marker that says why.
 */
const markdownExamplesOf = (file: string, problems: Array<string>): Array<Example> => {
  const lines = readFileSync(join(root, file), "utf8").split("\n")
  const found: Array<Example> = []
  let heading = "<top>"
  let fence: { readonly start: number; readonly ts: boolean; readonly skip: boolean } | undefined
  for (const [i, line] of lines.entries()) {
    if (fence === undefined) {
      if (/^#+ /.test(line)) heading = line.replace(/^#+ /, "")
      const open = /^(```|~~~)\s*(\w*)/.exec(line)
      if (open === null) continue
      const before = lines.slice(0, i).reverse().find((l) => l.trim() !== "") ?? ""
      const skip = skipMarker.exec(before)
      if (skip !== null && skip[1]!.trim().length < 10) problems.push(`${file}:${i}: say why the block is skipped`)
      fence = { start: i + 1, ts: open[2] === "ts" || open[2] === "typescript", skip: skip !== null }
      continue
    }
    if (!/^(```|~~~)\s*$/.test(line)) continue
    const { start, ts: isTs, skip } = fence
    fence = undefined
    if (!isTs || skip) continue
    const code = withoutNpmSpecifiers(lines.slice(start, i).join("\n"))
    const rank = found.length + 1
    const tree =
      /["'](?:npm:)?effect-datafold(?:@[^"'/]+)?\/effect4\b|["']npm:effect@\^?4/.test(lines.slice(start, i).join("\n"))
        ? "src/effect4/.docs-examples"
        : ".docs-examples"
    found.push({
      file,
      owner: heading,
      rank,
      line: start,
      code,
      virtualPath: `${root}/${tree}/${file.replace(/[^\w.]/g, "_")}_${rank}.ts`
    })
  }
  if (fence !== undefined) problems.push(`${file}:${fence.start}: a fenced block is never closed`)
  return found
}

/**
 * Guides the README links to before they are written, each with the work that writes it.
 * A link to any other missing file is a problem.
 */
const plannedGuides: ReadonlyMap<string, string> = new Map([
  ["docs/guides/results-and-gates.md", "the results-and-gates guide (issue 25)"]
])

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
const anchorOf = (heading: string): string =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-")

const headingAnchors = (text: string): Set<string> => {
  const anchors = new Set<string>()
  let inFence = false
  for (const line of text.split("\n")) {
    if (/^(```|~~~)/.test(line)) inFence = !inFence
    const heading = inFence ? null : /^#+ (.*)$/.exec(line)
    if (heading !== null) anchors.add(anchorOf(heading[1]!.replace(/`/g, "")))
  }
  return anchors
}

/**
 * The README's, the guides' and the architecture notes' relative links: each names a file
 * that exists (or a planned guide) and, with `#…`, a heading in it; every guide is linked
 * from the README.
 */
const linkProblems = (files: ReadonlyArray<string>): Array<string> => {
  const problems: Array<string> = []
  const read = (file: string) => readFileSync(join(root, file), "utf8")
  for (const file of files) {
    const text = read(file).replace(/^(```|~~~)[\s\S]*?^\1/gm, "")
    for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = match[1]!
      if (/^[a-z]+:/.test(link)) continue
      const [path, anchor] = link.split("#") as [string, string | undefined]
      const target = path === "" ? file : relative(root, join(root, dirname(file), path)).split(sep).join("/")
      if (!existsSync(join(root, target))) {
        if (!plannedGuides.has(target)) problems.push(`${file}: the link ${link} names no file`)
        continue
      }
      if (anchor !== undefined && target.endsWith(".md") && !headingAnchors(read(target)).has(anchor)) {
        problems.push(`${file}: the link ${link} names no heading of ${target}`)
      }
    }
  }
  const readme = read("README.md")
  for (const guide of files.filter((f) => f.startsWith("docs/guides/"))) {
    if (!readme.includes(`](${guide}`)) problems.push(`README.md does not link the guide ${guide}`)
  }
  return problems
}

/** The repository's compiler options, the package's own names mapped to their sources, unused names allowed. */
const compilerOptions = (): ts.CompilerOptions => {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"))
    }
  })
  if (parsed === undefined) throw new Error("tsconfig.json could not be read")
  const paths: Record<string, Array<string>> = {}
  for (const entry of entries) paths[entry.name] = [`./${entry.file}`]
  return {
    ...parsed.options,
    paths,
    pathsBasePath: root,
    noEmit: true,
    noUnusedLocals: false,
    noUnusedParameters: false,
    moduleDetection: ts.ModuleDetectionKind.Force
  }
}

/** One program: the entry points (for the pages and the index) and every example as a file of its own. */
const makeProgram = (examples: ReadonlyArray<Example>): ts.Program => {
  const options = compilerOptions()
  const host = ts.createCompilerHost(options, true)
  const virtual = new Map(examples.map((example) => [example.virtualPath, example.code]))
  const { fileExists, readFile, getSourceFile } = host
  host.fileExists = (path) => virtual.has(path) || fileExists.call(host, path)
  host.readFile = (path) => virtual.get(path) ?? readFile.call(host, path)
  host.getSourceFile = (path, language, ...rest) => {
    const code = virtual.get(path)
    return code === undefined
      ? getSourceFile.call(host, path, language, ...rest)
      : ts.createSourceFile(path, code, language, true)
  }
  return ts.createProgram([...entries.map((entry) => join(root, entry.file)), ...virtual.keys()], options, host)
}

const exampleErrors = (program: ts.Program, examples: ReadonlyArray<Example>): Array<string> =>
  examples.flatMap((example) => {
    const source = program.getSourceFile(example.virtualPath)!
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
      const { line, character } = source.getLineAndCharacterOfPosition(d.start ?? 0)
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n  ")
      return `${example.file}:${example.line + line + 1}:${
        character + (example.file.endsWith(".md") ? 1 : 4)
      } (${example.owner}, example ${example.rank}): TS${d.code}: ${message}`
    })
  })

// ---------------------------------------------------------------------------------------
// What the entry points export, where each is documented, and what docgen leaves out.

interface Export {
  readonly name: string
  readonly declaration: ts.Declaration | ts.SourceFile
  /** All its declarations (a schema and its type share a name). */
  readonly declarations: ReadonlyArray<ts.Declaration>
  /** The source file that declares it, from the repository root. */
  readonly file: string
}

const repoPath = (path: string) => relative(root, path).split(sep).join("/")

const exportsOf = (program: ts.Program, entryFile: string): Array<Export> => {
  const checker = program.getTypeChecker()
  const module = checker.getSymbolAtLocation(program.getSourceFile(join(root, entryFile))!)!
  return checker.getExportsOfModule(module).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    const declaration = target.declarations![0]!
    return {
      name: symbol.name,
      declaration,
      declarations: target.declarations!,
      file: repoPath(declaration.getSourceFile().fileName)
    }
  })
}

const pagePathOf = (file: string) => `modules/${file.replace(/^src\//, "")}.md`

const tagsOf = (node: ts.Node): ReadonlyArray<ts.JSDocTag> => ts.isSourceFile(node) ? [] : ts.getJSDocTags(node)
const tagText = (node: ts.Node, name: string) => {
  const tag = tagsOf(node).find((t) => t.tagName.text === name)
  return tag === undefined ? undefined : (ts.getTextOfJSDocComment(tag.comment) ?? "").trim()
}
const descriptionOf = (node: ts.Node): string =>
  ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc).map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "")
    .join("\n\n").trim()
const moduleDescription = (file: string): string => {
  const text = readFileSync(join(root, file), "utf8")
  const match = /^\/\*\*([\s\S]*?)\*\//.exec(text)
  if (match === null) return ""
  return match[1]!.split("\n").map((line) => line.replace(/^\s*\* ?/, "")).join("\n").split(/\n@/)[0]!.trim()
}

/** GitHub's anchor for a heading. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-")

const stripImportTypes = (type: string) => type.replace(/import\("((?!").)*"\)./g, "")

/** A signature for something declared outside the module pages, shown in the index. */
const signatureOf = (checker: ts.TypeChecker, item: Export): string => {
  const d = item.declaration
  if (ts.isVariableDeclaration(d)) {
    const type = checker.typeToString(checker.getTypeAtLocation(d), d, ts.TypeFormatFlags.NoTruncation)
    return `export declare const ${item.name}: ${stripImportTypes(type)}`
  }
  const text = d.getText()
  return text.startsWith("export") ? text : `export ${text}`
}

interface StaticMember {
  readonly className: string
  readonly name: string
  readonly markdown: string
}

/** What docgen 0.5.2 does not print: the static properties of exported classes (the layers, most of all). */
const staticMembers = (
  checker: ts.TypeChecker,
  source: ts.SourceFile,
  examples: ReadonlyArray<Example>
): Array<StaticMember> =>
  source.statements.filter(ts.isClassDeclaration).filter((c) =>
    c.name !== undefined && c.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) &&
    tagText(c, "internal") === undefined
  ).flatMap((c) =>
    c.members.filter(ts.isPropertyDeclaration).filter((m) =>
      m.modifiers?.some((mod) => mod.kind === ts.SyntaxKind.StaticKeyword) &&
      !m.modifiers.some((mod) => mod.kind === ts.SyntaxKind.PrivateKeyword) &&
      ts.getJSDocCommentsAndTags(m).length > 0 && tagText(m, "internal") === undefined
    ).map((m) => {
      const className = c.name!.text
      const name = m.name.getText()
      const readonly = m.modifiers?.some((mod) => mod.kind === ts.SyntaxKind.ReadonlyKeyword) ? "readonly " : ""
      const type = m.type?.getText() ??
        stripImportTypes(checker.typeToString(checker.getTypeAtLocation(m), m, ts.TypeFormatFlags.NoTruncation))
      const since = tagText(m, "since")
      const own = examples.filter((e) => e.file === repoPath(source.fileName) && e.owner === `${className}.${name}`)
      const markdown = [
        `### ${name} (static property)`,
        descriptionOf(m),
        "**Signature**",
        "```ts\nstatic " + readonly + name + ": " + type + "\n```",
        ...own.flatMap((e) => ["**Example**", "```ts\n" + e.code + "\n```"]),
        since === undefined ? "" : `Added in v${since}`
      ].filter((part) => part !== "").join("\n\n")
      return { className, name, markdown }
    })
  )

/** `{@link X}`, `{@link X | text}` → `` `X` ``, `text`; code blocks left alone. */
const unlink = (markdown: string) =>
  markdown.split(/(^```[\s\S]*?^```)/m).map((part, i) =>
    i % 2 === 1 ? part : part.replace(
      /\{@link(?:code|plain)?\s+([^}|\s]+)(?:\s*\|\s*|\s+)?([^}]*)\}/g,
      (_, target: string, text: string) => text.trim() !== "" ? text.trim() : `\`${target}\``
    )
  ).join("")

const finishPage = (
  page: string,
  markdown: string,
  exportedBy: ReadonlyArray<string>,
  statics: ReadonlyArray<StaticMember>
) => {
  const depth = page.split("/").length - 1
  const up = "../".repeat(depth)
  const source = `src/${page.replace(/^modules\//, "").replace(/\.md$/, "")}`
  const header = `[API reference](${up}README.md) · [\`${source}\`](${up}../${source})` +
    (exportedBy.length > 0 ? ` · exported by ${exportedBy.map((e) => `\`${e}\``).join(", ")}` : "") + "\n"
  let lines = markdown.replace(/^(?:\*\*\*|---)\n\n?title: .*\nnav_order: .*\nparent: .*\n---\n/, header).split("\n")
  for (const className of new Set(statics.map((s) => s.className))) {
    const own = statics.filter((s) => s.className === className)
    const heading = `## ${className} (class)`
    const start = lines.indexOf(heading)
    if (start < 0) throw new Error(`${page}: no "${heading}" to add ${className}'s static members to`)
    let end = lines.findIndex((line, i) => i > start && /^#{1,2} /.test(line))
    if (end < 0) end = lines.length
    lines = [...lines.slice(0, end), ...own.flatMap((s) => [s.markdown, ""]), ...lines.slice(end)]
    const tocLine = lines.findIndex((line) =>
      line.trim() === `- [${className} (class)](#${slug(`${className} (class)`)})`
    )
    if (tocLine >= 0) {
      const indent = lines[tocLine]!.match(/^\s*/)![0] + "  "
      const toc = own.map((s) => `${indent}- [${s.name} (static property)](#${slug(`${s.name} (static property)`)})`)
      lines = [...lines.slice(0, tocLine + 1), ...toc, ...lines.slice(tocLine + 1)]
    }
  }
  return unlink(lines.join("\n")).replace(/\n{3,}/g, "\n\n").replace(/\n*$/, "\n")
}

const pagesIn = (dir: string): Array<string> =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts.md")).map((f) =>
      f.split(sep).join("/")
    )
    : []

const headingsOf = (markdown: string): Map<string, string> => {
  const anchors = new Map<string, string>()
  for (const match of markdown.matchAll(/^## (\S+)(?: \((?:class|interface|type alias|namespace)\))?$/gm)) {
    // A schema and its type share a name: link the schema, not the type alias.
    const heading = match[0].slice(3)
    const known = anchors.get(match[1]!)
    if (known === undefined || (known.endsWith("-type-alias") && !heading.endsWith("(type alias)"))) {
      anchors.set(match[1]!, slug(heading))
    }
  }
  return anchors
}

const hasExample = (node: ts.Node) => !ts.isSourceFile(node) && tagsOf(node).some((t) => t.tagName.text === "example")

// ---------------------------------------------------------------------------------------

const problems: Array<string> = []
const examples = sourceFiles("src").flatMap((file) => examplesOf(file, problems))
/** The README's and the guides' programs: compiled with the sources' examples, never turned into pages. */
const guideExamples = markdownFiles().flatMap((file) => markdownExamplesOf(file, problems))
problems.push(...linkProblems(markdownFiles()))

const docgenStarted = performance.now()
const docgenRun = docgen().then(() => elapsed(docgenStarted))

const checkStarted = performance.now()
const program = makeProgram([...examples, ...guideExamples])
const checker = program.getTypeChecker()
problems.push(...exampleErrors(program, [...examples, ...guideExamples]))
const checkTime = elapsed(checkStarted)

const docgenTime = await docgenRun.catch((error: Error) => {
  process.stderr.write(`${error.message}\n`)
  process.exit(1)
})

if (problems.length > 0) {
  process.stderr.write(
    `docs: ${problems.length} problem(s) in the examples of the sources, the README and the guides, or their links:\n${
      problems.join("\n")
    }\n`
  )
  process.exit(1)
}

// Pages: docgen's, finished.
const files = new Map<string, string>()
const rawPages = new Map<string, string>()
const generated = join(root, cache, "modules")
for (const page of pagesIn(generated)) rawPages.set(`modules/${page}`, readFileSync(join(generated, page), "utf8"))
const entryExports = entries.map((entry) => ({ ...entry, exports: exportsOf(program, entry.file) }))
for (const [page, markdown] of rawPages) {
  const file = `src/${page.replace(/^modules\//, "").replace(/\.md$/, "")}`
  const exportedBy = entryExports.filter((e) => e.exports.some((x) => x.file === file)).map((e) => e.name)
  const source = program.getSourceFile(join(root, file))
  const statics = source === undefined ? [] : staticMembers(checker, source, examples)
  files.set(page, finishPage(page, markdown, exportedBy, statics))
}

// The index: every entry point, every export, where it is documented.
const anchors = new Map([...files].map(([page, markdown]) => [page, headingsOf(markdown)]))
/** Exports without an example: by the convention (a call, a layer, a service, an error family), or others. */
const missing = { convention: new Set<string>(), other: new Set<string>() }
/** Exports without `@category` (docgen requires `@since` itself). */
const uncategorized = new Set<string>()
/** The convention asks one example per call, layer and service, and one per error family (a module's errors). */
const conventionCategories = new Set(["accessors", "constructors", "layers", "services", "tags"])
const index: Array<string> = [
  "# effect-datafold API reference",
  "Generated from the sources' JSDoc by `npm run docs` (@effect/docgen, then `scripts/docs.ts`); " +
  "`npm run check` fails when it is out of date, and type-checks every example. Do not edit it by hand.",
  "One page per source module; below, each entry point with the modules its exports come from. " +
  "The guide is the [README](../README.md)."
]
for (const entry of entryExports) {
  index.push(`## \`${entry.name}\``, moduleDescription(entry.file).split("\n\n")[0]!.replace(/\n/g, " "))
  const byFile = new Map<string, Array<Export>>()
  for (const item of entry.exports) byFile.set(item.file, [...(byFile.get(item.file) ?? []), item])
  const inline: Array<Export> = []
  const list: Array<string> = []
  for (const [file, items] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const page = pagePathOf(file)
    if (!files.has(page)) {
      inline.push(...items)
      continue
    }
    const links = items.sort((a, b) => a.name.localeCompare(b.name)).map((item) => {
      const anchor = anchors.get(page)!.get(item.name)
      return anchor === undefined || ts.isSourceFile(item.declaration)
        ? `[\`${item.name}\`](${page})`
        : `[\`${item.name}\`](${page}#${anchor})`
    })
    list.push(`- [${file.replace(/^src\//, "")}](${page}): ${links.join(", ")}`)
  }
  index.push(list.join("\n"))
  if (inline.length > 0) {
    index.push("Declared outside the module pages:")
    for (const item of inline) {
      const since = tagText(item.declaration, "since")
      index.push(
        `### ${item.name}`,
        descriptionOf(item.declaration),
        "```ts\n" + signatureOf(checker, item) + "\n```",
        `From \`${item.file}\`${since === undefined ? "" : `; added in v${since}`}.`
      )
    }
  }
  const errorFamilies = new Set(
    entry.exports.filter((item) =>
      tagText(item.declaration, "category") === "errors" && item.declarations.some(hasExample)
    )
      .map((item) => item.file)
  )
  for (const item of entry.exports) {
    const declarations = ts.isSourceFile(item.declaration) ? [] : item.declarations
    const documented = declarations.some(hasExample) ||
      (ts.isSourceFile(item.declaration) && examples.some((e) => e.file === item.file))
    const category = tagText(item.declaration, "category")
    if (category === undefined && !ts.isSourceFile(item.declaration)) {
      uncategorized.add(`${item.file}: ${item.name} (exported by ${entry.name}) has no @category`)
    }
    if (documented) continue
    const line = `${entry.name}: ${item.name} (${category ?? "no category"}, ${item.file})`
    const required = conventionCategories.has(category ?? "") ||
      (category === "errors" && !errorFamilies.has(item.file))
    ;(required ? missing.convention : missing.other).add(line)
  }
  for (const file of byFile.keys()) {
    const source = program.getSourceFile(join(root, file))
    for (const s of source === undefined ? [] : staticMembers(checker, source, examples)) {
      if (!s.markdown.includes("**Example**")) {
        missing.convention.add(`${entry.name}: ${s.className}.${s.name} (static member, ${file})`)
      }
    }
  }
}
files.set("README.md", unlink(index.filter((part) => part !== "").join("\n\n")).replace(/\n*$/, "\n"))

// Write, or compare. Only the index and modules/ are generated: the guides in docs/guides/
// and docs/architecture.md are written by hand, and never compared or removed here.
const docs = join(root, "docs")
const committed = new Map(
  (existsSync(docs) ? readdirSync(docs, { recursive: true, encoding: "utf8" }) : [])
    .map((f) => f.split(sep).join("/"))
    .filter((f) => f.endsWith(".md") && (f === "README.md" || f.startsWith("modules/")))
    .map((f) => [f, readFileSync(join(docs, f), "utf8")])
)
const stale = [
  ...[...files].filter(([f, text]) => committed.get(f) !== text).map(([f]) => `docs/${f}`),
  ...[...committed.keys()].filter((f) => !files.has(f)).map((f) => `docs/${f} (no longer generated)`)
]

if (uncategorized.size > 0) {
  process.stderr.write(`docs: every export has a @category:\n  ${[...uncategorized].join("\n  ")}\n`)
  process.exit(1)
}
const list = (lines: Set<string>) => [...lines].map((line) => `\n  ${line}`).join("")
if (missing.convention.size > 0 || missing.other.size > 0) {
  process.stdout.write(
    check
      ? `docs: without an @example: ${missing.convention.size} call(s), layer(s), service(s) or error famil(ies), ` +
        `${missing.other.size} other export(s) (\`npm run docs\` lists them)\n`
      : `docs: calls, layers, services and error families without an @example:${
        list(missing.convention) || " none"
      }\n` +
        `docs: other exports without an @example (schemas, models, constants; one is welcome):${list(missing.other)}\n`
  )
}
const summary =
  `${files.size} pages, ${examples.length} examples and ${guideExamples.length} README and guide programs compiled (${checkTime}), docgen ${docgenTime}, ` +
  `${elapsed(started)} in all`
if (check) {
  if (stale.length > 0) {
    process.stderr.write(`docs: out of date; run \`npm run docs\` and commit docs/:\n  ${stale.join("\n  ")}\n`)
    process.exit(1)
  }
  process.stdout.write(`docs: current; ${summary}\n`)
} else {
  for (const f of committed.keys()) if (!files.has(f)) rmSync(join(docs, f))
  for (const [f, text] of files) {
    mkdirSync(dirname(join(docs, f)), { recursive: true })
    if (committed.get(f) !== text) writeFileSync(join(docs, f), text)
  }
  process.stdout.write(`docs: wrote docs/ (${stale.length} file(s) changed); ${summary}\n`)
}
