/**
 * The `datafold-ci` executable: hands the command line, environment and streams to
 * `main` and exits with its code. Everything else lives in `src/cli/`.
 *
 * @module
 */
import module from "node:module"
import process from "node:process"
import { VERSION } from "../core/version.ts" // Node 22.1+ keeps the compiled code of the bundle's chunks on disk (in the system's temp
 // folder), so the second and later runs on a machine skip most of the parsing; a no-op
// elsewhere, and a failure to use the cache is never an error.
;(module as { enableCompileCache?: () => unknown }).enableCompileCache?.()

const argv = process.argv.slice(2)

// `datafold-ci --version` alone is answered before the program (and Effect) is loaded.
if (argv.length === 1 && argv[0] === "--version") {
  process.stdout.write(`${VERSION}\n`)
} else {
  const { main } = await import("../cli/main.ts")
  // exitCode rather than exit(): pending stdout and stderr writes are flushed first.
  process.exitCode = await main(argv, {
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
      read: async () => (await import("node:stream/consumers")).text(process.stdin)
    },
    onStop: (stop) => {
      process.once("SIGINT", stop)
      process.once("SIGTERM", stop)
    }
  })
}
