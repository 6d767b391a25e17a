/**
 * The manifest check, before anything is sent: the scan of a JSON text's top-level keys
 * as a table (every way a file can fail to be a dbt manifest, and texts that are one
 * however they are cut into chunks), and the file read in bounded chunks.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { manifestProblem, uploadManifestProblem } from "../../src/core/dbt/artifactsBody.ts"
import { MANIFEST_KEYS, manifestContentProblem, scanTopLevelKeys } from "../../src/core/dbt/manifestCheck.ts"

const text = new TextEncoder()
const problemOf = (json: string, chunk = 3) => {
  const scan = scanTopLevelKeys(MANIFEST_KEYS)
  const bytes = text.encode(json)
  for (let at = 0; at < bytes.length && !scan.complete(); at += chunk) scan.feed(bytes.subarray(at, at + chunk))
  return scan.complete() ? undefined : scan.problemAtEnd()
}

const table: ReadonlyArray<readonly [string, string, RegExp | undefined]> = [
  ["a manifest", '{"metadata": {"dbt_version": "1.8.0"}, "nodes": {}}', undefined],
  [
    "a manifest, keys in another order, spaced",
    '\n {\n "nodes" : {"a": [1, {"b": "}"}]},\n"metadata":{} }\n',
    undefined
  ],
  ["keys with escapes before them", '{"x\\"y": "\\\\", "metadata": {}, "nodes": {}}', undefined],
  ["an empty file", "", /^it is empty$/],
  ["only whitespace", " \n\t ", /^it is empty$/],
  ["not JSON (HTML)", "<html>oops</html>", /^it is not JSON$/],
  ["a JSON array", "[1, 2]", /JSON, but not an object/],
  ["a JSON string", '"manifest"', /JSON, but not an object/],
  ["an empty object", "{}", /no "metadata" and no "nodes" at its top level/],
  ["no nodes", '{"metadata": {}}', /no "nodes" at its top level/],
  ["nodes only nested", '{"metadata": {"nodes": {}}, "other": 1}', /no "nodes" at its top level/],
  ["a key only as a value", '{"metadata": "nodes"}', /no "nodes"/],
  ["cut short", '{"metadata": {"dbt_version": "1.8', /ends inside its object/],
  ["more after the object", '{"metadata": {}, "x": 1} {', /more after its object/]
]

describe("scanTopLevelKeys", () => {
  for (const [name, json, problem] of table) {
    for (const chunk of [1, 3, 1 << 20]) {
      it(`${name}, in chunks of ${chunk} bytes: ${problem === undefined ? "a manifest" : problem.source}`, () => {
        const found = problemOf(json, chunk)
        if (problem === undefined) expect(found).toBeUndefined()
        else expect(found).toMatch(problem)
      })
    }
  }
})

describe("the manifest file, read before sending", () => {
  const dir = mkdtempSync(join(tmpdir(), "manifest-check-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const file = (name: string, content: string) => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  }

  it("a manifest larger than one read, keys after the first chunk: accepted", async () => {
    const big = `{"nodes": {"pad": "${"x".repeat(3 * 1024 * 1024)}"}, "metadata": {}}`
    expect(await manifestContentProblem(file("big.json", big))).toBeUndefined()
  })

  it("check-primary-keys' manifest: NotAManifest naming the file and what is wrong", async () => {
    const path = file("empty.json", "")
    expect(await manifestProblem("empty.json", path)).toEqual({
      reason: "NotAManifest",
      location: "empty.json",
      detail: "it is empty"
    })
  })

  it("an upload's folder: NotAManifest naming manifest.json in the folder", async () => {
    const path = file("manifest.json", "{}")
    const folder = {
      targetFolder: "./target/",
      root: dir,
      files: [{ name: "manifest.json", path, size: 2, mtime: new Date(), mode: 0o644 }],
      skipped: [],
      notUtf8: [],
      bytes: 2
    }
    expect(await uploadManifestProblem(folder)).toMatchObject({
      reason: "NotAManifest",
      location: "./target/",
      path: "manifest.json",
      detail: 'it is JSON, but has no "metadata" and no "nodes" at its top level'
    })
  })
})
