/**
 * ZIP64, written exactly where the format needs it, read back by three independent readers:
 * Debian's `unzip -t` (every CRC), Python's `zipfile` (every entry's bytes against the
 * folder) and the local server's own directory reader (ZIP64 records, sizes, offsets). Past
 * 65 535 files; a file past 4 GiB (sparse, so it costs no disk, though reading it costs
 * time); an archive past 4 GiB (the same file deflated at level 0, stored blocks, so the
 * archive is as large as the file). The writer runs in a child whose peak RSS must stay
 * what streaming allows. A folder within the classic limits has no ZIP64 record at all.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { closeSync, mkdirSync, openSync, readSync, statSync, truncateSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { checkArtifacts } from "../../src/localServer/dbtArtifacts.ts"
import { readZipDirectory, type ZipSource } from "../../src/localServer/zipDirectory.ts"
import { makeTarget, pythonZipCheck, type TargetFixture, unzipTest } from "../support/dbtTarget.ts"

// The cases run side by side (each is minutes of one core's deflate and reading back),
// each in a folder of its own.
const fixtures: Array<TargetFixture> = []
const track = (fixture: TargetFixture): TargetFixture => (fixtures.push(fixture), fixture)
afterAll(() => {
  for (const fixture of fixtures) fixture.remove()
})

const ROOT = join(import.meta.dirname, "../..")
const FOUR_GIB = 2 ** 32

/** What a buffered archive could never stay under: the writer holds a read and its directory. */
const PEAK_RSS_LIMIT_BYTES = 250e6

/** The writer on `folder` into `out`, in a child (`support/zipToFile.ts`). */
const zipInChild = (folder: string, out: string, level?: number) =>
  new Promise<{ readonly archiveBytes: number; readonly peakRssBytes: number }>((resolve, reject) => {
    execFile(
      process.execPath,
      [
        "--import",
        "tsx",
        join(ROOT, "test/dbt/support/zipToFile.ts"),
        folder,
        out,
        ...(level === undefined ? [] : [String(level)])
      ],
      { cwd: ROOT, encoding: "utf8", maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) return reject(new Error(stderr))
        const report = JSON.parse(stdout) as { readonly archiveBytes: number; readonly peakRssBytes: number }
        console.info(
          `zip64.test: ${(report.archiveBytes / 1e6).toFixed(1)} MB archive, writer's peak RSS ` +
            `${(report.peakRssBytes / 1e6).toFixed(1)} MB`
        )
        resolve(report)
      }
    )
  })

/** An archive on disk as a source for the server's directory reader. */
const fileSource = (path: string): ZipSource & { readonly close: () => void } => {
  const fd = openSync(path, "r")
  return {
    size: statSync(path).size,
    read: (offset, length) => {
      const buffer = Buffer.alloc(length)
      const bytesRead = readSync(fd, buffer, 0, length, offset)
      return buffer.subarray(0, bytesRead)
    },
    close: () => closeSync(fd)
  }
}

/** The directory of the archive at `path`, and what the local server makes of it. */
const readBack = (path: string) => {
  const source = fileSource(path)
  try {
    return { directory: readZipDirectory(source), check: checkArtifacts(source) }
  } finally {
    source.close()
  }
}

/** The 4-byte signatures of the ZIP64 end records, anywhere in `bytes`. */
const zip64EndSignatures = (bytes: Buffer): number =>
  [0x06064b50, 0x07064b50].filter((signature) => {
    const marker = Buffer.alloc(4)
    marker.writeUInt32LE(signature)
    return bytes.includes(marker)
  }).length

describe.concurrent("ZIP64 where the format needs it, and only there", () => {
  it("a folder within the classic limits has no ZIP64 record: no ZIP64 end records, no ZIP64 extra field", async () => {
    const fixture = track(makeTarget({ "catalog.json": "{}".repeat(600_000) }))
    const archive = join(fixture.parent, "artifacts.zip")
    await zipInChild(fixture.dir, archive)
    const { directory, check } = readBack(archive)
    expect(directory?.zip64End).toBe(false)
    expect(directory?.entries.filter((entry) => entry.zip64)).toEqual([])
    const { readFileSync } = await import("node:fs")
    const bytes = readFileSync(archive)
    expect(zip64EndSignatures(bytes)).toBe(0)
    // Every record's "version needed to extract" is 2.0, none 4.5 (ZIP64).
    const versions = new Set<number>()
    for (const [signature, at] of [[0x04034b50, 4], [0x02014b50, 6]] as const) {
      const marker = Buffer.alloc(4)
      marker.writeUInt32LE(signature)
      for (let i = bytes.indexOf(marker); i !== -1; i = bytes.indexOf(marker, i + 1)) {
        versions.add(bytes.readUInt16LE(i + at))
      }
    }
    expect([...versions]).toEqual([20])
    expect(check._tag).toBe("Artifacts")
    expect((await unzipTest(archive)).code).toBe(0)
    expect((await pythonZipCheck(archive, fixture.dir)).mismatched).toEqual([])
  })

  it("70 000 files: a ZIP64 end record and locator, 0xFFFF in the classic record; every entry read back", {
    timeout: 300_000
  }, async () => {
    const fixture = track(makeTarget())
    const count = 70_000
    for (let folder = 0; folder < 70; folder++) {
      mkdirSync(join(fixture.dir, "compiled", `f${folder}`), { recursive: true })
      for (let i = 0; i < count / 70; i++) {
        writeFileSync(join(fixture.dir, "compiled", `f${folder}`, `m${i}.sql`), `select ${folder * 1000 + i}\n`)
      }
    }
    const files = Object.keys(fixture.files).length + count
    const archive = join(fixture.parent, "artifacts.zip")
    const written = await zipInChild(fixture.dir, archive)
    expect(written.peakRssBytes).toBeLessThan(PEAK_RSS_LIMIT_BYTES)
    const { directory, check } = readBack(archive)
    expect(directory?.zip64End).toBe(true)
    expect(directory?.entries).toHaveLength(files)
    // The entries need no ZIP64 field of their own: small, and all below 4 GiB.
    expect(directory?.entries.filter((entry) => entry.zip64)).toEqual([])
    expect(check._tag === "Artifacts" && check.entries.length).toBe(files)
    const { readFileSync } = await import("node:fs")
    const tail = readFileSync(archive).subarray(-22)
    expect(tail.readUInt32LE(0)).toBe(0x06054b50)
    expect(tail.readUInt16LE(8)).toBe(0xffff)
    expect(tail.readUInt16LE(10)).toBe(0xffff)
    expect((await unzipTest(archive)).code).toBe(0)
    const python = await pythonZipCheck(archive, fixture.dir)
    expect(python.bad).toBeNull()
    expect(python.names).toHaveLength(files)
    expect(python.mismatched).toEqual([])
  })

  it("a sparse 4.3 GB file: ZIP64 sizes in its records, none in the small archive's end; read back whole", {
    timeout: 900_000
  }, async () => {
    const fixture = track(makeTarget())
    const size = 4_300_000_000
    const big = join(fixture.dir, "big.bin")
    writeFileSync(big, "")
    truncateSync(big, size)
    const archive = join(fixture.parent, "artifacts.zip")
    const written = await zipInChild(fixture.dir, archive)
    expect(written.peakRssBytes).toBeLessThan(PEAK_RSS_LIMIT_BYTES)
    expect(written.archiveBytes).toBeLessThan(FOUR_GIB)
    const { directory, check } = readBack(archive)
    expect(directory?.zip64End).toBe(false)
    expect(directory?.entries.filter((entry) => entry.zip64).map((entry) => entry.size)).toEqual([size])
    expect(check._tag === "Artifacts" && check.entries.find((entry) => entry.name === "big.bin")?.size).toBe(size)
    expect((await unzipTest(archive)).code).toBe(0)
    const python = await pythonZipCheck(archive, fixture.dir)
    expect(python.bad).toBeNull()
    expect(python.mismatched).toEqual([])
  })

  it("an archive past 4 GiB: offsets in ZIP64 extra fields, ZIP64 end records; read back whole", {
    timeout: 900_000
  }, async () => {
    const fixture = track(makeTarget())
    const size = 4_300_000_000
    // Sorted first: every other entry's local header, and the directory, start past 4 GiB.
    const big = join(fixture.dir, "aaa-big.bin")
    writeFileSync(big, "")
    truncateSync(big, size)
    const archive = join(fixture.parent, "artifacts.zip")
    const written = await zipInChild(fixture.dir, archive, 0)
    expect(written.peakRssBytes).toBeLessThan(PEAK_RSS_LIMIT_BYTES)
    expect(written.archiveBytes).toBeGreaterThan(size)
    expect(statSync(archive).size).toBe(written.archiveBytes)
    const { directory, check } = readBack(archive)
    expect(directory?.zip64End).toBe(true)
    const entries = directory?.entries ?? []
    expect(entries.length).toBe(Object.keys(fixture.files).length + 1)
    for (const entry of entries.slice(1)) {
      expect(entry.offset).toBeGreaterThan(FOUR_GIB)
      expect(entry.zip64).toBe(true)
    }
    expect(check._tag === "Artifacts" && check.entries[0]).toEqual({ name: "aaa-big.bin", size })
    expect((await unzipTest(archive)).code).toBe(0)
    const python = await pythonZipCheck(archive, fixture.dir)
    expect(python.bad).toBeNull()
    expect(python.mismatched).toEqual([])
  })
})
