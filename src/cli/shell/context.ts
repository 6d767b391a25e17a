/**
 * What the program and its commands run in: the surroundings `main` is given, and the
 * part of them every command reads.
 *
 * @module
 */
import type { Stdin } from "../args/DiffsFile.ts"
import type { Env } from "../facts/CiEnvironment.ts"
import type { CliIo, Progress } from "./io.ts"

/** Everything the program reads from its surroundings. */
export interface MainContext {
  readonly env: Env
  readonly cwd: string
  readonly io: CliIo
  /** Whether stderr is a terminal: progress is then one live line, else a line per change. */
  readonly stderrIsTerminal?: boolean | undefined
  /** The terminal's width when stdout is one; `undefined` in a log or a pipe (tables are not cut there). */
  readonly stdoutColumns?: number | undefined
  /** Where `submit` and `trigger --diffs` read diffs from with `--diffs -` (or no `--diffs`). */
  readonly stdin?: Stdin | undefined
  /** Registers what stops a long-running command (`serve`): the entry wires SIGINT and SIGTERM to it. */
  readonly onStop?: ((stop: () => void) => void) | undefined
}

/**
 * Where a command runs: its environment, working directory (for the git fallback), stdin
 * (for diffs) and where a long command shows its progress (uploads, waits).
 */
export interface CommandContext {
  readonly env: Env
  readonly cwd: string
  readonly stdin?: Stdin | undefined
  readonly progress?: Progress | undefined
  /** The terminal's width when stdout is one, so tables fit it. */
  readonly stdoutColumns?: number | undefined
}
