/**
 * Real dbt-like target folders on disk for the upload tests, and an independent check
 * of what was uploaded: the ZIP written out and read by Debian's `unzip`, each entry
 * compared byte for byte with the file it came from. Plain Node, no Effect.
 */
import { execFileSync } from "node:child_process"
import { createHash, randomBytes } from "node:crypto"
import { createReadStream } from "node:fs"
import { mkdir, mkdtemp, open, readdir, rm, symlink, truncate, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import process from "node:process"

/** A folder made for a test: where it is, and what its archive must hold. */
export interface TargetFixture {
  readonly root: string
  /** Archive name → the file whose bytes it must hold. */
  readonly expected: ReadonlyMap<string, string>
  /** Entries left out, by name, with the reason. */
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly reason: string }>
  readonly remove: () => Promise<void>
}

/** A temporary folder, removed by `remove`. */
export const scratchFolder = async (prefix: string): Promise<{ path: string; remove: () => Promise<void> }> => {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

/**
 * A target folder with what a dbt run leaves and what a walk must handle: the JSON
 * artifacts, nested compiled SQL, an empty file, non-ASCII names, an incompressible file
 * over the streamed-file threshold (1 MiB), a link to a file and one to a folder inside
 * it, a link outside it and a broken link. `bigFileBytes` adds a mostly sparse file of
 * that size (zeros around a random middle), for the archive of a file over 100 MB.
 */
export const makeTargetFolder = async (options: { readonly bigFileBytes?: number } = {}): Promise<TargetFixture> => {
  const base = await scratchFolder("dbt-target-")
  const root = join(base.path, "target")
  const outside = join(base.path, "outside.txt")
  const files: Record<string, string | Uint8Array> = {
    "manifest.json": JSON.stringify({ metadata: { dbt_version: "1.8.0" }, nodes: { "model.shop.orders": {} } }),
    "run_results.json": JSON.stringify({ results: [{ unique_id: "model.shop.orders", status: "success" }] }),
    "catalog.json": JSON.stringify({ nodes: {} }),
    "compiled/shop/models/orders.sql": "select id, amount from raw.orders\n",
    "compiled/shop/models/staging/stg_customers.sql": "select * from raw.customers\n",
    "run/shop/models/orders.sql": "create table orders as select 1\n",
    "graph.gpickle": new Uint8Array(0),
    "modèles/ñandú über.sql": "select 'ß' as straße\n",
    "random.bin": randomBytes(1024 * 1024 + 4097)
  }
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(root, name, ".."), { recursive: true })
    await writeFile(join(root, name), content)
  }
  await writeFile(outside, "a secret outside the target folder\n")
  await symlink(join(root, "compiled/shop/models/orders.sql"), join(root, "orders-link.sql"))
  await symlink("compiled", join(root, "compiled-link"))
  await symlink(outside, join(root, "outside-link.txt"))
  await symlink(join(root, "missing.sql"), join(root, "broken-link.sql"))
  const expected = new Map<string, string>(Object.keys(files).map((name) => [name, join(root, name)]))
  expected.set("orders-link.sql", join(root, "compiled/shop/models/orders.sql"))
  for (const name of Object.keys(files).filter((name) => name.startsWith("compiled/"))) {
    expected.set(`compiled-link/${name.slice("compiled/".length)}`, join(root, name))
  }
  if (options.bigFileBytes !== undefined) {
    const big = join(root, "big/partial_parse.msgpack")
    await mkdir(join(big, ".."), { recursive: true })
    await writeFile(big, new Uint8Array(0))
    await truncate(big, options.bigFileBytes)
    // A random megabyte in the middle, so the archive is checked on real data too.
    const handle = await open(big, "r+")
    await handle.write(randomBytes(1024 * 1024), 0, 1024 * 1024, Math.floor(options.bigFileBytes / 2))
    await handle.close()
    expected.set("big/partial_parse.msgpack", big)
  }
  return {
    root,
    expected,
    skipped: [{ name: "broken-link.sql", reason: "LinkBroken" }, { name: "outside-link.txt", reason: "LinkOutside" }],
    remove: base.remove
  }
}

const sha256Of = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash("sha256")
    createReadStream(path).on("data", (chunk) => hash.update(chunk)).on("error", reject).on(
      "end",
      () => resolve(hash.digest("hex"))
    )
  })

/** Every file under `dir`, by its path inside it with `/` separators. */
const filesUnder = async (dir: string, prefix = ""): Promise<Array<string>> => {
  const names: Array<string> = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const name = prefix === "" ? entry.name : `${prefix}/${entry.name}`
    if (entry.isDirectory()) names.push(...(await filesUnder(join(dir, entry.name), name)))
    else names.push(name)
  }
  return names
}

/**
 * Where the ZIP `zip` differs from `expected` as Debian's `unzip` reads it: its test of
 * every entry's CRC (`unzip -t`), its list of names, and each extracted file's bytes. An
 * empty list when they agree.
 */
export const zipDifferences = async (
  zip: Uint8Array,
  expected: ReadonlyMap<string, string>
): Promise<Array<string>> => {
  const work = await scratchFolder("dbt-unzip-")
  try {
    const file = join(work.path, "artifacts.zip")
    await writeFile(file, zip)
    const differences: Array<string> = []
    // A UTF-8 locale, so unzip writes non-ASCII names as they are rather than escaped.
    const env = { ...process.env, LC_ALL: "C.UTF-8" }
    const tested = execFileSync("unzip", ["-t", file], { encoding: "utf8", env })
    if (!tested.includes("No errors detected")) differences.push(`unzip -t: ${tested}`)
    const listed = execFileSync("unzip", ["-Z1", file], { encoding: "utf8", env }).split("\n").filter((line) =>
      line !== ""
    )
    const out = join(work.path, "out")
    execFileSync("unzip", ["-q", file, "-d", out], { env })
    const extracted = (await filesUnder(out)).sort()
    const names = [...expected.keys()].sort()
    if (JSON.stringify([...listed].sort()) !== JSON.stringify(names)) {
      differences.push(`listed ${JSON.stringify([...listed].sort())}, expected ${JSON.stringify(names)}`)
    }
    if (JSON.stringify(extracted) !== JSON.stringify(names)) {
      differences.push(`extracted ${JSON.stringify(extracted)}, expected ${JSON.stringify(names)}`)
    }
    for (const [name, source] of expected) {
      if (!extracted.includes(name)) continue
      if ((await sha256Of(join(out, name))) !== (await sha256Of(source))) differences.push(`${name}: bytes differ`)
    }
    return differences
  } finally {
    await work.remove()
  }
}
