/**
 * The CI API behind the local server's front door, answered in plain TypeScript: the
 * Effect 4 server's handler. It keeps the Effect 3 server's order (route, then key, then
 * FastAPI validation, then the CI config, then the work) and its bytes: the same JSON,
 * the same statuses and headers. The Effect 3 server builds its handler from the
 * declarative `DatafoldApi` instead; a test sends both the same requests and compares
 * every answer byte for byte.
 *
 * @since 0.2.0
 */
import { ciRouteOf, fastApiProblems, isJsonContentType } from "./fastApiValidation.ts"
import type { ApiHandler } from "./frontDoor.ts"
import {
  attachDiffs,
  checkAuthorization,
  createRun,
  isKnownConfig,
  listRuns,
  noRunWaitingDetail,
  type ServerState,
  type WireCiDiff,
  type WirePrDetails
} from "./serverState.ts"

const json = (status: number, value: unknown): Response => {
  const text = JSON.stringify(value)
  return new Response(text, {
    status,
    headers: { "content-length": String(new TextEncoder().encode(text).length), "content-type": "application/json" }
  })
}

/** Only what the wire schema names, in its order, with its defaults: as a Schema decode leaves it. */
const wireDiff = (diff: Record<string, unknown>): WireCiDiff => ({
  prod: diff["prod"] as string,
  pr: diff["pr"] as string,
  pk: (diff["pk"] ?? null) as ReadonlyArray<string> | null,
  include_columns: (diff["include_columns"] ?? []) as ReadonlyArray<string>,
  exclude_columns: (diff["exclude_columns"] ?? []) as ReadonlyArray<string>
})

const wirePrDetails = (body: Record<string, unknown>): WirePrDetails => ({
  pr_number: body["pr_number"] as number,
  pr_branch: body["pr_branch"] as string,
  base_branch: body["base_branch"] as string,
  pr_sha: body["pr_sha"] as string,
  base_sha: body["base_sha"] as string
})

const optionalInt = (value: string | null): number | undefined => value === null ? undefined : Number(value)

const answer = async (state: ServerState, request: Request): Promise<Response> => {
  const route = ciRouteOf(request.method, request.url)
  if (route === undefined) return new Response(null, { status: 404 })
  switch (checkAuthorization(state, request.headers.get("authorization") ?? "")) {
    case "missing":
      return json(401, { detail: "Not authenticated" })
    case "wrong":
      return json(403, { detail: "Invalid API key" })
  }
  const text = route.name === "runs" ? "" : await request.text()
  const contentType = request.headers.get("content-type")
  let body: unknown = undefined
  if (route.name !== "runs" && isJsonContentType(contentType)) {
    try {
      body = JSON.parse(text)
    } catch {
      // A body that is not JSON at all: the front door answers FastAPI's json_invalid.
      return new Response(null, { status: 400 })
    }
  }
  const problems = fastApiProblems(request.method, request.url, text, contentType) ?? []
  if (problems.length > 0) return json(422, { detail: problems })

  const ciConfigId = Number(route.params["ci_config_id"])
  if (!isKnownConfig(state, ciConfigId)) return json(404, { detail: "Not Found" })
  switch (route.name) {
    case "trigger":
      return json(200, createRun(state, ciConfigId, wirePrDetails(body as Record<string, unknown>)))
    case "runs": {
      const query = new URL(request.url).searchParams
      return json(
        200,
        listRuns(state, ciConfigId, {
          pr_sha: query.get("pr_sha") ?? undefined,
          pr_num: query.get("pr_num") ?? undefined,
          limit: optionalInt(query.get("limit")),
          offset: optionalInt(query.get("offset"))
        })
      )
    }
    case "upload": {
      const prNumber = Number(route.params["pr_num"])
      const job = attachDiffs(state, ciConfigId, prNumber, (body as Array<Record<string, unknown>>).map(wireDiff))
      return job === undefined ? json(404, { detail: noRunWaitingDetail(prNumber) }) : json(200, job)
    }
  }
}

/**
 * The plain-TypeScript API handler over a server's state.
 *
 * @since 0.2.0
 * @category constructors
 */
export const plainApiHandler = (state: ServerState): ApiHandler => ({
  handle: (request) => answer(state, request),
  dispose: () => Promise.resolve()
})
