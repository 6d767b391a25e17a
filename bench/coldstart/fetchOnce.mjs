// The cold-start floor: a minimal Node script that sends one trigger with `fetch` and
// prints the answer. Plain JavaScript, run with plain `node`, nothing to load.
// Usage: DATAFOLD_API_KEY=... node fetchOnce.mjs <base-url> <ci-config-id> <pr-sha> <base-sha>
const [host, id, prSha, baseSha] = process.argv.slice(2)
const response = await fetch(`${host}/api/v1/ci/${id}/trigger`, {
  method: "POST",
  headers: {
    authorization: `Key ${process.env.DATAFOLD_API_KEY}`,
    accept: "application/json",
    "content-type": "application/json"
  },
  body: JSON.stringify({ pr_number: 1, pr_branch: "f", base_branch: "main", pr_sha: prSha, base_sha: baseSha })
})
if (!response.ok) {
  console.error(`status ${response.status}`)
  process.exitCode = 1
} else {
  console.log(JSON.stringify(await response.json()))
}
