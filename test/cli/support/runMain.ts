/**
 * Runs `datafold-ci` in-process through `main()`, with a controlled environment, working
 * directory and stdin: fast enough for every command's every outcome. Rejects when the
 * API key shows up in anything printed.
 *
 * @module
 */
import { main } from "../../../src/cli/main.ts"
import { API_KEY, type CliResult, emptyDir } from "./runCli.ts"

/** Runs `main` and collects what it printed. */
export const runMain = async (
  args: ReadonlyArray<string>,
  options: {
    readonly env?: Readonly<Record<string, string>>
    readonly cwd?: string
    /** Piped stdin; absent means stdin is a terminal. */
    readonly stdin?: string
  } = {}
): Promise<CliResult> => {
  let stdout = ""
  let stderr = ""
  const code = await main(args, {
    env: options.env ?? {},
    cwd: options.cwd ?? emptyDir(),
    io: { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) },
    stdin: options.stdin === undefined
      ? { isTTY: true, read: () => Promise.reject(new Error("a terminal")) }
      : { isTTY: false, read: () => Promise.resolve(options.stdin ?? "") }
  })
  const keys = [
    API_KEY,
    ...Object.entries(options.env ?? {}).filter(([name]) => /API_?KEY/.test(name)).map(([, v]) => v)
  ]
  if (keys.some((key) => key.length > 0 && (stdout.includes(key) || stderr.includes(key)))) {
    throw new Error(`the API key was printed by datafold-ci ${args.join(" ")}`)
  }
  return { code, stdout, stderr }
}
