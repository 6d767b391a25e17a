/**
 * The upload bench's server counts an upload as whole only when `UploadReader` says so: a body
 * the client writes (multipart around the folder's ZIP) is read back, entries and sizes, through any chunking; a
 * body with bytes missing from the archive, without its closing boundary, or shorter than its Content-Length is
 * not.
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import { type ReceivedUpload, UploadReader } from "../../bench/upload/receivedUpload.ts"
import { zipTargetFolder } from "../../src/core/dbt/artifactsZip.ts"
import { multipartBody } from "../../src/core/dbt/multipartBody.ts"
import { readTargetFolder, type TargetFolder } from "../../src/core/dbt/targetFolder.ts"
import { makeTarget, type TargetFixture } from "../support/dbtTarget.ts"

let fixture: TargetFixture | undefined
afterEach(() => fixture?.remove())

const upload = async (): Promise<{ folder: TargetFolder; body: Buffer; contentType: string }> => {
  fixture = makeTarget()
  const walk = await readTargetFolder(fixture.dir, "/")
  if (!walk.ok) throw new Error(JSON.stringify(walk.problem))
  const zip = zipTargetFolder(walk.folder, () => {})
  const multipart = multipartBody([["commit_sha", "0".repeat(40)], ["run_type", "pull_request"]], {
    field: "artifacts",
    filename: "artifacts.zip",
    type: "application/zip",
    chunks: () => zip.chunks
  })
  const parts: Array<Uint8Array> = []
  for await (const chunk of multipart.chunks) parts.push(chunk)
  return { folder: walk.folder, body: Buffer.concat(parts), contentType: multipart.contentType }
}

/** `body` through a reader in pieces of `size` bytes. */
const read = (body: Buffer, contentType: string, contentLength?: string, size = 997): ReceivedUpload => {
  const reader = new UploadReader(contentType, contentLength)
  for (let at = 0; at < body.byteLength; at += size) reader.push(body.subarray(at, at + size))
  return reader.end()
}

describe("UploadReader", () => {
  it("reads back the entries and sizes of a whole upload, chunked or with a Content-Length", async () => {
    const { body, contentType, folder } = await upload()
    const chunked = read(body, contentType)
    expect(chunked.problem).toBeUndefined()
    expect(chunked.framing).toBe("chunked")
    expect(chunked.bodyBytes).toBe(body.byteLength)
    expect(chunked.names).toEqual(folder.files.map((file) => file.name))
    expect(chunked.files).toBe(folder.files.length)
    expect(chunked.uncompressedBytes).toBe(folder.bytes)
    const counted = read(body, contentType, String(body.byteLength), 64 * 1024)
    expect(counted).toEqual({ ...chunked, framing: "content-length" })
  })

  it("a body with bytes missing from the archive, no closing boundary, or short of its length is not whole", async () => {
    const { body, contentType } = await upload()
    const middle = Math.floor(body.byteLength / 2)
    const holed = Buffer.concat([body.subarray(0, middle), body.subarray(middle + 100)])
    expect(read(holed, contentType).problem).toMatch(/bytes are missing or extra/)
    expect(read(body.subarray(0, body.byteLength - 10), contentType).problem).toMatch(/closing boundary/)
    expect(read(body, contentType, String(body.byteLength + 1)).problem).toMatch(/Content-Length/)
    expect(read(body, "multipart/form-data").problem).toMatch(/no multipart boundary/)
  })
})
