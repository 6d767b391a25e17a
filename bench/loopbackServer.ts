/**
 * Starting and stopping a loopback server in its own process: the trigger server (`server.ts`) by default, or
 * another that speaks the same IPC (`upload/server.ts`).
 */
import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"

/** A running loopback server. */
export interface LoopbackServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly host: string
  readonly port: number
  /** Stop the server process and wait for it to exit. */
  readonly stop: () => Promise<void>
}

const SERVER_ENTRY = fileURLToPath(new URL("./server.ts", import.meta.url))

/**
 * Fork `entry` (`server.ts` unless told otherwise, through tsx) and wait until it listens on 127.0.0.1: it sends
 * `{ type: "listening", port }` over IPC, and exits when sent `{ type: "stop" }`.
 * Rejects if it has not started within 30 seconds.
 */
export const startLoopbackServer = (entry: string = SERVER_ENTRY): Promise<LoopbackServer> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = fork(entry, [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error("the loopback server did not start within 30 s"))
    }, 30_000)
    child.once("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on("message", (message: unknown) => {
      const m = message as { type?: string; port?: number }
      if (m.type !== "listening" || typeof m.port !== "number") return
      clearTimeout(timer)
      const port = m.port
      resolve({
        host: `http://127.0.0.1:${port}`,
        port,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.once("exit", () => done())
            child.send({ type: "stop" })
            setTimeout(() => child.kill("SIGKILL"), 5_000).unref()
          })
      })
    })
  })
