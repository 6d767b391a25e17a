/**
 * A request body streamed from a source rather than held in memory (a dbt target folder
 * zipped as it is read, a manifest read from disk), in the shape every transport of both
 * Effect majors pulls from. Plain TypeScript, shared by both.
 *
 * @since 0.2.0
 */

/**
 * A body opened afresh for each attempt; the transport pulls its chunks as the
 * connection takes them, so memory stays bounded by a chunk whatever the source's size.
 * It is sent without a `Content-Length` (chunked).
 *
 * @since 0.2.0
 * @category models
 */
export interface StreamBody<E> {
  readonly _tag: "StreamBody"
  readonly contentType: string
  /** Starts one read of the body; `activity` is called each time the transport takes a chunk. */
  readonly open: (activity: () => void) => BodySource<E>
}

/**
 * One read of a {@link StreamBody}.
 *
 * @since 0.2.0
 * @category models
 */
export interface BodySource<E> {
  /** A generator, so the read can be stopped from outside ({@link closeSource}). */
  readonly chunks: AsyncGenerator<Uint8Array>
  /**
   * Why reading the source failed (a file that could not be read), once it has: the
   * attempt then fails with this rather than with the transport's error about the
   * request it abandoned. `undefined` while the source is fine.
   */
  readonly failure: () => E | undefined
}

/**
 * `source` with its failure turned into `E2` (a plain problem into an entry's error class).
 *
 * @since 0.2.0
 * @category combinators
 */
export const mapSourceFailure = <E, E2>(source: BodySource<E>, f: (failure: E) => E2): BodySource<E2> => ({
  chunks: source.chunks,
  failure: () => {
    const failure = source.failure()
    return failure === undefined ? undefined : f(failure)
  }
})

/**
 * A source's chunks as a web `ReadableStream`, pulled one at a time (backpressure): what
 * a `fetch` sends. It errors only when the source does, and cancelling it stops the source.
 *
 * @since 0.2.0
 * @category constructors
 */
export const readableStreamOf = (chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> => {
  const iterator = chunks[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      const next = await iterator.next()
      if (next.done === true) controller.close()
      else controller.enqueue(next.value)
    },
    cancel: async () => {
      await iterator.return?.()?.catch(() => undefined)
    }
  }, { highWaterMark: 0 })
}

/**
 * Stops a source's read whether or not it was read to the end: its generator's `finally`
 * blocks run, closing the file being read. An attempt calls it when it ends, since a
 * transport that gave up on a request (a reset, a timeout) does not always cancel the
 * body it was pulling, and the paused generator would keep its file open until garbage
 * collection.
 *
 * @since 0.2.0
 * @category combinators
 */
export const closeSource = (source: BodySource<unknown>): void => {
  source.chunks.return(undefined).catch(() => undefined)
}
