/**
 * The multipart body of an upload: text fields in order, then the streamed file, each
 * framed by the boundary as RFC 7578 says; and the file's bytes exactly as the source gave
 * them, whatever buffers it used (form-data-encoder alone cuts a chunk over 64 KiB from
 * the wrong place when it is a view into a larger buffer).
 */
import { describe, expect, it } from "@effect/vitest"
import { multipartBody, multipartContentType } from "../../src/core/dbt/multipartBody.ts"

const collect = async (chunks: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const parts: Array<Uint8Array> = []
  for await (const chunk of chunks) parts.push(chunk)
  return Buffer.concat(parts)
}

describe("multipartBody", () => {
  it("frames the fields, then the file, with the boundary; the content type names it", async () => {
    async function* file() {
      yield new TextEncoder().encode("PK\u0003\u0004zip")
    }
    const body = multipartBody([["commit_sha", "abc"], ["run_type", "pull_request"]], {
      field: "artifacts",
      filename: "artifacts.zip",
      type: "application/zip",
      chunks: file
    }, "BOUNDARY")
    expect(body.contentType).toBe(multipartContentType("BOUNDARY"))
    expect((await collect(body.chunks)).toString("latin1")).toBe(
      '--BOUNDARY\r\nContent-Disposition: form-data; name="commit_sha"\r\n\r\nabc\r\n' +
        '--BOUNDARY\r\nContent-Disposition: form-data; name="run_type"\r\n\r\npull_request\r\n' +
        '--BOUNDARY\r\nContent-Disposition: form-data; name="artifacts"; filename="artifacts.zip"\r\n' +
        "Content-Type: application/zip\r\n\r\nPK\u0003\u0004zip\r\n--BOUNDARY--\r\n\r\n"
    )
  })

  it("passes a large chunk that is a view into a bigger buffer on byte for byte", async () => {
    const backing = new Uint8Array(400_000).map((_, i) => i % 251)
    const view = backing.subarray(12_345, 312_345)
    async function* file() {
      yield view
    }
    const body = multipartBody([], { field: "f", filename: "x.zip", type: "application/zip", chunks: file }, "B")
    const sent = await collect(body.chunks)
    const start = sent.indexOf("\r\n\r\n", sent.indexOf("filename"), "latin1") + 4
    expect(Buffer.from(sent.subarray(start, start + view.byteLength)).equals(Buffer.from(view))).toBe(true)
    expect(sent.byteLength - start - view.byteLength).toBe("\r\n--B--\r\n\r\n".length)
  })
})
