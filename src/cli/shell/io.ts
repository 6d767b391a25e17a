/**
 * Where the program writes, and how a long command shows where it stands on stderr
 * (stdout keeps the result): on a terminal, one live line rewritten in place; in a CI
 * log, where rewriting makes a mess, one line each time the status changes.
 *
 * @module
 */

/** Where the program writes. */
export interface CliIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

/** Where a command reports its progress. */
export interface Progress {
  /**
   * The current status. On a terminal it replaces the previous one; in a log it is
   * written only when `key` differs from the previous status's key.
   */
  readonly status: (text: string, key: string) => void
  /** A line of its own, ending any live status first. */
  readonly note: (text: string) => void
  /** Ends a live status line (a no-op in a log). */
  readonly end: () => void
}

/** Progress on `io`'s stderr, live when `terminal`. */
export const makeProgress = (io: CliIo, terminal: boolean): Progress => {
  let lastKey: string | undefined
  let live = false
  const end = () => {
    if (live) io.stderr("\n")
    live = false
  }
  return {
    status: (text, key) => {
      if (terminal) {
        // Back to the line's start, clear it, write the new status.
        io.stderr(`\r\x1b[2K${text}`)
        live = true
      } else if (key !== lastKey) {
        io.stderr(`datafold-ci: ${text}\n`)
      }
      lastKey = key
    },
    note: (text) => {
      end()
      io.stderr(`datafold-ci: ${text}\n`)
    },
    end
  }
}

/** Progress that shows nothing: for in-process callers that do not ask for it. */
export const silentProgress: Progress = { status: () => {}, note: () => {}, end: () => {} }
