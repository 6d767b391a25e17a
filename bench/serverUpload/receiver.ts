/**
 * One receiver of a dbt upload, alone in its process so that its peak memory is its own:
 * `inPlace` is the local server itself (the shared front door, whose multipart reader
 * works over the body as received), `formData` the web `Request.formData()` that Node,
 * Deno and Bun offer, then the file's bytes and the same ZIP check. Prints its URL, then,
 * once it has answered one upload, one JSON line: its peak RSS (MiB) before and after, and
 * the size of the archive it kept.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Readable } from "node:stream"
import { checkArtifacts } from "../../src/localServer/dbtArtifacts.ts"
import { startFrontDoor } from "../../src/localServer/frontDoor.ts"
import { plainApiHandler } from "../../src/localServer/plainApi.ts"

const peak = () => Math.round(process.resourceUsage().maxRSS / 1024)
const before = peak()
const report = (archive: number | undefined) => console.log(JSON.stringify({ before, after: peak(), archive }))

if (process.argv[2] === "inPlace") {
  let kept: () => number | undefined = () => undefined
  const server = await startFrontDoor({ apiKey: "bench", onRequest: () => report(kept()) }, plainApiHandler)
  kept = () => server.dbtUploads()[0]?.archive.length
  console.log(server.url)
} else {
  const server = http.createServer(async (request, response) => {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string" && name !== "content-length" && name !== "transfer-encoding") headers[name] = value
    }
    const form = await new Request("http://127.0.0.1/", {
      method: "POST",
      headers,
      body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
      duplex: "half"
    } as RequestInit).formData()
    const archive = new Uint8Array(await (form.get("artifacts") as File).arrayBuffer())
    const check = checkArtifacts(archive)
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: check._tag }))
    report(archive.length)
  })
  server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
}
