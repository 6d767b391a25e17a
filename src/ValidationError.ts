/**
 * The body of Datafold's 422 answer (`HTTPValidationError`), as FastAPI writes it.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * One validation problem: where (`loc`), what (`msg`) and its kind (`type`). FastAPI
 * adds more keys in newer versions (`input`, `ctx`, `url`); they are ignored.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ValidationErrorItem extends Schema.Class<ValidationErrorItem>("ValidationError")({
  loc: Schema.Array(Schema.Union(Schema.String, Schema.Int)).annotations({ title: "Location" }),
  msg: Schema.String.annotations({ title: "Message" }),
  type: Schema.String.annotations({ title: "Error Type" })
}, { title: "ValidationError" }) {}

/**
 * A 422 body: a list of {@link ValidationErrorItem}, possibly empty or absent.
 *
 * @since 0.1.0
 * @category schemas
 */
export class HttpValidationError extends Schema.Class<HttpValidationError>("HTTPValidationError")({
  detail: Schema.optionalWith(Schema.Array(ValidationErrorItem), { default: () => [] }).annotations({
    title: "Detail"
  })
}, { title: "HTTPValidationError" }) {}
