/**
 * Two projects: `unit` (everything that runs from `src/`) and `consumer` (the packed
 * tarballs installed into fresh projects). Only a run that selects a consumer test packs
 * the tarballs, once for all of them (`test/consumer/support/globalSetup.ts`).
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
