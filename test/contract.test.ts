/**
 * The OpenAPI document derived from `DatafoldApi` must agree with Datafold's published
 * contract for the trigger operation, so the codecs cannot drift from it.
 */
import * as OpenApi from "@effect/platform/OpenApi"
import { describe, expect, it } from "vitest"
import { DatafoldApi } from "../src/api.ts"
import published from "./fixtures/published-trigger-operation.json" with { type: "json" }

// deno-lint-ignore no-explicit-any -- walks untyped JSON (OpenAPI documents) by key
type Json = { readonly [key: string]: any }

const derived = OpenApi.fromApi(DatafoldApi) as unknown as Json
const operation: Json = derived.paths[published.path][published.method]

/** Follow `$ref`s and keep only what the contract fixes: types, fields, required lists. */
const shape = (schema: Json): Json => {
  if (typeof schema.$ref === "string") {
    return shape(derived.components.schemas[schema.$ref.replace("#/components/schemas/", "")])
  }
  if (Array.isArray(schema.anyOf)) {
    return {
      anyOf: schema.anyOf.map(shape).sort((a: Json, b: Json) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
    }
  }
  if (schema.type === "object") {
    return {
      type: "object",
      required: [...(schema.required ?? [])].sort(),
      properties: Object.fromEntries(
        Object.entries(schema.properties ?? {}).sort(([a], [b]) => a.localeCompare(b)).map((
          [key, value]
        ) => [key, shape(value as Json)])
      )
    }
  }
  if (schema.type === "array") return { type: "array", items: shape(schema.items) }
  return { type: schema.type }
}

const response = (status: string) => operation.responses[status].content[published.responses["200"].contentType]

describe("contract: derived OpenAPI vs Datafold's published trigger operation", () => {
  it("has the operation at the published path, with its id", () => {
    expect(operation).toBeDefined()
    expect(operation.operationId).toBe(published.operationId)
  })

  it("takes ci_config_id as a required integer path parameter", () => {
    const parameter = operation.parameters.find((p: Json) => p.name === "ci_config_id" && p.in === "path")
    expect(parameter.required).toBe(true)
    expect(shape(parameter.schema)).toStrictEqual(published.pathParameters.ci_config_id.schema)
    expect(operation.parameters.filter((p: Json) => p.in === "path")).toHaveLength(1)
  })

  it("has the published request body: fields, types and required list", () => {
    expect(operation.requestBody.required).toBe(true)
    const body = operation.requestBody.content[published.requestBody.contentType]
    expect(shape(body.schema)).toStrictEqual(shape(published.requestBody.schema))
  })

  it("answers 200 with SubmitCiJob and 422 with HTTPValidationError, as published", () => {
    expect(shape(response("200").schema)).toStrictEqual(shape(published.responses["200"].schema))
    expect(shape(response("422").schema)).toStrictEqual(shape(published.responses["422"].schema))
  })

  it("secures the operation with the published api-key Authorization scheme", () => {
    expect(operation.security).toStrictEqual([{ ApiKeyAuth: [] }])
    expect(derived.components.securitySchemes.ApiKeyAuth).toMatchObject(published.security.ApiKeyAuth)
  })

  it("catches drift: a changed field type no longer matches", () => {
    const drifted = structuredClone(published.requestBody.schema) as Json
    drifted.properties.pr_number = { type: "string" }
    const body = operation.requestBody.content[published.requestBody.contentType]
    expect(shape(body.schema)).not.toStrictEqual(shape(drifted))
  })
})
