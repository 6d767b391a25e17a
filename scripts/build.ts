/**
 * `tsx scripts/build.ts cli|action`: writes the CLI (`npm run build:cli`) or the
 * GitHub Action's committed entry (`npm run build:action`).
 *
 * @module
 */
import { join } from "node:path"
import process from "node:process"
import { actionBundlePath, buildActionBundle, buildCliBundle, cliDistPath, root } from "./bundles.ts"

const which = process.argv[2]
if (which === "cli") await buildCliBundle(join(root, cliDistPath))
else if (which === "action") await buildActionBundle(join(root, actionBundlePath))
else {
  process.stderr.write("usage: tsx scripts/build.ts cli|action\n")
  process.exitCode = 2
}
