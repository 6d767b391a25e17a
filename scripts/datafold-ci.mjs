#!/usr/bin/env node
/**
 * The `datafold-ci` command of a checkout (the root package.json's `bin`), so that
 * `npx datafold-ci …` works in a clone after `npm ci`, with no build step: it runs the CLI's
 * source, `src/bin/datafold-ci.ts`, in this process through tsx (a devDependency), so the
 * arguments, streams, signals and exit code are the CLI's own. It is not the published CLI:
 * that is the `datafold-ci` package, whose `bin` is the bundle `npm run package` packs (and
 * the `effect-datafold` tarball carries no `bin`: `scripts/tarballs.ts` drops this one).
 *
 * Without tsx (a clone installed with `--omit=dev`, or this repository installed into another
 * project from a git URL, whose devDependencies npm does not install) it says so and exits 2.
 *
 * @module
 */
import process from "node:process"

/** @type {{ register: () => unknown }} */
let tsx
try {
  tsx = await import("tsx/esm/api")
} catch {
  process.stderr.write(
    "datafold-ci: this is effect-datafold's checkout command, which runs the CLI's source through tsx, and tsx is\n" +
      "not installed here. In a clone of the repository, run `npm ci` first. To install the CLI elsewhere, run\n" +
      "`npm run package` in a clone and `npm install <clone>/artifacts/datafold-ci-<version>.tgz` (see the README).\n"
  )
  process.exit(2)
}
tsx.register()
await import("../src/bin/datafold-ci.ts")
