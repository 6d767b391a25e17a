/**
 * The target folder as the upload sees it, on real folders: every file by its name in
 * the archive, a link inside followed and one outside left out (so are broken links,
 * links back up the tree and pipes), and each reason a folder is refused before anything
 * is sent.
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { readTargetFolder } from "../../src/core/dbt/targetFolder.ts"
import { makeTarget, type TargetFixture } from "../support/dbtTarget.ts"

let fixture: TargetFixture | undefined
afterEach(() => fixture?.remove())

describe("readTargetFolder", () => {
  it("lists every regular file by its path inside the folder, sorted, with sizes; follows a link inside; leaves the outside one out", () => {
    fixture = makeTarget()
    const walk = readTargetFolder("target", fixture.parent)
    if (!walk.ok) throw new Error(JSON.stringify(walk.problem))
    expect(walk.folder.files.map((file) => file.name)).toEqual(Object.keys(fixture.files).sort())
    for (const file of walk.folder.files) expect(file.size, file.name).toBe(fixture.files[file.name]!.byteLength)
    expect(walk.folder.bytes).toBe(Object.values(fixture.files).reduce((sum, bytes) => sum + bytes.byteLength, 0))
    expect(walk.folder.skipped).toEqual([{ name: "leak.txt", reason: "LinkOutside" }])
    expect(walk.folder.targetFolder).toBe("target")
  })

  it("leaves out a broken link, a link back up the tree and a named pipe, and says why", () => {
    fixture = makeTarget()
    symlinkSync("nowhere.json", join(fixture.dir, "broken.json"))
    symlinkSync("..", join(fixture.dir, "compiled", "up"))
    execFileSync("mkfifo", [join(fixture.dir, "pipe")])
    const walk = readTargetFolder(fixture.dir, "/")
    if (!walk.ok) throw new Error(JSON.stringify(walk.problem))
    expect(walk.folder.skipped).toEqual([
      { name: "broken.json", reason: "LinkBroken" },
      { name: "compiled/up", reason: "LinkLoop" },
      { name: "leak.txt", reason: "LinkOutside" },
      { name: "pipe", reason: "NotAFile" }
    ])
  })

  it("follows a link to a folder inside, under the link's name", () => {
    fixture = makeTarget()
    symlinkSync("compiled", join(fixture.dir, "latest"))
    const walk = readTargetFolder(fixture.dir, "/")
    if (!walk.ok) throw new Error(JSON.stringify(walk.problem))
    const names = walk.folder.files.map((file) => file.name)
    expect(names).toContain("latest/shop/models/orders.sql")
    expect(names).toContain("compiled/shop/models/orders.sql")
  })

  it("lists a file whose name is not UTF-8 under its bytes, shown with the odd bytes as \\xHH, and says so", () => {
    fixture = makeTarget()
    // "m\xFF é.sql": a byte no UTF-8 character has, then a UTF-8 é.
    const nameBytes = Buffer.concat([Buffer.from("m"), Buffer.from([0xff]), Buffer.from(" é.sql")])
    const folder = Buffer.from(join(fixture.dir, "compiled"))
    writeFileSync(Buffer.concat([folder, Buffer.from("/"), nameBytes]), "select 1\n")
    const walk = readTargetFolder(fixture.dir, "/")
    if (!walk.ok) throw new Error(JSON.stringify(walk.problem))
    const file = walk.folder.files.find((each) => each.name === "compiled/m\\xFF é.sql")
    expect(file).toBeDefined()
    expect(Buffer.from(file!.nameBytes!).equals(Buffer.concat([Buffer.from("compiled/"), nameBytes]))).toBe(true)
    expect(file!.size).toBe(9)
    expect(walk.folder.notUtf8).toEqual(["compiled/m\\xFF é.sql"])
    // Every other name is UTF-8, and stays a string path.
    expect(walk.folder.files.filter((each) => typeof each.path !== "string")).toEqual([file])
  })

  it("refuses a folder that does not exist, a file, and a folder without manifest.json, naming it", () => {
    fixture = makeTarget()
    expect(readTargetFolder("missing", fixture.parent)).toMatchObject({
      ok: false,
      problem: { reason: "FolderNotFound", targetFolder: "missing", detail: "ENOENT" }
    })
    expect(readTargetFolder("target/manifest.json", fixture.parent)).toMatchObject({
      ok: false,
      problem: { reason: "NotAFolder", targetFolder: "target/manifest.json" }
    })
    rmSync(join(fixture.dir, "manifest.json"))
    expect(readTargetFolder("target", fixture.parent)).toMatchObject({
      ok: false,
      problem: { reason: "NoManifest", targetFolder: "target" }
    })
  })

  it("a manifest.json deeper in the folder is not the one it needs", () => {
    fixture = makeTarget()
    mkdirSync(join(fixture.parent, "other", "nested"), { recursive: true })
    writeFileSync(join(fixture.parent, "other", "nested", "manifest.json"), "{}")
    expect(readTargetFolder("other", fixture.parent)).toMatchObject({
      ok: false,
      problem: { reason: "NoManifest" }
    })
  })
})
