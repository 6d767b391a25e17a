/**
 * Loading the `undici` package (and `@effect/platform-node/NodeHttpClient`, which imports
 * it statically) without changing what Node's own `fetch` runs on.
 *
 * Both undici copies (Node's bundled one behind `fetch`, and the package) keep their
 * default agent under the same global symbol, and whichever loads first installs it.
 * Importing the package before the first `fetch` would make `fetch` run on the
 * package's agent, so the "raw fetch" floor would no longer be Node's fetch. This
 * module first lets Node's fetch install its own agent (a `data:` fetch, no network),
 * then imports the package; every undici contender then uses an `Agent` of its own
 * (`NodeHttpClient.layerUndici` builds one per layer). So nothing in the bench may
 * import `undici` or `@effect/platform-node/NodeHttpClient` statically.
 */
let loading: Promise<typeof import("undici")> | undefined
let loadingNodeHttpClient: Promise<typeof import("@effect/platform-node/NodeHttpClient")> | undefined

/** The global symbol under which both undici copies keep their default dispatcher. */
const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1")

/** Make sure Node's `fetch` has installed its own global agent. */
export const pinNodeFetchDispatcher = async (): Promise<void> => {
  await (await fetch("data:,pin")).text()
}

/** The `undici` package, loaded after {@link pinNodeFetchDispatcher}. */
export const loadUndici = (): Promise<
  typeof import("undici")
> => (loading ??= pinNodeFetchDispatcher().then(() => import("undici")))

/** `@effect/platform-node/NodeHttpClient`, loaded after {@link pinNodeFetchDispatcher}. */
export const loadNodeHttpClient = (): Promise<
  typeof import("@effect/platform-node/NodeHttpClient")
> => (loadingNodeHttpClient ??= pinNodeFetchDispatcher().then(() => import("@effect/platform-node/NodeHttpClient")))

/**
 * Throw unless the global dispatcher (the one Node's `fetch` runs on) is still Node's own
 * agent, i.e. not an instance of the `undici` package's `Agent`. Call it after every
 * contender is built.
 */
export const assertNodeFetchDispatcher = async (): Promise<void> => {
  await pinNodeFetchDispatcher()
  const dispatcher = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER]
  if (dispatcher === undefined) throw new Error("Node's fetch installed no global dispatcher")
  const { Agent, Dispatcher } = await loadUndici()
  if (dispatcher instanceof Agent || dispatcher instanceof Dispatcher) {
    throw new Error("raw fetch would run on the undici package's agent, not on Node's own fetch")
  }
}
