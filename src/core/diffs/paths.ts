/**
 * The data-diff API's paths.
 *
 * @since 0.3.0
 */

/**
 * `POST` create, `GET` list.
 *
 * @since 0.3.0
 * @category paths
 */
export const DATA_DIFFS_PATH = "/api/v1/datadiffs"

/**
 * `GET` one diff.
 *
 * @since 0.3.0
 * @category paths
 */
export const dataDiffPath = (id: number): string => `${DATA_DIFFS_PATH}/${id}`

/**
 * `GET` a diff's structured results.
 *
 * @since 0.3.0
 * @category paths
 */
export const summaryResultsPath = (id: number): string => `${DATA_DIFFS_PATH}/${id}/summary_results`

/**
 * `POST` cancel a diff.
 *
 * @since 0.3.0
 * @category paths
 */
export const cancelPath = (id: number): string => `${DATA_DIFFS_PATH}/${id}/cancel`

/**
 * `GET` whose key it is (not in Datafold's OpenAPI; data-diff's cloud client calls it first).
 *
 * @since 0.3.0
 * @category paths
 */
export const ORGANIZATION_META_PATH = "/api/v1/organization/meta"

/**
 * A diff's page in Datafold's app.
 *
 * @since 0.3.0
 * @category paths
 */
export const dataDiffLink = (host: string, id: number): string => `${host}/datadiffs/${id}/overview`
