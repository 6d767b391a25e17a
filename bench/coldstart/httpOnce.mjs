// The cold-start floor: the smallest one-shot Node script that sends one trigger over
// `node:http` (what the CLI sends over, so the runtime's fetch is not loaded), checks
// the status and prints the decoded answer. Plain JavaScript, run with plain `node`.
// Usage: DATAFOLD_API_KEY=... node httpOnce.mjs <base-url> <ci-config-id> <pr-sha> <base-sha>
import { request } from "node:http"

const [host, id, prSha, baseSha] = process.argv.slice(2)
const body = JSON.stringify({ pr_number: 1, pr_branch: "f", base_branch: "main", pr_sha: prSha, base_sha: baseSha })
const req = request(`${host}/api/v1/ci/${id}/trigger`, {
  method: "POST",
  headers: {
    authorization: `Key ${process.env.DATAFOLD_API_KEY}`,
    accept: "application/json",
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body)
  }
}, (response) => {
  const chunks = []
  response.on("data", (chunk) => chunks.push(chunk))
  response.on("end", () => {
    if (response.statusCode < 200 || response.statusCode >= 300) {
      console.error(`status ${response.statusCode}`)
      process.exitCode = 1
    } else {
      console.log(JSON.stringify(JSON.parse(Buffer.concat(chunks).toString("utf8"))))
    }
  })
})
req.on("error", (error) => {
  console.error(error.message)
  process.exitCode = 1
})
req.end(body)
