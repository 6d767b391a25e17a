/**
 * What effect-datafold ships (`src/core/dbt/artifactsZip.ts`): its own container (`zipRecords.ts`, ZIP64 records
 * only where a count, size or offset needs them; fflate's `Zip` bytes otherwise), small files deflated
 * synchronously by node:zlib with their small chunks joined, and large files deflated in 1 MiB segments side by
 * side on the thread pool. It always writes level 6 (the SDK's and `zip -r`'s), so only that level is timed.
 */
import { once } from "node:events"
import { finished } from "node:stream/promises"
import { zipTargetFolder } from "../../../src/core/dbt/artifactsZip.ts"
import type { MakeZip } from "../files.ts"

/** The shipped writer, fed the bench's file list as the folder walk would give it. */
export const makeZip: MakeZip = () => async (files, out) => {
  const folder = {
    targetFolder: "target",
    root: "",
    files,
    skipped: [],
    notUtf8: [],
    bytes: files.reduce((sum, file) => sum + file.size, 0)
  }
  for await (const chunk of zipTargetFolder(folder, () => {}).chunks) {
    if (!out.write(chunk)) await once(out, "drain")
  }
  out.end()
  await finished(out)
}
