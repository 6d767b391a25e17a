/**
 * Loading the modules that need `@effect/platform`, an optional peer: the main entry,
 * `DatafoldClient.Default` and `effect-datafold/node`'s `Default` run without it, so what
 * builds on the platform (a client over a user's `HttpClient`, the local test server) is
 * loaded when first used. When the platform is not installed, the failure says what to
 * install instead of Node's bare "Cannot find package".
 */

/** The install line for the peer, at the range the package declares. */
export const PLATFORM_INSTALL = "npm install @effect/platform@^0.97.0"

const isPlatformMissing = (error: unknown): boolean => {
  const text = error instanceof Error ? `${(error as { code?: unknown }).code ?? ""} ${error.message}` : String(error)
  return text.includes("@effect/platform") &&
    /ERR_MODULE_NOT_FOUND|Cannot find (?:package|module)|Could not resolve|not found/i.test(text)
}

/**
 * `load()`, a dynamic import of a module that imports `@effect/platform`; when the
 * platform is missing, it rejects with an error naming `feature` and the install line.
 * Any other failure is passed on as it is.
 */
export const loadWithPlatform = <M>(feature: string, load: () => Promise<M>): Promise<M> =>
  load().catch((cause: unknown) => {
    if (!isPlatformMissing(cause)) throw cause
    throw new Error(
      `${feature} needs @effect/platform, an optional peer dependency of effect-datafold that is not installed: ` +
        `${PLATFORM_INSTALL}`,
      { cause }
    )
  })
