/**
 * The shared fault table (`support/faultTable.ts`) on the Effect 3 entry: every row,
 * over real loopback HTTP. `src/effect4/test/faultTable.test.ts` runs the same rows on
 * the Effect 4 entry.
 */
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer, Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { DatafoldClient, triggerCiRun } from "../src/index.ts"
import { type Call, type Harness, startHarness } from "./support/faultHarness.ts"
import { faultTable } from "./support/faultTable.ts"

const call: Call = ({ apiKey, ...options }, details) =>
  Effect.runPromise(
    triggerCiRun(7, details).pipe(
      Effect.match({
        onFailure: (error) => ({
          outcome: error._tag as string,
          value: { ...JSON.parse(JSON.stringify(error)), message: error.message }
        }),
        onSuccess: (job) => ({ outcome: "Success", value: JSON.parse(JSON.stringify(job)) })
      }),
      Effect.provide(
        DatafoldClient.layer({ ...options, apiKey: Redacted.make(apiKey) }).pipe(Layer.provide(FetchHttpClient.layer))
      )
    )
  )

let harness: Harness
beforeAll(async () => {
  harness = await startHarness()
})
afterAll(() => harness.close())

describe("the shared fault table on the Effect 3 entry", () => {
  for (const row of faultTable) {
    it(row.name, async () => {
      expect(await harness.run(row, call)).toStrictEqual([])
    }, row.timeoutMillis)
  }
})
