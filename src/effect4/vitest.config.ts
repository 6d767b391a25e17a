/**
 * The Effect 4 tree's tests: vitest 5 with `@effect/vitest` 4, both installed in
 * `src/effect4/node_modules` by the private workspace package beside this file, so every
 * bare `effect` here (tests and sources alike) is Effect 4. vitest 5 needs Node 22.12 or
 * later: `npm run test:effect4` runs this project on Node 22 and Node 24 through
 * `scripts/with-node.mjs`, with `--root src/effect4`.
 */
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
