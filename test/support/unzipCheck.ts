/**
 * An independent check of an uploaded ZIP: written out and read by Debian's `unzip`
 * (its CRC test, its list of names, its extraction), each extracted file compared byte
 * for byte with what it must hold. Plain Node, no Effect, so either major's tests use it.
 */
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { createReadStream } from "node:fs"
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import process from "node:process"

const sha256Of = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash("sha256")
    createReadStream(path).on("data", (chunk) => hash.update(chunk)).on("error", reject).on(
      "end",
      () => resolve(hash.digest("hex"))
    )
  })

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex")

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
 * Where the ZIP `zip` differs from `expected` (each entry's name → its bytes, or the path
 * of a file holding them) as Debian's `unzip` reads it. An empty list when they agree.
 */
export const unzipDifferences = async (
  zip: Uint8Array,
  expected: Readonly<Record<string, Uint8Array | string>>
): Promise<Array<string>> => {
  const work = await mkdtemp(join(tmpdir(), "datafold-unzip-"))
  try {
    const file = join(work, "artifacts.zip")
    await writeFile(file, zip)
    // A UTF-8 locale, so unzip writes non-ASCII names as they are rather than escaped.
    const env = { ...process.env, LC_ALL: "C.UTF-8" }
    const differences: Array<string> = []
    const tested = execFileSync("unzip", ["-t", file], { encoding: "utf8", env })
    if (!tested.includes("No errors detected")) differences.push(`unzip -t: ${tested}`)
    const names = Object.keys(expected).sort()
    const listed = execFileSync("unzip", ["-Z1", file], { encoding: "utf8", env }).split("\n").filter((line) =>
      line !== ""
    ).sort()
    if (JSON.stringify(listed) !== JSON.stringify(names)) {
      differences.push(`listed ${JSON.stringify(listed)}, expected ${JSON.stringify(names)}`)
    }
    const out = join(work, "out")
    execFileSync("unzip", ["-q", file, "-d", out], { env })
    const extracted = (await filesUnder(out)).sort()
    if (JSON.stringify(extracted) !== JSON.stringify(names)) {
      differences.push(`extracted ${JSON.stringify(extracted)}, expected ${JSON.stringify(names)}`)
    }
    for (const [name, content] of Object.entries(expected)) {
      if (!extracted.includes(name)) continue
      const want = typeof content === "string" ? await sha256Of(content) : sha256(content)
      if ((await sha256Of(join(out, name))) !== want) differences.push(`${name}: bytes differ`)
    }
    return differences
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
