/**
 * The tree under `src/effect4/` sees Effect 4 and the rest of the repository Effect 3: a
 * bare `effect` resolves by the importing file's location, and `src/effect4/package.json`
 * (a private workspace package) puts `effect` 4 in `src/effect4/node_modules`.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { createRequire } from "node:module"
import { EFFECT_MAJOR } from "../index.ts"

const versionSeenFrom = (file: string): string =>
  (createRequire(file)("effect/package.json") as { readonly version: string }).version

describe("the Effect 4 tree", () => {
  it("resolves effect to 4.x here and to 3.x from the Effect 3 tree", () => {
    expect(versionSeenFrom(import.meta.url)).toMatch(/^4\./)
    expect(versionSeenFrom(new URL("../../index.ts", import.meta.url).href)).toMatch(/^3\./)
    expect(EFFECT_MAJOR).toBe(4)
  })

  it.effect("runs Effect 4 programs (v4 services, no Context.Tag)", () =>
    Effect.gen(function* () {
      class Answer extends Context.Service<Answer, number>()("Answer") {}
      const value = yield* Effect.provideService(Answer, Answer, 42)
      expect(value).toBe(42)
      expect("Tag" in Context).toBe(false)
    }))
})
