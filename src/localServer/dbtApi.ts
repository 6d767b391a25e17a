/**
 * dbt's three endpoints on the local server, answered in plain TypeScript by the shared
 * front door before either Effect major's API handler sees the request, so both servers
 * answer them alike by construction. They keep the order of the CI endpoints (route,
 * then key, then FastAPI validation, then the CI config, then the work):
 *
 * - `POST /api/v1/dbt/submit_artifacts/{ci_config_id}`: a form with `commit_sha`,
 *   `run_type` (`production` or `pull_request`), an optional `run_id`, and the file
 *   `artifacts`, a ZIP with `manifest.json` at its root.
 * - `POST /api/v1/dbt/post_upload_check_artifacts/{ci_config_id}`: a form with
 *   `commit_sha`, `run_type` and `branch`; `{"status": "ok"}` once such an upload exists.
 * - `POST /api/internal/ci/{ci_config_id}/check_pks_in_dbt_manifest`: a manifest as the
 *   body; the primary key of each model.
 *
 * @since 0.2.0
 */
import { checkArtifacts, noManifestDetail, notZipDetail } from "./dbtArtifacts.ts"
import { type FastApiItem, integerPathProblems, jsonInvalidBody } from "./fastApiValidation.ts"
import { type FormPart, readFormBody, textOf } from "./formBody.ts"
import { primaryKeyItems } from "./primaryKeys.ts"
import {
  checkAuthorization,
  type DbtRunType,
  hasDbtUpload,
  isKnownConfig,
  type ServerState,
  takeDbtUpload
} from "./serverState.ts"

/**
 * A request to a dbt endpoint, its body received whole.
 *
 * @since 0.2.0
 * @category models
 */
export interface DbtRequest {
  readonly method: string
  /** Path and query. */
  readonly url: string
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

/**
 * The dbt endpoints, named as faults aim at them.
 *
 * @since 0.2.0
 * @category routing
 */
export type DbtEndpoint = "dbtUpload" | "dbtCheck" | "checkPks"

const routes: ReadonlyArray<readonly [DbtEndpoint, RegExp]> = [
  ["dbtUpload", /^\/api\/v1\/dbt\/submit_artifacts\/([^/]+)$/],
  ["dbtCheck", /^\/api\/v1\/dbt\/post_upload_check_artifacts\/([^/]+)$/],
  ["checkPks", /^\/api\/internal\/ci\/([^/]+)\/check_pks_in_dbt_manifest$/]
]

/**
 * The dbt endpoint a path names, whatever the method, with its `ci_config_id` as sent;
 * `undefined` for any other path. One trailing slash is ignored, as on the CI paths.
 *
 * @since 0.2.0
 * @category routing
 */
export const dbtRouteOf = (
  url: string
): { readonly endpoint: DbtEndpoint; readonly ciConfigId: string } | undefined => {
  const { pathname } = new URL(url, "http://127.0.0.1")
  const path = pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname
  for (const [endpoint, pattern] of routes) {
    const match = pattern.exec(path)
    if (match !== null) return { endpoint, ciConfigId: decodeURIComponent(match[1] ?? "") }
  }
  return undefined
}

/**
 * FastAPI's 400 for a multipart body it cannot read.
 *
 * @since 0.2.0
 * @category constants
 */
export const unreadableBodyDetail = "There was an error parsing the body"

const json = (status: number, value: unknown): Response => {
  const text = JSON.stringify(value)
  return new Response(text, {
    status,
    headers: { "content-length": String(new TextEncoder().encode(text).length), "content-type": "application/json" }
  })
}

const runTypes: ReadonlyArray<DbtRunType> = ["production", "pull_request"]

const item = (type: string, name: string, msg: string, input: unknown, ctx?: Record<string, unknown>): FastApiItem =>
  ctx === undefined ? { type, loc: ["body", name], msg, input } : { type, loc: ["body", name], msg, input, ctx }

interface FormField {
  readonly name: string
  readonly kind: "text" | "runType" | "file"
  readonly required: boolean
}

const uploadFields: ReadonlyArray<FormField> = [
  { name: "commit_sha", kind: "text", required: true },
  { name: "run_type", kind: "runType", required: true },
  { name: "run_id", kind: "text", required: false },
  { name: "artifacts", kind: "file", required: true }
]

const checkFields: ReadonlyArray<FormField> = [
  { name: "commit_sha", kind: "text", required: true },
  { name: "run_type", kind: "runType", required: true },
  { name: "branch", kind: "text", required: true }
]

/** Starlette keeps the last value of a repeated field. */
const lastPart = (parts: ReadonlyArray<FormPart>, name: string): FormPart | undefined =>
  parts.filter((part) => part.name === name).at(-1)

/** FastAPI's items for a form, field by field in declaration order. */
const formProblems = (fields: ReadonlyArray<FormField>, parts: ReadonlyArray<FormPart>): Array<FastApiItem> =>
  fields.flatMap((field): Array<FastApiItem> => {
    const part = lastPart(parts, field.name)
    const isFile = part?.filename !== undefined
    // FastAPI takes an empty text value of a form field for a missing one.
    if (part === undefined || (!isFile && part.data.length === 0)) {
      return field.required ? [item("missing", field.name, "Field required", null)] : []
    }
    if (field.kind === "file") {
      return isFile ? [] : [
        item("value_error", field.name, "Value error, Expected UploadFile, received: <class 'str'>", textOf(part), {
          error: {}
        })
      ]
    }
    if (isFile) return [item("string_type", field.name, "Input should be a valid string", null)]
    const value = textOf(part)
    if (field.kind === "runType" && !(runTypes as ReadonlyArray<string>).includes(value)) {
      const expected = "'production' or 'pull_request'"
      return [item("enum", field.name, `Input should be ${expected}`, value, { expected })]
    }
    return []
  })

const textField = (parts: ReadonlyArray<FormPart>, name: string): string | undefined => {
  const part = lastPart(parts, name)
  return part === undefined || part.data.length === 0 ? undefined : textOf(part)
}

type Outcome =
  | { readonly _tag: "Answer"; readonly response: Response }
  | { readonly _tag: "Valid"; readonly parts: ReadonlyArray<FormPart> }

const readForm = (request: DbtRequest, fields: ReadonlyArray<FormField>, pathProblems: ReadonlyArray<FastApiItem>) => {
  const form = readFormBody(request.headers["content-type"], request.body)
  if (form._tag === "Malformed") {
    return { _tag: "Answer", response: json(400, { detail: unreadableBodyDetail }) } as const
  }
  // A body that is no form at all has none of the fields.
  const parts = form._tag === "Form" ? form.parts : []
  const problems = [...pathProblems, ...formProblems(fields, parts)]
  return problems.length > 0
    ? { _tag: "Answer", response: json(422, { detail: problems }) } as const
    : { _tag: "Valid", parts } as const satisfies Outcome
}

const missingBody: FastApiItem = { type: "missing", loc: ["body"], msg: "Field required", input: null }

/** The manifest's `nodes`, or FastAPI's items for a body that has none (the manifest is not echoed back). */
const manifestNodes = (
  manifest: unknown
): { readonly nodes: Record<string, unknown> } | { readonly problems: ReadonlyArray<FastApiItem> } => {
  const dictionary = (loc: ReadonlyArray<string>): FastApiItem => ({
    type: "dict_type",
    loc,
    msg: "Input should be a valid dictionary",
    input: null
  })
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    return { problems: [dictionary(["body"])] }
  }
  if (!Object.hasOwn(manifest, "nodes")) {
    return { problems: [{ type: "missing", loc: ["body", "nodes"], msg: "Field required", input: null }] }
  }
  const nodes = (manifest as Record<string, unknown>)["nodes"]
  return typeof nodes === "object" && nodes !== null && !Array.isArray(nodes)
    ? { nodes: nodes as Record<string, unknown> }
    : { problems: [dictionary(["body", "nodes"])] }
}

/**
 * Answers a `POST` to a dbt endpoint (the front door hands any other request to the API
 * handler, which answers 404 for a wrong method, as on the CI paths).
 *
 * @since 0.2.0
 * @category handlers
 */
export const answerDbt = (state: ServerState, request: DbtRequest): Response => {
  const route = request.method === "POST" ? dbtRouteOf(request.url) : undefined
  if (route === undefined) return new Response(null, { status: 404 })
  switch (checkAuthorization(state, request.headers["authorization"] ?? "")) {
    case "missing":
      return json(401, { detail: "Not authenticated" })
    case "wrong":
      return json(403, { detail: "Invalid API key" })
  }
  const pathProblems = integerPathProblems("ci_config_id", route.ciConfigId)
  const ciConfigId = Number(route.ciConfigId)
  const knownConfig = () => isKnownConfig(state, ciConfigId)
  switch (route.endpoint) {
    case "dbtUpload": {
      const form = readForm(request, uploadFields, pathProblems)
      if (form._tag === "Answer") return form.response
      if (!knownConfig()) return json(404, { detail: "Not Found" })
      const archive = lastPart(form.parts, "artifacts")?.data ?? new Uint8Array(0)
      const check = checkArtifacts(archive)
      if (check._tag === "NotZip") return json(400, { detail: notZipDetail })
      if (check._tag === "NoManifest") return json(400, { detail: noManifestDetail })
      takeDbtUpload(state, {
        ciConfigId,
        runType: textField(form.parts, "run_type") as DbtRunType,
        commitSha: textField(form.parts, "commit_sha") ?? "",
        runId: textField(form.parts, "run_id"),
        archive,
        entries: check.entries
      })
      return json(200, { status: "ok" })
    }
    case "dbtCheck": {
      const form = readForm(request, checkFields, pathProblems)
      if (form._tag === "Answer") return form.response
      if (!knownConfig()) return json(404, { detail: "Not Found" })
      const commitSha = textField(form.parts, "commit_sha") ?? ""
      const runType = textField(form.parts, "run_type") as DbtRunType
      return json(200, { status: hasDbtUpload(state, ciConfigId, commitSha, runType) ? "ok" : "missing" })
    }
    case "checkPks": {
      const text = new TextDecoder().decode(request.body)
      let manifest: unknown = undefined
      if (text.trim() !== "") {
        try {
          manifest = JSON.parse(text)
        } catch {
          // As the CI endpoints send it: no Content-Length, so the front door sends it chunked.
          return new Response(jsonInvalidBody, { status: 422, headers: { "content-type": "application/json" } })
        }
      }
      const read = manifest === undefined ? { problems: [missingBody] } : manifestNodes(manifest)
      const problems = [...pathProblems, ...("problems" in read ? read.problems : [])]
      if (problems.length > 0) return json(422, { detail: problems })
      if (!knownConfig()) return json(404, { detail: "Not Found" })
      return json(200, primaryKeyItems("nodes" in read ? read.nodes : {}))
    }
  }
}
