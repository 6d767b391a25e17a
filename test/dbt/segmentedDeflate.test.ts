/**
 * A large file deflated in segments side by side: the segments' outputs, in order, are one
 * raw deflate stream of the file's bytes; each segment is primed with the one before it, so
 * the file compresses as one stream would; a consumer that stops early leaves the file closed.
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import { randomBytes } from "node:crypto"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { deflateRawSync, inflateRawSync } from "node:zlib"
import { deflateFile, SEGMENT_BYTES } from "../../src/core/dbt/segmentedDeflate.ts"
import { fsPath } from "../../src/core/dbt/fsPath.ts"
import type { ArtifactFile } from "../../src/core/dbt/targetFolder.ts"
import { openDescriptors } from "../support/openDescriptors.ts"

let dir: string | undefined
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

const fileOf = (data: Uint8Array): ArtifactFile => {
  dir = mkdtempSync(join(tmpdir(), "datafold-deflate-"))
  const path = join(dir, "manifest.json")
  writeFileSync(path, data)
  return { name: "manifest.json", path, size: data.byteLength, mode: 0o644, mtime: new Date() }
}

const options = {
  level: 6,
  onRead: () => {},
  readFailed: (_file: ArtifactFile, error: unknown) => new Error(`read failed: ${String(error)}`)
}

const deflated = async (file: ArtifactFile, parallel?: number): Promise<Buffer> => {
  const parts: Array<Uint8Array> = []
  for await (const part of deflateFile(file, { ...options, parallel })) parts.push(part)
  return Buffer.concat(parts)
}

describe("deflateFile", () => {
  it("gives the same bytes whatever the number of segments deflated at once (1 to 8, and the default)", async () => {
    // Compressible across segments (each is primed with the one before), with a short last one.
    const line = (i: number) => `{"unique_id": "model.shop.m${i}", "depends_on": ["source.shop.raw_${i % 97}"]},\n`
    const data = Buffer.from(Array.from({ length: 90_000 }, (_, i) => line(i)).join(""))
    expect(data.byteLength).toBeGreaterThan(5 * SEGMENT_BYTES)
    const file = fileOf(data)
    const byDefault = await deflated(file)
    for (const parallel of [1, 2, 3, 4, 8]) {
      expect((await deflated(file, parallel)).equals(byDefault), `${parallel}`).toBe(true)
    }
    expect(inflateRawSync(byDefault).equals(data)).toBe(true)
  })

  it("gives one deflate stream of the file's bytes, across many segments and a short last one", async () => {
    const data = randomBytes(5 * SEGMENT_BYTES + 12_345)
    expect(inflateRawSync(await deflated(fileOf(data))).equals(data)).toBe(true)
  })

  it("an empty file is an empty stream", async () => {
    expect(inflateRawSync(await deflated(fileOf(new Uint8Array(0)))).byteLength).toBe(0)
  })

  it("each segment is primed with the one before: a block repeated across segments compresses as in one stream", async () => {
    // 20 KiB of noise over and over: one stream codes it once and then refers back to it;
    // a segment that started cold would code it again, about 20 KiB per segment.
    const block = randomBytes(20 * 1024)
    const data = Buffer.concat(Array.from({ length: Math.ceil((8 * SEGMENT_BYTES) / block.byteLength) }, () => block))
    const segmented = await deflated(fileOf(data))
    const whole = deflateRawSync(data, { level: 6 })
    expect(inflateRawSync(segmented).equals(data)).toBe(true)
    expect(segmented.byteLength).toBeLessThan(whole.byteLength + 8 * 1024)
  })

  it("a consumer that stops after the first part leaves the file closed", async () => {
    const file = fileOf(randomBytes(6 * SEGMENT_BYTES))
    const parts = deflateFile(file, options)
    expect((await parts.next()).done).toBe(false)
    expect(openDescriptors()).toContain(file.path)
    await parts.return(undefined)
    expect(openDescriptors()).not.toContain(file.path)
  })

  it("a file gone before it is read fails with the error the caller makes of it", async () => {
    const file = fileOf(new Uint8Array(10))
    rmSync(fsPath(file.path))
    await expect(deflated(file)).rejects.toThrow(/read failed: .*ENOENT/)
  })
})
