import { Schema, ParseResult, Either } from "effect"
import { CiRuns } from "/work/wt/wait/src/CiRun.ts"
import { SubmitCiJob } from "/work/wt/wait/src/SubmitCiJob.ts"
for (const [s, v] of [[SubmitCiJob, { ci_run_id: "12" }], [SubmitCiJob, [1]], [CiRuns, [{ id: 1.5 }]], [CiRuns, {}], [CiRuns, [{ id: 1, base_branch: "m", base_sha: "x", pr_branch: "f", pr_sha: 3, pr_num: "1", status: "done", source: "dbt" }]]] as const) {
  const r = Schema.decodeUnknownEither(s as any)(v)
  if (Either.isLeft(r)) { console.log(JSON.stringify(ParseResult.ArrayFormatter.formatErrorSync(r.left))); }
}
