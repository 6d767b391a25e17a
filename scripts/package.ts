/**
 * `npm run package`: writes `artifacts/effect-datafold-<version>.tgz` and
 * `artifacts/datafold-ci-<version>.tgz`, packed exactly as the package tests pack them.
 *
 * @module
 */
import { join, relative } from "node:path"
import process from "node:process"
import { root } from "./bundles.ts"
import { packTarballs } from "./tarballs.ts"

const { library, cli } = await packTarballs(join(root, "artifacts"))
for (const tarball of [library, cli]) {
  process.stdout.write(`${relative(root, tarball.path)} (${tarball.files.length} files, ${tarball.size} bytes)\n`)
}
