/**
 * The whole-read files of a folder deflated ahead of the writer in the thread pool: the
 * archive is the same bytes whatever the concurrency, read back whole by `unzip` and
 * Python's `zipfile`; a consumer that pulls slowly stops the read-ahead at its byte bound;
 * a file gone before its turn stops the ZIP with a failure naming it, after the files
 * before it.
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import { createHash } from "node:crypto"
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { SMALL_FILE_BYTES, type ZipOptions, zipTargetFolder } from "../../src/core/dbt/artifactsZip.ts"
import { fsPath } from "../../src/core/dbt/fsPath.ts"
import { POOLED_FROM_BYTES, READ_AHEAD_BYTES } from "../../src/core/dbt/readAheadDeflate.ts"
import { readTargetFolder, type TargetFolder } from "../../src/core/dbt/targetFolder.ts"
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

/** `bytes` of JSON-like text, compressible but not trivially: a hash per row. */
const jsonLike = (seed: number, bytes: number): string => {
  let text = ""
  for (let row = 0; text.length < bytes; row++) {
    const hash = createHash("sha1").update(`${seed}:${row}`).digest("hex")
    text += `{"unique_id": "model.shop.m${seed}_${row}", "checksum": "${hash}", "rows": ${row * 37}},\n`
  }
  return text.slice(0, bytes)
}

/** Tiny files, files the pool deflates (64 KiB to 1 MiB) and a few segmented ones, interleaved. */
const variedFolder = (): Record<string, string> => {
  const files: Record<string, string> = {}
  for (let i = 0; i < 300; i++) {
    const size = i % 10 === 0
      ? POOLED_FROM_BYTES + ((i * 7919) % (SMALL_FILE_BYTES - POOLED_FROM_BYTES))
      : 1 + ((i * 2654435761) % 6000)
    files[`compiled/shop/models/g${i % 9}/m${String(i).padStart(3, "0")}.sql`] = jsonLike(i, size)
  }
  // Exactly at the bounds of the pooled range, and segmented files among the rest.
  files["compiled/edge/at_pooled_from.json"] = jsonLike(1001, POOLED_FROM_BYTES)
  files["compiled/edge/below_pooled_from.json"] = jsonLike(1002, POOLED_FROM_BYTES - 1)
  files["compiled/edge/at_small_file.json"] = jsonLike(1003, SMALL_FILE_BYTES)
  files["compiled/shop/models/g4/large_catalog.json"] = jsonLike(1004, 3 * SMALL_FILE_BYTES + 17)
  files["compiled/shop/models/g7/large_manifest.json"] = jsonLike(1005, SMALL_FILE_BYTES + 1)
  return files
}

describe("zipTargetFolder, files deflated ahead in the pool", () => {
  it("gives the same bytes for concurrency 1, 2, 4 and 8, which unzip and Python's zipfile read back as the folder", async () => {
    fixture = makeTarget(variedFolder())
    const folder = walked(fixture.dir)
    expect(folder.files.filter((file) => file.size >= POOLED_FROM_BYTES && file.size <= SMALL_FILE_BYTES).length)
      .toBeGreaterThan(30)
    const zips = new Map<number, Buffer>()
    for (const concurrency of [1, 2, 4, 8]) {
      const zip = zipTargetFolder(folder, () => {}, { concurrency })
      zips.set(concurrency, await collect(zip.chunks))
      expect(zip.failure()).toBeUndefined()
    }
    const one = zips.get(1)!
    for (const [concurrency, bytes] of zips) expect(bytes.equals(one), `concurrency ${concurrency}`).toBe(true)
    const archive = join(fixture.parent, "artifacts.zip")
    writeFileSync(archive, one)
    expect((await unzipTest(archive)).code).toBe(0)
    const checked = await pythonZipCheck(archive, fixture.dir)
    expect(checked.bad).toBeNull()
    expect(checked.names).toEqual(folder.files.map((file) => file.name))
    expect(checked.mismatched).toEqual([])
  })

  it("a consumer that pulls slowly stops the read-ahead at its byte bound", async () => {
    // 24 MiB of pooled files: three times the bound.
    const files = Object.fromEntries(
      Array.from({ length: 96 }, (_, i) => [`compiled/m${String(i).padStart(2, "0")}.json`, jsonLike(i, 256 * 1024)])
    )
    fixture = makeTarget(files)
    const folder = walked(fixture.dir)
    const largest = Math.max(...folder.files.map((file) => (file.size <= SMALL_FILE_BYTES ? file.size : 0)))
    let read = 0
    const readFile: ZipOptions["readFile"] = (path) => {
      const data = readFileSync(fsPath(path))
      read += data.byteLength
      return data
    }
    let written = 0
    const zip = zipTargetFolder(folder, (_files, bytes) => {
      written = bytes
    }, { concurrency: 4, readFile })
    let mostAhead = 0
    let pulls = 0
    for await (const _chunk of zip.chunks) {
      pulls += 1
      // The consumer waits: every deflate under way ends, and each may start another.
      if (pulls % 8 === 1) await sleep(30)
      mostAhead = Math.max(mostAhead, read - written)
    }
    expect(zip.failure()).toBeUndefined()
    expect(written).toBe(folder.bytes)
    // It did read ahead (more than the file being written), but never past the bound and a file.
    expect(mostAhead).toBeGreaterThan(2 * 256 * 1024)
    expect(mostAhead).toBeLessThanOrEqual(READ_AHEAD_BYTES + largest)
  })

  it("a consumer that stops pulling stops the reading at the bound", async () => {
    const files = Object.fromEntries(
      Array.from({ length: 64 }, (_, i) => [`compiled/m${String(i).padStart(2, "0")}.json`, jsonLike(i, 512 * 1024)])
    )
    fixture = makeTarget(files)
    const folder = walked(fixture.dir)
    let read = 0
    const readFile: ZipOptions["readFile"] = (path) => {
      const data = readFileSync(fsPath(path))
      read += data.byteLength
      return data
    }
    const chunks = zipTargetFolder(folder, () => {}, { concurrency: 8, readFile }).chunks[Symbol.asyncIterator]()
    expect((await chunks.next()).done).toBe(false)
    // However long it waits (the deflates under way end, each may start another), the
    // reading stops at the bound: 8 MiB of a 32 MiB folder.
    for (let wait = 0; wait < 4; wait++) {
      await sleep(100)
      expect(read).toBeGreaterThan(512 * 1024)
      expect(read).toBeLessThanOrEqual(READ_AHEAD_BYTES + 512 * 1024)
    }
    expect(read).toBeLessThan(folder.bytes / 2)
    await chunks.return?.(undefined)
  })

  it("a pooled file removed before its turn stops the ZIP with a failure naming it", async () => {
    fixture = makeTarget({ "compiled/zz_mid.json": jsonLike(7, 200 * 1024) })
    const folder = walked(fixture.dir)
    rmSync(join(fixture.dir, "compiled/zz_mid.json"))
    const zip = zipTargetFolder(folder, () => {})
    await expect(collect(zip.chunks)).rejects.toThrow(/zz_mid\.json/)
    expect(zip.failure()).toMatchObject({ reason: "Unreadable", path: "compiled/zz_mid.json", detail: "ENOENT" })
  })
})
