/**
 * The libraries under test: what is measured from this checkout (version, license, module formats, the
 * dependencies an install brings and their bytes on disk) beside what their sources say about ZIP64 and data
 * descriptors, read at the versions pinned in package.json.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const ROOT = fileURLToPath(new URL("../..", import.meta.url))

/** What each library's writer source says (at the pinned version). */
export interface ZipFormatFacts {
  readonly zip64: string
  readonly dataDescriptor: string
}

/** One library's row. */
export interface LibraryFacts extends ZipFormatFacts {
  readonly name: string
  readonly version: string
  readonly license: string
  readonly modules: string
  /** Packages an install brings besides the library itself (the transitive closure of `dependencies`). */
  readonly dependencies: number
  /** Bytes on disk of the library and those packages. */
  readonly installBytes: number
}

/** From each writer's source, at the pinned version; a new version needs them read again. */
export const FORMAT_FACTS: Readonly<Record<string, ZipFormatFacts>> = {
  fflate: {
    zip64:
      "writer: none (reads Zip64 only): 32-bit sizes and offsets written as they are, the entry count in 16 bits; past 4 GiB or 65 535 entries the archive is silently wrong",
    dataDescriptor: "always in the streaming Zip (flag bit 3, 16-byte descriptor with signature, 32-bit sizes)"
  },
  yazl: {
    zip64:
      "yes, automatic: files and archive over 2^32-2 bytes, over 65 534 entries (Zip64 descriptor, central record and end records)",
    dataDescriptor: "when the CRC is not known up front, i.e. every compressed entry (signature included)"
  },
  archiver: {
    zip64:
      "yes (compress-commons): entries over 4 GiB, over 65 535 entries, central directory past 4 GiB; a streamed entry's local header has no Zip64 field (it is decided after the data)",
    dataDescriptor: "every deflated or streamed entry (signature included)"
  },
  "@zip.js/zip.js": {
    zip64:
      "yes, automatic (entries, directory, count); an entry of unknown size gets Zip64 fields in its local header, hence the size passed here",
    dataDescriptor: "by default (with signature); off when bufferedWrite buffers each entry whole"
  }
}

interface LockPackage {
  readonly version?: string
  readonly license?: string
  readonly dependencies?: Readonly<Record<string, string>>
}

const lock = (): Readonly<Record<string, LockPackage>> =>
  (JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockPackage> })
    .packages

/** Where npm put `dep` for the package at `from`: its own node_modules, then each parent's. */
const resolveIn = (packages: Readonly<Record<string, LockPackage>>, from: string, dep: string): string | undefined => {
  let base = from
  for (;;) {
    const candidate = `${base}/node_modules/${dep}`
    if (packages[candidate]) return candidate
    const cut = base.lastIndexOf("/node_modules/")
    if (cut < 0) return packages[`node_modules/${dep}`] ? `node_modules/${dep}` : undefined
    base = base.slice(0, cut)
  }
}

const bytesUnder = (dir: string): number => {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // A nested node_modules holds packages counted on their own.
    if (entry.name === "node_modules") continue
    const path = join(dir, entry.name)
    total += entry.isDirectory() ? bytesUnder(path) : entry.isFile() ? statSync(path).size : 0
  }
  return total
}

const moduleFormats = (pkg: Record<string, unknown>): string => {
  const text = JSON.stringify(pkg.exports ?? {})
  const esm = pkg.type === "module" || text.includes('"import"') || pkg.module !== undefined
  const cjs = pkg.type !== "module" || text.includes('"require"')
  return esm && cjs ? "ESM + CJS" : esm ? "ESM only" : "CJS only"
}

/** The facts of the library `name` as installed. */
export const libraryFacts = (name: string): LibraryFacts => {
  const packages = lock()
  const seen = new Set<string>()
  const visit = (location: string) => {
    for (const dep of Object.keys(packages[location]?.dependencies ?? {})) {
      const found = resolveIn(packages, location, dep)
      if (found !== undefined && !seen.has(found)) {
        seen.add(found)
        visit(found)
      }
    }
  }
  const self = `node_modules/${name}`
  visit(self)
  const pkg = JSON.parse(readFileSync(join(ROOT, self, "package.json"), "utf8")) as Record<string, unknown>
  const installBytes = [self, ...seen].reduce((sum, location) => sum + bytesUnder(join(ROOT, location)), 0)
  return {
    name,
    version: String(pkg.version),
    license: String(pkg.license),
    modules: moduleFormats(pkg),
    dependencies: seen.size,
    installBytes,
    ...(FORMAT_FACTS[name] ?? { zip64: "?", dataDescriptor: "?" })
  }
}
