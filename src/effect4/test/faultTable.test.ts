/**
 * The shared fault table (`test/support/faultTable.ts`) on the Effect 4 entry: the same
 * rows, the same local server and the same judge as the Effect 3 suite
 * (`test/faults/*.test.ts`, a file per transport); only the call goes through this entry.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import { type Call, type Harness, startHarness } from "../../../test/support/faultHarness.ts"
import { faultTable } from "../../../test/support/faultTable.ts"
import { clientLayer, triggerCiRun } from "../index.ts"

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
        clientLayer({ ...options, apiKey: Redacted.make(apiKey) }).pipe(Layer.provide(FetchHttpClient.layer))
      )
    )
  )

let harness: Harness
beforeAll(async () => {
  harness = await startHarness()
})
afterAll(() => harness.close())

describe("the shared fault table on the Effect 4 entry", () => {
  for (const row of faultTable) {
    it(row.name, async () => {
      expect(await harness.run(row, call)).toStrictEqual([])
    }, row.timeoutMillis)
  }
})
