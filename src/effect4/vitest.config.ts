/**
 * The Effect 4 tree's tests: vitest 5 with `@effect/vitest` 4, both installed in
 * `src/effect4/node_modules` by the private workspace package beside this file, so every
 * bare `effect` here (tests and sources alike) is Effect 4. vitest 5 needs Node 22.12 or
 * later: `npm run test:effect4` runs this project on Node 22 and Node 24 through
 * `scripts/with-node.mjs`, with `--root src/effect4`.
 *
 * As in the root config: more workers than two cores (the files wait on loopback servers
 * and timers), kept without isolation so each imports Effect once, and the slowest files
 * listed at the end.
 */
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 4,
    isolate: false,
    reporters: ["default", "../../test/support/slowestFiles.ts"]
  }
})
