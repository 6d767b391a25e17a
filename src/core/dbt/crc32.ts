/**
 * A running CRC-32, as each ZIP entry's data descriptor needs: zlib's native one (Node
 * 20.15 and 22.2 on, Deno, Bun) where there is one, else fflate's JavaScript one, which
 * costs about a third of the ZIP's own work.
 *
 * @since 0.2.0
 */
import { ZipPassThrough } from "fflate"
import * as zlib from "node:zlib"

/**
 * A CRC-32 over the bytes added so far.
 *
 * @since 0.2.0
 * @category models
 */
export interface RunningCrc {
  readonly add: (data: Uint8Array) => void
  readonly value: () => number
}

const nativeCrc32: ((data: Uint8Array, value?: number) => number) | undefined =
  (zlib as { readonly crc32?: (data: Uint8Array, value?: number) => number }).crc32

/**
 * A new running CRC-32.
 *
 * @since 0.2.0
 * @category constructors
 */
export const runningCrc = (): RunningCrc => {
  if (nativeCrc32 !== undefined) {
    const crc32 = nativeCrc32
    let value = 0
    return {
      add: (data) => {
        value = crc32(data, value)
      },
      value: () => value >>> 0
    }
  }
  // fflate keeps the CRC of what an entry is pushed; this entry only counts.
  const counter = new ZipPassThrough("")
  counter.ondata = () => {}
  let final: number | undefined
  return {
    add: (data) => counter.push(data, false),
    value: () => {
      if (final === undefined) {
        counter.push(new Uint8Array(0), true)
        final = counter.crc
      }
      return final
    }
  }
}
