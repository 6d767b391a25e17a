/**
 * A `FilePath` as `node:fs` takes it. In a module of its own, out of the declarations the
 * entries reach: its type names Node's `Buffer`, and a program that imports the library
 * need not have Node's types.
 *
 * @since 0.3.0
 */
import type { FilePath } from "./targetFolder.ts"

/**
 * The path for `node:fs` (its bytes are a `Buffer` at run time already).
 *
 * @since 0.3.0
 * @category rules
 */
export const fsPath = (path: FilePath): string | Buffer =>
  typeof path === "string" || Buffer.isBuffer(path) ? path : Buffer.from(path)
