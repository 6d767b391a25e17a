/**
 * The data-diff endpoints of the local server, answered in plain TypeScript by the shared
 * front door (as dbt's are), so both Effect majors' servers answer them alike by
 * construction. Order as on the CI endpoints: route, key, FastAPI validation, then work.
 *
 * - `POST /api/v1/datadiffs`, `GET /api/v1/datadiffs` (paged; `ci_run_id`, `status`,
 *   `pr_num` filters; `order_by`, `sort_order`);
 * - `GET /api/v1/datadiffs/{id}`, `GET …/{id}/summary_results`, `POST …/{id}/cancel`;
 * - `GET /api/v1/organization/meta`.
 *
 * @since 0.3.0
 */
import { DATA_DIFF_SORT_FIELDS } from "../core/diffs/input.ts"
import { currentSummaryStatus, dataDiffAnswer, type StoredDataDiff, summaryAnswer } from "./dataDiffs.ts"
import { type FastApiItem, integerPathProblems, jsonInvalidBody } from "./fastApiValidation.ts"
import { checkAuthorization, type DataDiffEndpoint, type ServerState, storeDataDiff } from "./serverState.ts"

/**
 * A request to a data-diff endpoint, its body received whole.
 *
 * @since 0.3.0
 * @category models
 */
export interface DataDiffRequest {
  readonly method: string
  /** Path and query. */
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

const routes: ReadonlyArray<readonly [DataDiffEndpoint, string, RegExp]> = [
  ["dataDiffCreate", "POST", /^\/api\/v1\/datadiffs$/],
  ["dataDiffList", "GET", /^\/api\/v1\/datadiffs$/],
  ["dataDiff", "GET", /^\/api\/v1\/datadiffs\/([^/]+)$/],
  ["dataDiffResults", "GET", /^\/api\/v1\/datadiffs\/([^/]+)\/summary_results$/],
  ["dataDiffCancel", "POST", /^\/api\/v1\/datadiffs\/([^/]+)\/cancel$/],
  ["organizationMeta", "GET", /^\/api\/v1\/organization\/meta$/]
]

/**
 * The data-diff endpoint a request names, with its `datadiff_id` as sent; `undefined`
 * for any other (a wrong method included: the API handler's 404 answers it).
 *
 * @since 0.3.0
 * @category routing
 */
export const dataDiffRouteOf = (
  method: string,
  url: string
): { readonly endpoint: DataDiffEndpoint; readonly id: string } | undefined => {
  const { pathname } = new URL(url, "http://127.0.0.1")
  const path = pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname
  for (const [endpoint, routeMethod, pattern] of routes) {
    const match = pattern.exec(path)
    if (match !== null && routeMethod === method) return { endpoint, id: decodeURIComponent(match[1] ?? "") }
  }
  return undefined
}

const json = (status: number, value: unknown): Response => {
  const text = JSON.stringify(value)
  return new Response(text, {
    status,
    headers: { "content-length": String(new TextEncoder().encode(text).length), "content-type": "application/json" }
  })
}

const intParsing = (loc: ReadonlyArray<string>, input: string): FastApiItem => ({
  type: "int_parsing",
  loc,
  msg: "Input should be a valid integer, unable to parse string as an integer",
  input
})

const queryInt = (
  query: URLSearchParams,
  name: string,
  min: number,
  max: number | undefined
): { readonly value: number | undefined; readonly problems: ReadonlyArray<FastApiItem> } => {
  const raw = query.get(name)
  if (raw === null) return { value: undefined, problems: [] }
  if (!/^[+-]?\d+$/.test(raw.trim())) return { value: undefined, problems: [intParsing(["query", name], raw)] }
  const value = Number(raw)
  if (value < min) {
    return {
      value,
      problems: [{
        type: "greater_than_equal",
        loc: ["query", name],
        msg: `Input should be greater than or equal to ${min}`,
        input: raw,
        ctx: { ge: min }
      }]
    }
  }
  if (max !== undefined && value > max) {
    return {
      value,
      problems: [{
        type: "less_than_equal",
        loc: ["query", name],
        msg: `Input should be less than or equal to ${max}`,
        input: raw,
        ctx: { le: max }
      }]
    }
  }
  return { value, problems: [] }
}

const enumProblem = (name: string, raw: string, allowed: ReadonlyArray<string>): FastApiItem => {
  const expected = allowed.length <= 3
    ? allowed.map((value) => `'${value}'`).join(" or ")
    : `${allowed.slice(0, -1).map((value) => `'${value}'`).join(", ")} or '${allowed.at(-1)}'`
  return { type: "enum", loc: ["query", name], msg: `Input should be ${expected}`, input: raw, ctx: { expected } }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** FastAPI's items for a create body: the two sources, then the model's one-of rules. */
const createProblems = (body: unknown): ReadonlyArray<FastApiItem> => {
  if (!isRecord(body)) {
    return [{ type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary", input: body }]
  }
  const problems: Array<FastApiItem> = []
  for (const name of ["data_source1_id", "data_source2_id"]) {
    const value = body[name]
    if (value === undefined) problems.push({ type: "missing", loc: ["body", name], msg: "Field required", input: body })
    else if (!Number.isInteger(value)) {
      problems.push({ type: "int_type", loc: ["body", name], msg: "Input should be a valid integer", input: value })
    }
  }
  if (problems.length > 0) return problems
  const rule = (msg: string): FastApiItem => ({
    type: "value_error",
    loc: ["body"],
    msg: `Value error, ${msg}`,
    input: body
  })
  for (const n of [1, 2]) {
    const chosen = [`table${n}`, `query${n}`, `file${n}`].filter((name) =>
      body[name] !== undefined && body[name] !== null
    )
    if (chosen.length === 0) problems.push(rule(`Either table${n}, or query${n} must be specified`))
    if (chosen.length > 1) problems.push(rule(`${chosen.join(" and ")} are mutually exclusive`))
  }
  const pk = body["pk_columns"]
  const hasPk = Array.isArray(pk) && pk.length > 0
  if (hasPk && body["infer_pk"] === true) problems.push(rule("pk_columns must be empty when infer_pk is set"))
  if (!hasPk && body["infer_pk"] !== true) problems.push(rule("pk_columns must be given, or infer_pk set"))
  return problems
}

const byId = (state: ServerState, id: number): StoredDataDiff | undefined =>
  state.dataDiffs.find((diff) => diff.record["id"] === id)

const notFound = (id: number): Response => json(404, { detail: `Data diff ${id} not found` })

const listAnswer = (state: ServerState, query: URLSearchParams): Response => {
  const page = queryInt(query, "page", 1, undefined)
  const pageSize = queryInt(query, "page_size", 1, 1000)
  const problems = [...page.problems, ...pageSize.problems]
  const orderBy = query.get("order_by") ?? "id"
  if (!(DATA_DIFF_SORT_FIELDS as ReadonlyArray<string>).includes(orderBy)) {
    problems.push(enumProblem("order_by", orderBy, DATA_DIFF_SORT_FIELDS))
  }
  const sortOrder = query.get("sort_order") ?? "asc"
  if (sortOrder !== "asc" && sortOrder !== "desc") problems.push(enumProblem("sort_order", sortOrder, ["asc", "desc"]))
  if (problems.length > 0) return json(422, { detail: problems })
  const list = (name: string) => query.get(name)?.split(",").map((item) => item.trim()).filter((item) => item !== "")
  const runIds = state.dataDiffOptions.ignoreCiRunIdFilter === true ? undefined : list("ci_run_id")
  const statuses = list("status")
  const prNumbers = list("pr_num")
  const shown = state.dataDiffs.map(dataDiffAnswer).filter((diff) =>
    (runIds === undefined || runIds.includes(String(diff["ci_run_id"]))) &&
    (statuses === undefined || statuses.includes(String(diff["status"]))) &&
    (prNumbers === undefined || prNumbers.includes(String(diff["ci_pr_num"])))
  )
  const key = orderBy === "pr_num" ? "ci_pr_num" : orderBy
  const sorted = [...shown].sort((a, b) => {
    const [x, y] = [a[key], b[key]]
    const order = x === y ? Number(a["id"]) - Number(b["id"]) : String(x ?? "") < String(y ?? "") ? -1 : 1
    const numeric = typeof x === "number" && typeof y === "number" && x !== y ? x - y : order
    return sortOrder === "desc" ? -numeric : numeric
  })
  const size = pageSize.value ?? 100
  const number = page.value ?? 1
  return json(200, {
    page: number,
    page_size: size,
    count: sorted.length,
    total_pages: Math.ceil(sorted.length / size),
    results: sorted.slice((number - 1) * size, number * size)
  })
}

/**
 * Answers a request to a data-diff endpoint.
 *
 * @since 0.3.0
 * @category handlers
 */
export const answerDataDiffs = (state: ServerState, request: DataDiffRequest): Response => {
  const route = dataDiffRouteOf(request.method, request.url)
  if (route === undefined) return new Response(null, { status: 404 })
  switch (checkAuthorization(state, request.headers["authorization"] ?? "")) {
    case "missing":
      return json(401, { detail: "Not authenticated" })
    case "wrong":
      return json(403, { detail: "Invalid API key" })
  }
  const query = new URL(request.url, "http://127.0.0.1").searchParams
  switch (route.endpoint) {
    case "organizationMeta":
      return json(200, { org_id: 1, org_name: state.dataDiffOptions.organizationName ?? "Local Datafold", user_id: 1 })
    case "dataDiffList":
      return listAnswer(state, query)
    case "dataDiffCreate": {
      const text = new TextDecoder().decode(request.body)
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        return new Response(jsonInvalidBody, { status: 422, headers: { "content-type": "application/json" } })
      }
      const problems = createProblems(body)
      if (problems.length > 0) return json(422, { detail: problems })
      const fields = body as Record<string, unknown>
      const { id: _id, status: _status, ...given } = fields
      const stored = storeDataDiff(state, given, { outcome: "different" })
      return json(200, dataDiffAnswer(stored))
    }
    default: {
      const problems = integerPathProblems("datadiff_id", route.id)
      if (problems.length > 0) return json(422, { detail: problems })
      const id = Number(route.id)
      const diff = byId(state, id)
      if (diff === undefined) return notFound(id)
      switch (route.endpoint) {
        case "dataDiff":
          return json(200, dataDiffAnswer(diff))
        case "dataDiffResults": {
          // The n-th look shows the n-th status; the last one sticks.
          const status = currentSummaryStatus(diff)
          state.dataDiffs[state.dataDiffs.indexOf(diff)] = { ...diff, looks: diff.looks + 1 }
          return json(200, summaryAnswer(diff, status))
        }
        case "dataDiffCancel": {
          const status = dataDiffAnswer(diff)["status"]
          const ended = status === "done" || status === "failed" || status === "cancelled"
          const after = ended ? diff : { ...diff, cancelled: true }
          state.dataDiffs[state.dataDiffs.indexOf(diff)] = after
          return json(200, { id, status: dataDiffAnswer(after)["status"] })
        }
      }
    }
  }
}
