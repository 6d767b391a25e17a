/**
 * Real dbt-like target folders for the dbt tests, and an independent reader of the ZIPs
 * the client writes: Debian's `unzip` (to test and extract) and Python's `zipfile` (to
 * compare every entry's bytes with the folder).
 */
import { execFile } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"

/** A target folder on disk, and where it lives. */
export interface TargetFixture {
  /** The folder's parent: a temporary directory of its own. */
  readonly parent: string
  /** The target folder itself. */
  readonly dir: string
  /** The regular files, by their names in the archive, with their contents. */
  readonly files: Readonly<Record<string, Uint8Array>>
  readonly remove: () => void
}

/** A manifest with two models: enough for the server's primary-key check. */
export const manifestJson = (): string =>
  JSON.stringify({
    metadata: { dbt_version: "1.8.0" },
    nodes: {
      "model.shop.orders": {
        resource_type: "model",
        name: "orders",
        database: "analytics",
        schema: "prod",
        fqn: ["shop", "orders"],
        original_file_path: "models/orders.sql",
        patch_path: "shop://models/schema.yml",
        config: { meta: { primary_key: ["order_id"] } }
      },
      "model.shop.customers": {
        resource_type: "model",
        name: "customers",
        database: "analytics",
        schema: "prod",
        fqn: ["shop", "customers"],
        original_file_path: "models/customers.sql",
        patch_path: null,
        config: {}
      },
      // dbt read it from no file: Datafold answers its original_file_path as null.
      "model.shop.seeded": {
        resource_type: "model",
        name: "seeded",
        database: "analytics",
        schema: "prod",
        fqn: ["shop", "seeded"],
        config: { meta: { primary_key: "id" } }
      },
      "test.shop.unique_orders": { resource_type: "test", name: "unique_orders" }
    }
  })

/**
 * A target folder like dbt's: a manifest, run results, nested compiled SQL, an empty
 * file, non-ASCII names, a symbolic link inside (to the manifest) and one leading
 * outside the folder. `extra` adds files by name.
 */
export const makeTarget = (extra: Readonly<Record<string, Uint8Array | string>> = {}): TargetFixture => {
  const parent = mkdtempSync(join(tmpdir(), "datafold-dbt-"))
  const dir = join(parent, "target")
  const text = new TextEncoder()
  const files: Record<string, Uint8Array> = {
    "manifest.json": text.encode(manifestJson()),
    "run_results.json": text.encode(JSON.stringify({ results: Array.from({ length: 50 }, (_, i) => ({ i })) })),
    "compiled/shop/models/orders.sql": text.encode("select * from raw.orders\n"),
    "compiled/shop/models/staging/stg_customers.sql": text.encode("select id from raw.customers\n".repeat(100)),
    "run/shop/models/orders.sql": text.encode("create table orders as (select 1)\n"),
    "empty.log": new Uint8Array(0),
    "compiled/shop/models/é-ünïcödé 模型.sql": text.encode("select 'ünï'\n"),
    ...Object.fromEntries(
      Object.entries(extra).map((
        [name, content]
      ) => [name, typeof content === "string" ? text.encode(content) : content])
    )
  }
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), content)
  }
  // Inside: its content goes in, under the link's name. Outside: left out.
  symlinkSync("../manifest.json", join(dir, "run", "manifest-link.json"))
  files["run/manifest-link.json"] = files["manifest.json"]!
  writeFileSync(join(parent, "secret.txt"), "outside the target folder")
  symlinkSync(join(parent, "secret.txt"), join(dir, "leak.txt"))
  return { parent, dir, files, remove: () => rmSync(parent, { recursive: true, force: true }) }
}

/** Runs a command; resolves with its exit code and output. */
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly input?: string } = {}
): Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }> =>
  new Promise((resolve) => {
    const child = execFile(command, args, { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr }))
    if (options.input !== undefined) {
      child.stdin?.end(options.input)
    }
  })

/**
 * Python's `zipfile` on an archive: its `testzip()`, every entry's name (and its stored
 * bytes, in hex), and whether each entry's bytes equal the file of the same name under
 * `folder`, compared a MiB at a time (an entry may be larger than memory), and whether the
 * name carries the UTF-8 flag exactly when its bytes are UTF-8 beyond ASCII.
 */
export const pythonZipCheck = async (
  archive: string,
  folder: string
): Promise<
  {
    readonly bad: string | null
    readonly names: ReadonlyArray<string>
    readonly rawNames: ReadonlyArray<string>
    readonly mismatched: ReadonlyArray<string>
  }
> => {
  const script = `
import json, os, sys, zipfile
archive, folder = sys.argv[1], os.fsencode(sys.argv[2])
def utf8(raw):
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
with zipfile.ZipFile(archive) as z:
    bad = z.testzip()
    names = z.namelist()
    raw_names, mismatched = [], []
    for info in z.infolist():
        flagged = bool(info.flag_bits & 0x800)
        raw = info.filename.encode("utf-8") if flagged else info.filename.encode("cp437")
        raw_names.append(raw.hex())
        same = flagged == (utf8(raw) and not raw.isascii())
        with z.open(info) as f, open(os.path.join(folder, raw), "rb") as g:
            while same:
                a, b = f.read(1 << 20), g.read(1 << 20)
                same = a == b
                if not a:
                    break
        if not same:
            mismatched.append(info.filename)
print(json.dumps({"bad": bad, "names": names, "rawNames": raw_names, "mismatched": mismatched}))
`
  const result = await run("python3", ["-c", script, archive, folder])
  if (result.code !== 0) throw new Error(`python zipfile failed: ${result.stderr}`)
  return JSON.parse(result.stdout)
}

/** `unzip -t` of an archive: whether every entry's CRC checks. */
export const unzipTest = (archive: string) => run("unzip", ["-tq", archive])
