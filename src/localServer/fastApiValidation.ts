/**
 * The local server's 422 answers, written the way FastAPI (pydantic 2) writes them, since
 * users test their error handling against this server: each problem is one item whose
 * `loc` starts with where it is (`path`, `query`, `body`), whose `type` is pydantic's
 * (`missing`, `int_parsing`, `string_type`, …) and whose `msg` is pydantic's wording.
 * Path, query and body are all checked, so every problem is reported at once.
 *
 * @since 0.1.0
 */

/**
 * One FastAPI validation item, `input` included as newer FastAPI versions send it.
 *
 * @since 0.1.0
 * @category models
 */
export interface FastApiItem {
  readonly type: string
  readonly loc: ReadonlyArray<string | number>
  readonly msg: string
  readonly input: unknown
  readonly ctx?: Readonly<Record<string, unknown>>
}

type Loc = ReadonlyArray<string | number>

type Kind =
  | { readonly _tag: "int"; readonly ge?: number; readonly le?: number }
  | { readonly _tag: "string" }
  | { readonly _tag: "strings" }
  | { readonly _tag: "stringSet" }

interface Field {
  readonly name: string
  readonly kind: Kind
  readonly required: boolean
  readonly nullable?: boolean
}

const int = (bounds: { readonly ge?: number; readonly le?: number } = {}): Kind => ({ _tag: "int", ...bounds })
const string: Kind = { _tag: "string" }

const prDetailsFields: ReadonlyArray<Field> = [
  { name: "pr_number", kind: int(), required: true },
  { name: "pr_branch", kind: string, required: true },
  { name: "base_branch", kind: string, required: true },
  { name: "pr_sha", kind: string, required: true },
  { name: "base_sha", kind: string, required: true }
]

const ciDiffFields: ReadonlyArray<Field> = [
  { name: "prod", kind: string, required: true },
  { name: "pr", kind: string, required: true },
  { name: "pk", kind: { _tag: "stringSet" }, required: false, nullable: true },
  { name: "include_columns", kind: { _tag: "strings" }, required: false },
  { name: "exclude_columns", kind: { _tag: "strings" }, required: false }
]

const runsQueryFields: ReadonlyArray<Field> = [
  { name: "pr_sha", kind: string, required: false },
  { name: "pr_num", kind: string, required: false },
  { name: "limit", kind: int({ ge: 1, le: 1000 }), required: false },
  { name: "offset", kind: int({ ge: 0 }), required: false }
]

const item = (type: string, loc: Loc, msg: string, input: unknown, ctx?: Record<string, unknown>): FastApiItem =>
  ctx === undefined ? { type, loc, msg, input } : { type, loc, msg, input, ctx }

const missing = (loc: Loc, input: unknown): FastApiItem => item("missing", loc, "Field required", input)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const bounds = (value: number, kind: Extract<Kind, { _tag: "int" }>, loc: Loc, input: unknown) => {
  if (kind.ge !== undefined && value < kind.ge) {
    return [item("greater_than_equal", loc, `Input should be greater than or equal to ${kind.ge}`, input, {
      ge: kind.ge
    })]
  }
  if (kind.le !== undefined && value > kind.le) {
    return [item("less_than_equal", loc, `Input should be less than or equal to ${kind.le}`, input, { le: kind.le })]
  }
  return []
}

const unparsableInt = (loc: Loc, input: unknown) =>
  item("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", input)

/** A value from the URL (path or query): always a string, parsed as pydantic parses one. */
const checkUrlValue = (kind: Kind, loc: Loc, raw: string): ReadonlyArray<FastApiItem> => {
  if (kind._tag !== "int") return []
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) return [unparsableInt(loc, raw)]
  return bounds(Number(raw), kind, loc, raw)
}

const checkStrings = (loc: Loc, value: unknown, type: "list_type" | "set_type"): ReadonlyArray<FastApiItem> => {
  if (!Array.isArray(value)) {
    return [
      item(type, loc, type === "list_type" ? "Input should be a valid list" : "Input should be a valid set", value)
    ]
  }
  return value.flatMap((entry, index) =>
    typeof entry === "string" ? [] : [item("string_type", [...loc, index], "Input should be a valid string", entry)]
  )
}

/** A value from a JSON body. */
const checkJsonValue = (kind: Kind, loc: Loc, value: unknown): ReadonlyArray<FastApiItem> => {
  switch (kind._tag) {
    case "int":
      if (typeof value === "number") {
        return Number.isInteger(value)
          ? bounds(value, kind, loc, value)
          : [item("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", value)]
      }
      return typeof value === "string"
        ? [unparsableInt(loc, value)]
        : [item("int_type", loc, "Input should be a valid integer", value)]
    case "string":
      return typeof value === "string" ? [] : [item("string_type", loc, "Input should be a valid string", value)]
    case "strings":
      return checkStrings(loc, value, "list_type")
    case "stringSet":
      return checkStrings(loc, value, "set_type")
  }
}

const checkObject = (fields: ReadonlyArray<Field>, loc: Loc, value: unknown): ReadonlyArray<FastApiItem> => {
  if (!isRecord(value)) {
    return [
      item("model_attributes_type", loc, "Input should be a valid dictionary or object to extract fields from", value)
    ]
  }
  return fields.flatMap((field) => {
    const here = [...loc, field.name]
    if (!Object.hasOwn(value, field.name)) return field.required ? [missing(here, value)] : []
    const fieldValue = value[field.name]
    if (fieldValue === null && field.nullable === true) return []
    return checkJsonValue(field.kind, here, fieldValue)
  })
}

/** The parts of a request the routes below validate. */
interface RequestParts {
  readonly path: ReadonlyArray<readonly [name: string, value: string]>
  readonly query: URLSearchParams
  /** `undefined` when the request has no body. */
  readonly body: unknown
}

const pathProblems = (parts: RequestParts): ReadonlyArray<FastApiItem> =>
  parts.path.flatMap(([name, raw]) => checkUrlValue(int(), ["path", name], raw))

const queryProblems = (fields: ReadonlyArray<Field>, query: URLSearchParams): ReadonlyArray<FastApiItem> =>
  fields.flatMap((field) => {
    const raw = query.get(field.name)
    if (raw === null) return field.required ? [missing(["query", field.name], null)] : []
    return checkUrlValue(field.kind, ["query", field.name], raw)
  })

const bodyProblems = (parts: RequestParts, check: (body: unknown) => ReadonlyArray<FastApiItem>) =>
  parts.body === undefined ? [missing(["body"], null)] : check(parts.body)

/**
 * FastAPI's answer to a body that is not JSON at all.
 *
 * @since 0.2.0
 * @category validation
 */
export const jsonInvalidBody: string = JSON.stringify({
  detail: [{ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error" }]
})

/**
 * The items for a path parameter that must be an integer (`int_parsing` when it is not):
 * for routes whose bodies are validated elsewhere, such as dbt's forms.
 *
 * @since 0.2.0
 * @category validation
 */
export const integerPathProblems = (name: string, raw: string): ReadonlyArray<FastApiItem> =>
  checkUrlValue(int(), ["path", name], raw)

/**
 * The CI endpoints the local servers answer.
 *
 * @since 0.2.0
 * @category routing
 */
export type CiRouteName = "trigger" | "runs" | "upload"

const routes: ReadonlyArray<{
  readonly name: CiRouteName
  readonly method: string
  readonly pattern: RegExp
  readonly params: ReadonlyArray<string>
  readonly problems: (parts: RequestParts) => ReadonlyArray<FastApiItem>
}> = [
  {
    name: "trigger",
    method: "POST",
    pattern: /^\/api\/v1\/ci\/([^/]+)\/trigger$/,
    params: ["ci_config_id"],
    problems: (parts) => [
      ...pathProblems(parts),
      ...bodyProblems(parts, (body) => checkObject(prDetailsFields, ["body"], body))
    ]
  },
  {
    name: "runs",
    method: "GET",
    pattern: /^\/api\/v1\/ci\/([^/]+)\/runs$/,
    params: ["ci_config_id"],
    problems: (parts) => [...pathProblems(parts), ...queryProblems(runsQueryFields, parts.query)]
  },
  {
    name: "upload",
    method: "POST",
    pattern: /^\/api\/v1\/ci\/([^/]+)\/([^/]+)$/,
    params: ["ci_config_id", "pr_num"],
    problems: (parts) => [
      ...pathProblems(parts),
      ...bodyProblems(
        parts,
        (body) =>
          Array.isArray(body)
            ? body.flatMap((diff, index) => checkObject(ciDiffFields, ["body", index], diff))
            : [item("list_type", ["body"], "Input should be a valid list", body)]
      )
    ]
  }
]

/** The path the routes match: one trailing slash is ignored, as the Effect 3 platform's router does. */
const routedPath = (url: URL): string => url.pathname.length > 1 ? url.pathname.replace(/\/$/, "") : url.pathname

/**
 * The CI endpoint a request names, with its path parameters as sent; `undefined` for any
 * other method and path.
 *
 * @since 0.2.0
 * @category routing
 */
export const ciRouteOf = (
  method: string,
  url: string
): { readonly name: CiRouteName; readonly params: Readonly<Record<string, string>> } | undefined => {
  const pathname = routedPath(new URL(url, "http://127.0.0.1"))
  const route = routes.find((candidate) => candidate.method === method && candidate.pattern.test(pathname))
  if (route === undefined) return undefined
  const values = route.pattern.exec(pathname)?.slice(1) ?? []
  return {
    name: route.name,
    params: Object.fromEntries(route.params.map((name, index) => [name, decodeURIComponent(values[index] ?? "")]))
  }
}

/**
 * Whether FastAPI reads a body with this `Content-Type` as JSON: when there is none, or
 * when it is `application/json` or `application/*+json`. Any other body reaches
 * validation as the raw text it is.
 *
 * @since 0.2.0
 * @category validation
 */
export const isJsonContentType = (contentType: string | null | undefined): boolean => {
  if (contentType === null || contentType === undefined || contentType.trim() === "") return true
  const [type = "", subtype = ""] = contentType.split(";")[0]!.trim().toLowerCase().split("/")
  return type === "application" && (subtype === "json" || subtype.endsWith("+json"))
}

/**
 * Every FastAPI validation item for a request to one of the CI endpoints, in FastAPI's
 * order (path, query, body). `undefined` when the request names no CI endpoint, and
 * an empty list when it is valid. A body whose `contentType` is not JSON is validated as
 * the text it is, as FastAPI does.
 *
 * @since 0.1.0
 * @category validation
 */
export const fastApiProblems = (
  method: string,
  url: string,
  bodyText: string,
  contentType?: string | null
): ReadonlyArray<FastApiItem> | undefined => {
  const parsed = new URL(url, "http://127.0.0.1")
  const pathname = routedPath(parsed)
  const route = routes.find((candidate) => candidate.method === method && candidate.pattern.test(pathname))
  if (route === undefined) return undefined
  const values = route.pattern.exec(pathname)?.slice(1) ?? []
  let body: unknown = undefined
  if (bodyText.trim() !== "") {
    if (!isJsonContentType(contentType)) body = bodyText
    else {
      try {
        body = JSON.parse(bodyText)
      } catch {
        return [item("json_invalid", ["body", 0], "JSON decode error", {}, { error: "Expecting value" })]
      }
    }
  }
  return route.problems({
    path: route.params.map((name, index) => [name, decodeURIComponent(values[index] ?? "")] as const),
    query: parsed.searchParams,
    body
  })
}
