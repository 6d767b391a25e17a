/**
 * What a test checks to know a file was closed.
 */
import { readdirSync, readlinkSync } from "node:fs"

/** The files this process holds open (Linux's /proc). */
export const openDescriptors = (): ReadonlyArray<string> =>
  readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)]
    } catch {
      return []
    }
  })
