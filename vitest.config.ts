/**
 * Projects: `unit` (everything that runs from `src/`) and `consumer` (the packed tarballs
 * installed into fresh projects) make the whole suite, run on the machine's Node. Only a
 * run that selects a consumer test packs the tarballs, once for all of them
 * (`test/consumer/support/globalSetup.ts`). `runtimes` is the part of `unit` that `npm test`
 * repeats on Node 22 and Node 24: the library's tests (`test/*.test.ts`), the CLI bundle
 * and the GitHub Action, the pieces whose behaviour depends on the Node running them.
 */
import { configDefaults, defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/bun/**", "test/deno/**", "test/consumer/**"]
        }
      },
      {
        extends: true,
        test: {
          name: "runtimes",
          include: ["test/*.test.ts", "test/action/**/*.test.ts", "test/cli/bundle.test.ts"]
        }
      },
      {
        extends: true,
        test: {
          name: "consumer",
          include: ["test/consumer/**/*.test.ts"],
          globalSetup: ["test/consumer/support/globalSetup.ts"],
          testTimeout: 180_000,
          hookTimeout: 300_000
        }
      }
    ]
  }
})
