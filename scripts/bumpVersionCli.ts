/**
 * `npm run version:bump -- <version>`: sets the version everywhere it is written (see
 * `bumpVersion.ts`). The lockfile is edited too, so no `npm install` is needed.
 *
 * @module
 */
import process from "node:process"
import { root } from "./bundles.ts"
import { bumpVersion, isVersion, versionedFiles } from "./bumpVersion.ts"

const version = process.argv[2] ?? ""
if (!isVersion(version)) {
  process.stderr.write(`usage: npm run version:bump -- <version>, e.g. 0.2.0 (got ${JSON.stringify(version)})\n`)
  process.exitCode = 2
} else {
  bumpVersion(root, version, new Date().toISOString().slice(0, 10))
  process.stdout.write(`version ${version} written to ${versionedFiles(root).join(", ")}\n`)
}
