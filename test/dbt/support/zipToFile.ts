/**
 * `zipToFile.ts <folder> <out.zip> [level]`: the upload's ZIP writer on a folder, into a
 * file, a chunk at a time, in a process of its own, so the test can hold its peak RSS (the
 * child's own `maxRSS`) against what streaming allows, whatever the archive's size. Prints
 * one JSON line: the archive's bytes and the peak RSS in bytes.
 */
import { closeSync, openSync, writeSync } from "node:fs"
import { zipTargetFolder } from "../../../src/core/dbt/artifactsZip.ts"
import { readTargetFolder } from "../../../src/core/dbt/targetFolder.ts"

const [folder, out, level] = process.argv.slice(2)
if (folder === undefined || out === undefined) throw new Error("usage: zipToFile.ts <folder> <out.zip> [level]")
const walk = readTargetFolder(folder, process.cwd())
if (!walk.ok) throw new Error(JSON.stringify(walk.problem))
const zip = zipTargetFolder(walk.folder, () => {}, level === undefined ? {} : { level: Number(level) })
const fd = openSync(out, "w")
try {
  for await (const chunk of zip.chunks) {
    for (let written = 0; written < chunk.byteLength;) written += writeSync(fd, chunk, written)
  }
} finally {
  closeSync(fd)
}
console.log(JSON.stringify({ archiveBytes: zip.archiveBytes(), peakRssBytes: process.resourceUsage().maxRSS * 1024 }))
