/**
 * One trigger in a process of its own, for tests that watch the process: how much
 * memory it took and whether it exits once the call has returned. Reads the target from
 * the environment (DATAFOLD_HOST; TRANSPORT = fetch for the default, node for
 * the CLI's `node:http` wire, undici for `effect-datafold/node`) and
 * prints one JSON line:
 * the outcome's tag and the growth of the peak RSS in MiB.
 */
import { Effect, Layer, Redacted } from "effect"
import { triggerCiRun } from "../../src/index.ts"
import * as FetchTransport from "../../src/internal/fetchTransport.ts"
import * as DatafoldNode from "../../src/node.ts"
import { details } from "./fixtures.ts"
import { nodeHttpWire } from "./transports.ts"
import { clientLayer } from "../../src/DatafoldHttpClient.ts"

const baseline = process.resourceUsage().maxRSS
const transport = process.env["TRANSPORT"] === "node"
  ? nodeHttpWire.layer
  : process.env["TRANSPORT"] === "undici"
  ? DatafoldNode.layer
  : FetchTransport.layer
const layer = clientLayer({
  apiKey: Redacted.make("dfk_one_call_0123456789abcdef"),
  host: process.env["DATAFOLD_HOST"] ?? "",
  retries: 0,
  timeout: "20 seconds"
}).pipe(Layer.provide(transport))

const exit = await Effect.runPromiseExit(triggerCiRun(7, details).pipe(Effect.provide(layer)))
const outcome = exit._tag === "Success"
  ? { tag: "Success" }
  : exit.cause._tag === "Fail"
  ? { tag: exit.cause.error._tag, message: exit.cause.error.message }
  : { tag: "Defect", message: String(exit.cause) }
const growthMiB = (process.resourceUsage().maxRSS - baseline) / 1024
process.stdout.write(`${JSON.stringify({ ...outcome, growthMiB })}\n`)
