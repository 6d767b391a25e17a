/**
 * The ZIP of a target folder, read back by independent readers: Debian's `unzip` checks
 * every CRC and Python's `zipfile` compares every entry's bytes with the folder. A file
 * that cannot be read once writing has begun stops the ZIP with a failure naming it; a
 * folder over the upload's size limit is refused.
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import { randomBytes } from "node:crypto"
import { execFileSync } from "node:child_process"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { DEFAULT_MAX_UPLOAD_BYTES, uploadLimitProblem, zipTargetFolder } from "../../src/core/dbt/artifactsZip.ts"
import { readTargetFolder, type TargetFolder } from "../../src/core/dbt/targetFolder.ts"
import { checkArtifacts } from "../../src/localServer/dbtArtifacts.ts"
import { makeTarget, pythonZipCheck, type TargetFixture, unzipTest } from "../support/dbtTarget.ts"

let fixture: TargetFixture | undefined
afterEach(() => fixture?.remove())

const walked = (dir: string): TargetFolder => {
  const walk = readTargetFolder(dir, "/")
  if (!walk.ok) throw new Error(JSON.stringify(walk.problem))
  return walk.folder
}

const collect = async (chunks: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const parts: Array<Uint8Array> = []
  for await (const chunk of chunks) parts.push(chunk)
  return Buffer.concat(parts)
}

describe("zipTargetFolder", () => {
  it("writes a ZIP that unzip and Python's zipfile read back as the folder, byte for byte", async () => {
    // Over the small-file size, so the streamed deflate is used too.
    fixture = makeTarget({ "catalog.json": randomBytes(3 * 1024 * 1024).toString("base64") })
    const folder = walked(fixture.dir)
    const progress: Array<readonly [number, number]> = []
    const zip = zipTargetFolder(folder, (files, bytes) => progress.push([files, bytes]))
    const archive = join(fixture.parent, "artifacts.zip")
    writeFileSync(archive, await collect(zip.chunks))
    expect(zip.failure()).toBeUndefined()
    expect(zip.archiveBytes()).toBeGreaterThan(0)
    expect((await unzipTest(archive)).code).toBe(0)
    const checked = await pythonZipCheck(archive, fixture.dir)
    expect(checked.bad).toBeNull()
    expect(checked.names).toEqual(folder.files.map((file) => file.name))
    expect(checked.mismatched).toEqual([])
    expect(progress.at(-1)).toEqual([folder.files.length, folder.bytes])
  })

  it("stores a name that is not UTF-8 as its bytes, without the UTF-8 flag; unzip, Python and the server read it back", async () => {
    fixture = makeTarget()
    const nameBytes = Buffer.concat([Buffer.from("compiled/caf"), Buffer.from([0xe9, 0xff]), Buffer.from(".sql")])
    writeFileSync(Buffer.concat([Buffer.from(fixture.dir + "/"), nameBytes]), "select 'latin-1'\n")
    const folder = walked(fixture.dir)
    const archive = join(fixture.parent, "artifacts.zip")
    const bytes = await collect(zipTargetFolder(folder, () => {}).chunks)
    writeFileSync(archive, bytes)
    expect((await unzipTest(archive)).code).toBe(0)
    const python = await pythonZipCheck(archive, fixture.dir)
    expect(python.bad).toBeNull()
    // Python reads the unflagged name's bytes back (as CP437); its content matches the file's.
    expect(python.rawNames).toContain(nameBytes.toString("hex"))
    expect(python.rawNames).toContain(Buffer.from("compiled/shop/models/é-ünïcödé 模型.sql").toString("hex"))
    expect(python.mismatched).toEqual([])
    // unzip lists it under the same bytes and gives its content by that name. (Extracting to
    // disk is no check: Debian's unzip drops a 0xFF byte from a name it writes, for zip -r's
    // archives too.)
    const listed = execFileSync("unzip", ["-Z1", archive]).toString("latin1").split("\n")
    expect(listed).toContain(nameBytes.toString("latin1"))
    // A command line is text to Node: bash's printf makes the name's bytes.
    const byName = execFileSync("bash", [
      "-c",
      `unzip -p "$1" "$(printf "$2")"`,
      "-",
      archive,
      "compiled/caf\\xe9\\xff.sql"
    ])
    expect(byName.toString("utf8")).toBe("select 'latin-1'\n")
    const check = checkArtifacts(new Uint8Array(bytes))
    expect(check._tag === "Artifacts" && check.entries.map((entry) => entry.name)).toContain(
      "compiled/caf\\xE9\\xFF.sql"
    )
  })

  it("hands on a folder of many small files in a few joined chunks, not three a file", async () => {
    const many = Object.fromEntries(
      Array.from(
        { length: 600 },
        (_, i) => [`compiled/shop/models/m${i}.sql`, `select ${i} from raw.t${i % 7}\n`.repeat(40)]
      )
    )
    fixture = makeTarget(many)
    const chunks: Array<Uint8Array> = []
    for await (const chunk of zipTargetFolder(walked(fixture.dir), () => {}).chunks) chunks.push(chunk)
    // Three chunks a file (header, data, descriptor) unless joined.
    expect(chunks.length).toBeLessThan(10)
    const archive = join(fixture.parent, "artifacts.zip")
    writeFileSync(archive, Buffer.concat(chunks))
    expect((await unzipTest(archive)).code).toBe(0)
  })

  it("a file of many segments streams with no warning (no listeners piling up on a stream)", async () => {
    fixture = makeTarget({ "large.bin": randomBytes(24 * 1024 * 1024) })
    const warnings: Array<string> = []
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`)
    process.on("warning", onWarning)
    try {
      const zip = zipTargetFolder(walked(fixture.dir), () => {})
      const archive = join(fixture.parent, "artifacts.zip")
      writeFileSync(archive, await collect(zip.chunks))
      expect((await unzipTest(archive)).code).toBe(0)
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings).toEqual([])
    } finally {
      process.off("warning", onWarning)
    }
  })

  it("a file removed after the folder was read stops the ZIP, with a failure naming it", async () => {
    fixture = makeTarget()
    const folder = walked(fixture.dir)
    rmSync(join(fixture.dir, "run_results.json"))
    const zip = zipTargetFolder(folder, () => {})
    await expect(collect(zip.chunks)).rejects.toThrow(/run_results\.json/)
    expect(zip.failure()).toMatchObject({ reason: "Unreadable", path: "run_results.json", detail: "ENOENT" })
  })

  it("a large file (streamed through deflate) removed before it is reached stops the ZIP the same way", async () => {
    fixture = makeTarget({ "zz-large.bin": randomBytes(2 * 1024 * 1024) })
    const folder = walked(fixture.dir)
    // Removed once writing has begun (the first file is done), before the last file is opened.
    const zip = zipTargetFolder(folder, (files) => {
      if (files === 1) rmSync(join(fixture!.dir, "zz-large.bin"), { force: true })
    })
    await expect(collect(zip.chunks)).rejects.toThrow(/zz-large\.bin/)
    expect(zip.failure()).toMatchObject({ reason: "Unreadable", path: "zz-large.bin", detail: "ENOENT" })
  })

  it("refuses a folder over the upload's size limit, whatever its count of files (ZIP64 holds any)", () => {
    const file = { name: "f", path: "/dev/null", size: 1, mtime: new Date(), mode: 0o644 }
    const folder = (count: number, size: number): TargetFolder => ({
      targetFolder: "target",
      root: "/",
      files: Array.from({ length: count }, (_, i) => ({ ...file, name: `f${i}`, size })),
      skipped: [],
      notUtf8: [],
      bytes: count * size
    })
    expect(uploadLimitProblem(folder(100_000, 1), DEFAULT_MAX_UPLOAD_BYTES)).toBeUndefined()
    expect(uploadLimitProblem(folder(2, DEFAULT_MAX_UPLOAD_BYTES / 2), DEFAULT_MAX_UPLOAD_BYTES)).toBeUndefined()
    expect(uploadLimitProblem(folder(2, DEFAULT_MAX_UPLOAD_BYTES / 2 + 1), DEFAULT_MAX_UPLOAD_BYTES)).toMatchObject({
      reason: "TooLarge",
      detail: `${
        DEFAULT_MAX_UPLOAD_BYTES + 2
      } bytes in 2 files, more than the upload limit of ${DEFAULT_MAX_UPLOAD_BYTES}`
    })
    expect(uploadLimitProblem(folder(3, 10), 29)).toMatchObject({ reason: "TooLarge" })
  })
})
