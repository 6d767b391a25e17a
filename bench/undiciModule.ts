/**
 * Loading the `undici` package without changing what Node's own `fetch` runs on.
 *
 * Both undici copies (Node's bundled one behind `fetch`, and the package) keep their
 * default agent under the same global symbol, and whichever loads first installs it.
 * Importing the package before the first `fetch` would make `fetch` run on the
 * package's agent, so the "raw fetch" floor would no longer be Node's fetch. This
 * module first lets Node's fetch install its own agent (a `data:` fetch, no network),
 * then imports the package; every undici contender then uses an `Agent` of its own.
 */
let loading: Promise<typeof import("undici")> | undefined

/** Make sure Node's `fetch` has installed its own global agent. */
export const pinNodeFetchDispatcher = async (): Promise<void> => {
  await (await fetch("data:,pin")).text()
}

/** The `undici` package, loaded after {@link pinNodeFetchDispatcher}. */
export const loadUndici = (): Promise<typeof import("undici")> =>
  (loading ??= pinNodeFetchDispatcher().then(() => import("undici")))
