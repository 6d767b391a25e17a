/**
 * The cold-start floor of any CLI on Effect with the library's error classes: the same
 * one-shot trigger as `httpOnce.mjs`, sent over `node:http` inside `Effect.runPromise`,
 * with the library's `Schema` error classes defined at load (as every entry that imports
 * them defines them) and the answer decoded by the `SubmitCiJob` schema. No client logic:
 * no validation, timeouts, retries or typed failures. `bench/coldStart.ts` bundles it,
 * minified, as the CLI is bundled.
 *
 * Usage: DATAFOLD_API_KEY=... node <bundle> <base-url> <ci-config-id> <pr-sha> <base-sha>
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { request } from "node:http"
import { DatafoldNetworkError } from "../../src/DatafoldError.ts"
import { SubmitCiJob } from "../../src/SubmitCiJob.ts"

const [host, id, prSha, baseSha] = process.argv.slice(2)
const url = `${host}/api/v1/ci/${id}/trigger`
const body = JSON.stringify({ pr_number: 1, pr_branch: "f", base_branch: "main", pr_sha: prSha, base_sha: baseSha })

const post = Effect.async<string, DatafoldNetworkError>((resume) => {
  const outgoing = request(url, {
    method: "POST",
    headers: {
      authorization: `Key ${process.env.DATAFOLD_API_KEY}`,
      accept: "application/json",
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body)
    }
  }, (response) => {
    const chunks: Array<Buffer> = []
    response.on("data", (chunk: Buffer) => chunks.push(chunk))
    response.on("end", () => resume(Effect.succeed(Buffer.concat(chunks).toString("utf8"))))
  })
  outgoing.on(
    "error",
    (error) => resume(Effect.fail(new DatafoldNetworkError({ reason: "Other", url, detail: error.message })))
  )
  outgoing.end(body)
})

Effect.runPromise(
  Effect.flatMap(post, (text) => Schema.decodeUnknown(SubmitCiJob)(JSON.parse(text)))
).then(
  (job) => console.log(JSON.stringify(job)),
  (error) => {
    console.error(String(error))
    process.exitCode = 1
  }
)
