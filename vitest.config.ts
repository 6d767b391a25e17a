/**
 * Projects: `unit` (everything that runs from `src/`) and `consumer` (the packed tarballs
 * installed into fresh projects) make the whole suite, run on the machine's Node. Only a
 * run that selects a consumer test packs the tarballs, once for all of them
 * (`test/consumer/support/globalSetup.ts`). `runtimes` is the part of `unit` whose
 * behaviour depends on the Node running it, which `npm test` repeats on Node 22 and Node
 * 24: every transport (Node's `fetch` is its own undici), the local servers, the ZIP
 * writer (zlib, the native CRC-32 from Node 22), the memory of an upload, the CLI bundle
 * and the GitHub Action. Pure logic (schemas, rules, messages, the CLI's parsing) runs once.
 *
 * Most files wait on child processes, servers and timers rather than on the CPU, so more
 * workers than the machine's cores run side by side (vitest's default on two cores is one).
 * The CLI bundle is built once for the run (`test/support/cliBundleSetup.ts`).
 */
import { configDefaults } from "vitest/config"
import type { InlineConfig } from "vitest/node"

/** The upload's memory, run on its own (`npm run test:memory`, on Node 20, 22 and 24). */
const MEMORY_TEST = "test/dbt/memory.test.ts"

/** The files `runtimes` repeats on Node 22 and Node 24. */
const runtimeDependent = [
  "test/client.test.ts",
  "test/faults/*.test.ts",
  "test/responses.test.ts",
  "test/secrets.test.ts",
  "test/submit.test.ts",
  "test/keys.test.ts",
  "test/properties.test.ts",
  "test/localServer.test.ts",
  "test/localServerDbt.test.ts",
  "test/runtime.test.ts",
  "test/dbt/artifactsZip.test.ts",
  "test/dbt/segmentedDeflate.test.ts",
  "test/dbt/targetFolder.test.ts",
  "test/dbt/upload.test.ts",
  "test/action/**/*.test.ts",
  "test/cli/bundle.test.ts"
]

/**
 * Typed as vitest 3's own options, and exported without `defineConfig`: the Effect 4 tree's
 * vitest 5 augments the same `vite` config type with its narrower options (no
 * `poolOptions`), and tsc sees both.
 */
const test: InlineConfig = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: "forks",
  // As many kept as started: a worker over the minimum is retired when idle, and with
  // `isolate: false` tinypool then fails the run ("Terminating worker thread").
  poolOptions: { forks: { minForks: 4, maxForks: 4 } },
  // A worker keeps its imported modules from one file to the next (effect, the sources,
  // the fixtures), which halves the CPU the run spends importing; no test mocks modules
  // or leaves a global changed.
  isolate: false,
  reporters: ["default", "./test/support/slowestFiles.ts"],
  projects: [
    {
      extends: true,
      test: {
        name: "unit",
        include: ["test/**/*.test.ts"],
        exclude: [...configDefaults.exclude, "test/bun/**", "test/deno/**", "test/consumer/**", MEMORY_TEST],
        globalSetup: ["test/support/cliBundleSetup.ts"]
      }
    },
    {
      extends: true,
      test: {
        name: "runtimes",
        include: runtimeDependent,
        globalSetup: ["test/support/cliBundleSetup.ts"]
      }
    },
    {
      // Peak RSS is a measurement: on a machine busy with the other stages, garbage is
      // collected later and the peak climbs by tens of MB. `npm test` runs it alone, last.
      extends: true,
      test: {
        name: "memory",
        include: [MEMORY_TEST],
        globalSetup: ["test/support/cliBundleSetup.ts"]
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

export default { test }
