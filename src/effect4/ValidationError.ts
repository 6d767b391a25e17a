/**
 * The body of Datafold's 422 answer (`HTTPValidationError`), as FastAPI writes it (Effect 4).
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { ClassBase } from "./schemaClass.ts"

const ValidationErrorItemBase: ClassBase<ValidationErrorItem, {
  loc: Schema.$Array<Schema.Union<readonly [Schema.String, Schema.Int]>>
  msg: Schema.String
  type: Schema.String
}> = Schema.Class<ValidationErrorItem>("ValidationError")({
  loc: Schema.Array(Schema.Union([Schema.String, Schema.Int])),
  msg: Schema.String,
  type: Schema.String
})

/**
 * One validation problem: where (`loc`), what (`msg`) and its kind (`type`). Extra keys
 * FastAPI adds (`input`, `ctx`, `url`) are ignored.
 *
 * @since 0.2.0
 * @category schemas
 */
export class ValidationErrorItem extends ValidationErrorItemBase {}

const HttpValidationErrorBase: ClassBase<HttpValidationError, {
  detail: Schema.withDecodingDefault<Schema.$Array<typeof ValidationErrorItem>>
}> = Schema.Class<HttpValidationError>("HTTPValidationError")({
  detail: Schema.Array(ValidationErrorItem).pipe(Schema.withDecodingDefault(Effect.succeed([])))
})

/**
 * A 422 body: a list of {@link ValidationErrorItem}, possibly empty or absent.
 *
 * @since 0.2.0
 * @category schemas
 */
export class HttpValidationError extends HttpValidationErrorBase {}
