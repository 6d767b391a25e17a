/**
 * `zipOne.ts <writer> <level> <folder> [out.zip]`: one writer from source, on whichever runtime runs this file
 * (`deno run -A`, `bun`, `tsx`). The bench runs it on Deno and Bun to see each library work there unchanged.
 */
import process from "node:process"
import { runZipCommand } from "./command.ts"
import type { MakeZip } from "./files.ts"

const [writer, ...rest] = process.argv.slice(2)
if (writer === undefined || !/^[a-zA-Z]+$/.test(writer)) {
  throw new Error("usage: zipOne.ts <writer> <level> <folder> [out]")
}
const { makeZip } = (await import(`./writers/${writer}.ts`)) as { makeZip: MakeZip }
await runZipCommand(makeZip, rest)
