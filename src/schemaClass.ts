/**
 * Explicit types for `Schema.Class` and `Schema.TaggedError` bases. JSR's fast check
 * cannot infer a superclass expression, so each schema class extends a constant whose
 * type is spelled out with these aliases; they are exactly what the calls return.
 *
 * @since 0.1.0
 */
import type * as Schema from "effect/Schema"

/**
 * What `Schema.Class<Self>(identifier)(fields)` returns.
 *
 * @since 0.1.0
 */
export type ClassBase<Self, Fields extends Schema.Struct.Fields> = Schema.Class<
  Self,
  Fields,
  Schema.Struct.Encoded<Fields>,
  Schema.Struct.Context<Fields>,
  Schema.Struct.Constructor<Fields>,
  // deno-lint-ignore ban-types
  {},
  // deno-lint-ignore ban-types
  {}
>

/**
 * What `Schema.TaggedError<Self>()(tag, fields)` returns.
 *
 * @since 0.1.0
 */
export type TaggedErrorBase<Self, Tag extends string, Fields extends Schema.Struct.Fields> = Schema.TaggedErrorClass<
  Self,
  Tag,
  { readonly _tag: Schema.tag<Tag> } & Fields
>
