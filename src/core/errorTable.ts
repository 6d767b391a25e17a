/**
 * The tag-to-error table: an error outcome the shared rules decided (`outcome.ts`) names
 * its error class by `_tag`; each Effect major gives the table of its own classes, and
 * this builds the error from it. One table per major, the same tags in both.
 *
 * @since 0.2.0
 */
import type { ErrorOutcome } from "./outcome.ts"

/**
 * Per outcome tag, the class built from that outcome's fields.
 *
 * @since 0.2.0
 * @category models
 */
export type ErrorTable<Item, E> = {
  readonly [Tag in ErrorOutcome<Item>["_tag"]]: new (fields: Extract<ErrorOutcome<Item>, { readonly _tag: Tag }>) => E
}

/**
 * The error of an outcome, by its tag in `table`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const errorFromTable = <Item, E>(table: ErrorTable<Item, E>) => (outcome: ErrorOutcome<Item>): E =>
  // The tag and the fields come from the same outcome, so the pair always matches.
  new (table[outcome._tag] as new (fields: ErrorOutcome<Item>) => E)(outcome)
