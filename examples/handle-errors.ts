/**
 * Every way a trigger can fail, handled by tag. Each branch says what a pipeline would
 * do about it, and the step fails (exit code 1): handled is not triggered.
 *
 *   DATAFOLD_API_KEY=... [DATAFOLD_HOST=...] npx tsx examples/handle-errors.ts
 */
import { Console, Effect } from "effect"
import { DatafoldClient, triggerCiRun } from "effect-datafold"

/** Says why on stderr and fails the step, on Node, Deno and Bun alike. */
const failed = (why: string) =>
  Console.error(why).pipe(Effect.andThen(Effect.sync(() => {
    process.exitCode = 1
  })))

const program = triggerCiRun(Number(process.env.DATAFOLD_CI_CONFIG_ID ?? "1"), {
  pr_number: Number(process.env.PR_NUMBER ?? "42"),
  pr_branch: process.env.PR_BRANCH ?? "feature/orders-rollup",
  base_branch: process.env.BASE_BRANCH ?? "main",
  pr_sha: process.env.PR_SHA ?? "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
  base_sha: process.env.BASE_SHA ?? "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
}).pipe(
  Effect.flatMap((job) => Console.log(`triggered: ci_run_id=${job.ci_run_id}`)),
  Effect.catchTags({
    DatafoldInputError: (error) =>
      failed(`DatafoldInputError: fix ${error.issues.map((issue) => issue.field).join(", ")} (nothing was sent)`),
    DatafoldAuthError: (error) => failed(`DatafoldAuthError: status ${error.status}; check DATAFOLD_API_KEY`),
    DatafoldNotFoundError: () => failed("DatafoldNotFoundError: check the CI config id and DATAFOLD_HOST"),
    DatafoldValidationError: (error) =>
      failed(
        `DatafoldValidationError: ${error.detail.map((item) => `${item.loc.join(".")} ${item.msg}`).join("; ")}`
      ),
    DatafoldRateLimitError: (error) =>
      failed(`DatafoldRateLimitError: retry after ${error.retryAfterMillis ?? "an unknown number of"} ms`),
    DatafoldServerError: (error) => failed(`DatafoldServerError: Datafold answered ${error.status}; retry later`),
    DatafoldRejectedError: (error) => failed(`DatafoldRejectedError: status ${error.status}`),
    DatafoldNetworkError: (error) => failed(`DatafoldNetworkError: ${error.reason}`),
    DatafoldResponseError: (error) => failed(`DatafoldResponseError: ${error.problem}`)
  }),
  Effect.provide(DatafoldClient.Default),
  // What is left is configuration: a missing key or a host that is not allowed.
  Effect.catchAll((error) => failed(`ConfigError: ${error}`))
)

Effect.runPromise(program)
