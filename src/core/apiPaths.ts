/**
 * The CI API's paths, written once. `DatafoldApi` declares its endpoints on them and the
 * client builds its URLs from them, so the client never has to load the declarative API
 * (and the router and multipart code behind it) just to know where to send a request.
 *
 * @since 0.1.0
 */

/**
 * `POST`: trigger a PR/MR run.
 *
 * @since 0.1.0
 * @category paths
 */
export const TRIGGER_PATH = "/api/v1/ci/:ci_config_id/trigger" as const

/**
 * `GET`: list the CI runs of a configuration.
 *
 * @since 0.1.0
 * @category paths
 */
export const RUNS_PATH = "/api/v1/ci/:ci_config_id/runs" as const

/**
 * `POST`: upload PR/MR changes (the tables to diff) to the run waiting for a pull request.
 *
 * @since 0.1.0
 * @category paths
 */
export const UPLOAD_PATH = "/api/v1/ci/:ci_config_id/:pr_num" as const

/**
 * `POST`, multipart: upload a dbt run's artifacts (a ZIP of its target folder).
 *
 * @since 0.2.0
 * @category paths
 */
export const SUBMIT_ARTIFACTS_PATH = "/api/v1/dbt/submit_artifacts/:ci_config_id" as const

/**
 * `POST`, a form: whether Datafold has the artifacts of a commit.
 *
 * @since 0.2.0
 * @category paths
 */
export const CHECK_ARTIFACTS_PATH = "/api/v1/dbt/post_upload_check_artifacts/:ci_config_id" as const

/**
 * `POST`, the manifest as the body: the primary keys Datafold finds for each model.
 *
 * @since 0.2.0
 * @category paths
 */
export const CHECK_PRIMARY_KEYS_PATH = "/api/internal/ci/:ci_config_id/check_pks_in_dbt_manifest" as const

/**
 * A path with its `:ci_config_id` filled in.
 *
 * @since 0.1.0
 * @category paths
 */
export const pathFor = (
  template:
    | typeof TRIGGER_PATH
    | typeof RUNS_PATH
    | typeof SUBMIT_ARTIFACTS_PATH
    | typeof CHECK_ARTIFACTS_PATH
    | typeof CHECK_PRIMARY_KEYS_PATH,
  ciConfigId: number
): string => template.replace(":ci_config_id", String(ciConfigId))

/**
 * The upload path for one pull request of one CI configuration.
 *
 * @since 0.1.0
 * @category paths
 */
export const uploadPathFor = (ciConfigId: number, prNumber: number): string =>
  UPLOAD_PATH.replace(":ci_config_id", String(ciConfigId)).replace(":pr_num", String(prNumber))

/**
 * The query of a runs listing, as URL parameters in the order they are sent.
 *
 * @since 0.1.0
 * @category paths
 */
export const runsQueryParams = (query: {
  readonly prSha?: string | undefined
  readonly prNumber?: number | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}): Record<string, string> => ({
  ...(query.prSha === undefined ? {} : { pr_sha: query.prSha }),
  ...(query.prNumber === undefined ? {} : { pr_num: String(query.prNumber) }),
  ...(query.limit === undefined ? {} : { limit: String(query.limit) }),
  ...(query.offset === undefined ? {} : { offset: String(query.offset) })
})
