/**
 * No ZIP at all: every file's bytes read and written to the sink as they are. The floor of reading the
 * folder through Node streams; what a writer costs over it is its own.
 */
import { once } from "node:events"
import { createReadStream } from "node:fs"
import { finished } from "node:stream/promises"
import { CHUNK_BYTES, type MakeZip } from "../files.ts"

/** The read-and-copy floor. */
export const makeZip: MakeZip = () => async (files, out) => {
  for (const file of files) {
    for await (const chunk of createReadStream(file.path, { highWaterMark: CHUNK_BYTES })) {
      if (!out.write(chunk)) await once(out, "drain")
    }
  }
  out.end()
  await finished(out)
}
