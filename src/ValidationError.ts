/**
 * The body of Datafold's 422 answer (`HTTPValidationError`), as FastAPI writes it.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { ClassBase } from "./schemaClass.ts"

const ValidationErrorItemBase: ClassBase<ValidationErrorItem, {
  loc: Schema.Array$<Schema.Union<[typeof Schema.String, typeof Schema.Int]>>
  msg: Schema.SchemaClass<string>
  type: Schema.SchemaClass<string>
}> = Schema.Class<ValidationErrorItem>("ValidationError")({
  loc: Schema.Array(Schema.Union(Schema.String, Schema.Int)).annotations({ title: "Location" }),
  msg: Schema.String.annotations({ title: "Message" }),
  type: Schema.String.annotations({ title: "Error Type" })
}, { title: "ValidationError" })

/**
 * One validation problem: where (`loc`), what (`msg`) and its kind (`type`). FastAPI
 * adds more keys in newer versions (`input`, `ctx`, `url`); they are ignored.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ValidationErrorItem extends ValidationErrorItemBase {}

const HttpValidationErrorBase: ClassBase<HttpValidationError, {
  detail: Schema.optionalWith<Schema.Array$<typeof ValidationErrorItem>, { default: () => Array<never> }>
}> = Schema.Class<HttpValidationError>("HTTPValidationError")({
  detail: Schema.optionalWith(Schema.Array(ValidationErrorItem), { default: () => [] }).annotations({
    title: "Detail"
  })
}, { title: "HTTPValidationError" })

/**
 * A 422 body: a list of {@link ValidationErrorItem}, possibly empty or absent.
 *
 * @since 0.1.0
 * @category schemas
 */
export class HttpValidationError extends HttpValidationErrorBase {}
