/**
 * Size probe: an application that triggers one run with `triggerCiRun` and
 * `DatafoldClient.Default` (configuration from the environment, `fetch` transport).
 */
import * as Effect from "effect/Effect"
import { DatafoldClient, triggerCiRun } from "../../src/index.ts"

Effect.runPromise(
  triggerCiRun(1, {
    pr_number: 1,
    pr_branch: "feature",
    base_branch: "main",
    pr_sha: "0123456789abcdef0123456789abcdef01234567",
    base_sha: "89abcdef0123456789abcdef0123456789abcdef"
  }).pipe(Effect.provide(DatafoldClient.Default))
).then((job) => console.log(job.ci_run_id), (error) => console.error(String(error)))
