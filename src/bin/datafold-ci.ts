/**
 * The `datafold-ci` executable: hands the command line, environment and streams to
 * `main` and exits with its code. Everything else lives in `src/cli/`.
 *
 * @module
 */
import process from "node:process"
import { text } from "node:stream/consumers"
import { main } from "../cli/main.ts"

// exitCode rather than exit(): pending stdout and stderr writes are flushed first.
process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stderrIsTerminal: process.stderr.isTTY === true,
  stdoutColumns: process.stdout.isTTY === true ? process.stdout.columns : undefined,
  io: {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text)
  },
  // Touched only when diffs are read from stdin: opening stdin otherwise costs start-up time.
  stdin: {
    get isTTY() {
      return process.stdin.isTTY === true
    },
    read: () => text(process.stdin)
  },
  onStop: (stop) => {
    process.once("SIGINT", stop)
    process.once("SIGTERM", stop)
  }
})
