/**
 * The `datafold-ci` executable: hands the command line, environment and streams to
 * `main` and exits with its code. Everything else lives in `src/cli/`.
 *
 * @module
 */
import process from "node:process"
import { main } from "../cli/main.ts"

// exitCode rather than exit(): pending stdout and stderr writes are flushed first.
process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  io: {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text)
  }
})
