/**
 * Whether a file reads as a dbt manifest, checked before anything is sent, in bounded
 * memory: the file is read a chunk at a time and scanned for the top-level keys of its
 * JSON object, never parsed whole (a manifest can be hundreds of megabytes). A manifest
 * is a JSON object with `metadata` and `nodes` at its top level; dbt writes `metadata`
 * first, so a real manifest is accepted after its first chunk or so. An empty file, one
 * that is not a JSON object, one that ends inside it, or an object without those keys is
 * refused with words that say which.
 *
 * @since 0.2.0
 */
import { open } from "node:fs/promises"
import { fsPath } from "./fsPath.ts"
import type { FilePath } from "./targetFolder.ts"

/**
 * The keys a dbt manifest has at its top level.
 *
 * @since 0.2.0
 * @category constants
 */
export const MANIFEST_KEYS: ReadonlyArray<string> = ["metadata", "nodes"]

/** One read: large enough for few round trips, small beside the memory of a CI runner. */
const CHUNK_BYTES = 1024 * 1024

/** Keys longer than this are not ours, and are not kept. */
const KEY_CAP = 64

const QUOTE = 0x22
const BACKSLASH = 0x5c
const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09

/**
 * A scan of a JSON text's top-level object keys, fed a chunk at a time.
 *
 * @since 0.2.0
 * @category models
 */
export interface TopLevelKeyScan {
  /** Feeds the next chunk. */
  readonly feed: (chunk: Uint8Array) => void
  /** What is already known to be wrong, before the end: `undefined` while nothing is. */
  readonly problemSoFar: () => string | undefined
  /** Whether every key asked for has been seen. */
  readonly complete: () => boolean
  /** What is wrong with the text seen so far, read to its end: `undefined` when nothing. */
  readonly problemAtEnd: () => string | undefined
}

/**
 * Starts a scan for `wanted` keys at the top level of a JSON object. It follows strings
 * (and their escapes) and nesting; it does not validate the values in between.
 *
 * @since 0.2.0
 * @category constructors
 */
export const scanTopLevelKeys = (wanted: ReadonlyArray<string>): TopLevelKeyScan => {
  const seen = new Set<string>()
  let bytes = 0
  let started = false
  let ended = false
  let problem: string | undefined
  let depth = 0
  let inString = false
  let escaped = false
  let keyExpected = false
  let key: Array<number> | undefined
  const keyText = (codes: ReadonlyArray<number>) => String.fromCharCode(...codes)

  const feed = (chunk: Uint8Array) => {
    for (let index = 0; index < chunk.length && problem === undefined; index++) {
      const byte = chunk[index]!
      bytes++
      if (inString) {
        if (escaped) escaped = false
        else if (byte === BACKSLASH) escaped = true
        else if (byte === QUOTE) {
          inString = false
          if (key !== undefined) {
            if (key.length <= KEY_CAP) seen.add(keyText(key))
            key = undefined
          }
        } else if (key !== undefined && key.length <= KEY_CAP) key.push(byte)
        continue
      }
      if (isSpace(byte)) continue
      if (!started) {
        started = true
        if (byte === 0x7b) {
          depth = 1
          keyExpected = true
        } else {
          problem = byte === 0x5b || byte === QUOTE || byte === 0x2d || (byte >= 0x30 && byte <= 0x39) ||
              byte === 0x74 || byte === 0x66 || byte === 0x6e
            ? "it is JSON, but not an object"
            : "it is not JSON"
        }
        continue
      }
      if (ended) {
        problem = "it is not JSON: there is more after its object"
        continue
      }
      switch (byte) {
        case QUOTE:
          inString = true
          if (depth === 1 && keyExpected) {
            key = []
            keyExpected = false
          }
          break
        case 0x7b: // {
        case 0x5b: // [
          depth++
          break
        case 0x7d: // }
        case 0x5d: // ]
          depth--
          if (depth === 0) ended = true
          break
        case 0x2c: // ,
          if (depth === 1) keyExpected = true
          break
      }
    }
  }

  return {
    feed,
    problemSoFar: () => problem,
    complete: () => problem === undefined && wanted.every((name) => seen.has(name)),
    problemAtEnd: () => {
      if (problem !== undefined) return problem
      if (bytes === 0 || !started) return "it is empty"
      if (!ended) return "it is not complete JSON: it ends inside its object (cut short?)"
      const missing = wanted.filter((name) => !seen.has(name))
      return missing.length === 0
        ? undefined
        : `it is JSON, but has no ${missing.map((name) => `"${name}"`).join(" and no ")} ` +
          `at its top level`
    }
  }
}

/**
 * What is wrong with the dbt manifest at `path`, read in bounded memory: `undefined` when
 * it reads as one (its start holds `metadata` and `nodes`, or the whole file was scanned
 * and it is a complete object with both). A read that fails is left to the caller's own
 * checks and to the send, and is `undefined` here.
 *
 * @since 0.2.0
 * @category rules
 */
export const manifestContentProblem = async (path: FilePath): Promise<string | undefined> => {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(fsPath(path), "r")
  } catch {
    return undefined
  }
  try {
    const scan = scanTopLevelKeys(MANIFEST_KEYS)
    const buffer = new Uint8Array(CHUNK_BYTES)
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null)
      if (bytesRead === 0) return scan.problemAtEnd()
      scan.feed(bytesRead === CHUNK_BYTES ? buffer : buffer.subarray(0, bytesRead))
      if (scan.complete()) return undefined
      const early = scan.problemSoFar()
      if (early !== undefined) return early
    }
  } catch {
    return undefined
  } finally {
    await handle.close()
  }
}
