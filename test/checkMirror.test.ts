/**
 * `npm run check:mirror` (scripts/checkMirror.ts) on fixture trees shaped like the
 * repository's: it fails when one major gains logic the other lacks, passes once the
 * difference is allow-listed, and flags allow-list entries that no longer apply. The
 * last test runs it on the repository itself.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, describe, expect, it } from "vitest"
import { checkMirror, logicOf, type MirrorAllowList, readAllowList } from "../scripts/checkMirror.ts"

const roots: Array<string> = []
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

/** A fixture repository: `files` maps paths under the repository to their text. */
const fixture = (files: Record<string, string>): string => {
  const root = mkdtempSync(join(tmpdir(), "check-mirror-"))
  roots.push(root)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

const effect3Retry = `import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { retryTransient } from "../core/retryPolicy.ts"
const Items = Schema.Array$(Schema.String)
export const check = (value: unknown) => Either.isRight(Schema.decodeUnknownEither(Items)(value))
export const policy = () => retryTransient
`
// The same logic in Effect 4's spelling: other module names, other API names, other paths.
const effect4Retry = `import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { retryTransient } from "../../core/retryPolicy.ts"
const Items = Schema.$Array(Schema.String)
export const check = (value: unknown) => Result.isSuccess(Schema.decodeUnknownResult(Items)(value))
export const policy = () => retryTransient
`
// Effect 4 gains a step: a new function, and a call of the shared core's lookup.
const effect4Gained = `${effect4Retry}import { lookForRun } from "../../core/look.ts"
export const lookFirst = (id: number) => lookForRun(id)
`

const none: MirrorAllowList = { oneSided: [], differences: [] }

describe("check:mirror", () => {
  it("passes twins that differ only in Effect's spelling and import paths", () => {
    const root = fixture({ "src/internal/retry.ts": effect3Retry, "src/effect4/internal/retry.ts": effect4Retry })
    expect(checkMirror(root, none)).toEqual({ pairs: 1, problems: [] })
  })

  it("fails when one side gains logic the other lacks, naming the file, the names and the side", () => {
    const root = fixture({ "src/internal/retry.ts": effect3Retry, "src/effect4/internal/retry.ts": effect4Gained })
    const report = checkMirror(root, none)
    expect(report.problems).toHaveLength(2)
    expect(report.problems[0]).toMatch(/^internal\/retry\.ts: lookFirst only in effect4/)
    expect(report.problems[1]).toMatch(/^internal\/retry\.ts: lookForRun\(\) only in effect4/)
  })

  it("passes the same pair once an allow-list entry explains the difference", () => {
    const root = fixture({ "src/internal/retry.ts": effect3Retry, "src/effect4/internal/retry.ts": effect4Gained })
    const allow: MirrorAllowList = {
      oneSided: [],
      differences: [{
        path: "internal/retry.ts",
        onlyIn: "effect4",
        names: ["lookFirst", "lookForRun()"],
        reason: "the fixture's Effect 4 side looks first"
      }]
    }
    expect(checkMirror(root, allow)).toEqual({ pairs: 1, problems: [] })
  })

  it("fails on a file with no twin unless allow-listed, and on an entry that no longer applies", () => {
    const root = fixture({ "src/internal/wire.ts": "export const send = () => 1\n" })
    expect(checkMirror(root, none).problems).toEqual([
      "internal/wire.ts: only in effect3; add its twin or an allow-list entry (oneSided) saying why"
    ])
    const allow: MirrorAllowList = {
      oneSided: [{ path: "internal/wire.ts", side: "effect3", reason: "the fixture's own wire" }],
      differences: [{ path: "internal/wire.ts", onlyIn: "effect3", names: ["send"], reason: "stale on purpose" }]
    }
    expect(checkMirror(root, allow).problems).toEqual([
      "allow list: internal/wire.ts send (effect3) no longer differs; remove it"
    ])
  })

  it("reads a renamed declaration through the renames table", () => {
    const root = fixture({
      "src/Client.ts": "const ClientTag = 1\nexport const make = () => ClientTag\n",
      "src/effect4/Client.ts": "const ClientBase = 1\nexport const make = () => ClientBase\n"
    })
    expect(checkMirror(root, none).problems).toHaveLength(2)
    expect(checkMirror(root, { ...none, renames: { ClientBase: "ClientTag" } }).problems).toEqual([])
  })

  it("counts declarations and the repository's own calls, not calls into Effect", () => {
    const logic = logicOf(`import * as Effect from "effect/Effect"
import { makeRetryDriver } from "./retryDriver.ts"
const retries = makeRetryDriver()
export const run = () => Effect.flatMap(Effect.void, () => retries.trigger())
`)
    expect([...logic].sort()).toEqual(["makeRetryDriver()", "retries", "retries.trigger()", "run"])
  })

  it("passes on the repository with its allow list", { timeout: 120_000 }, () => {
    const root = fileURLToPath(new URL("..", import.meta.url))
    const report = checkMirror(root, readAllowList(join(root, "scripts", "mirror-allow.json")))
    expect(report.problems).toEqual([])
    expect(report.pairs).toBeGreaterThan(20)
  })
})
