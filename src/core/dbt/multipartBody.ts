/**
 * A `multipart/form-data` body whose file part is streamed: text fields first, then one
 * file whose bytes come from an async source of unknown length (a ZIP written as the
 * folder is read), as the Python SDK's upload sends them. The encoding is
 * `form-data-encoder`'s; the body has no length, so it goes chunked.
 *
 * @since 0.2.0
 */
import { FormDataEncoder, type FormDataLike } from "form-data-encoder"

/**
 * The file part: its field name, file name, type and bytes.
 *
 * @since 0.2.0
 * @category models
 */
export interface StreamedFile {
  readonly field: string
  readonly filename: string
  readonly type: string
  readonly chunks: () => AsyncIterable<Uint8Array>
}

/**
 * An encoded body.
 *
 * @since 0.2.0
 * @category models
 */
export interface MultipartBody {
  /** `multipart/form-data; boundary=…`. */
  readonly contentType: string
  readonly chunks: AsyncIterable<Uint8Array>
}

/**
 * The encoder cuts a chunk over 64 KiB into copies made from the chunk's whole
 * `ArrayBuffer` (it ignores `byteOffset`, so a view into a larger buffer would be cut from
 * the wrong place); chunks handed to it are cut here first, into views of at most that
 * size, which it passes on as they are: no copy, whatever buffers the source uses.
 */
const ENCODER_PIECE_BYTES = 64 * 1024

async function* inPieces(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    if (chunk.byteLength <= ENCODER_PIECE_BYTES) {
      yield chunk
      continue
    }
    for (let offset = 0; offset < chunk.byteLength; offset += ENCODER_PIECE_BYTES) {
      yield chunk.subarray(offset, offset + ENCODER_PIECE_BYTES)
    }
  }
}

/** A file of unknown size in the shape the encoder reads (`size` NaN: no length is claimed). */
class StreamedFileEntry {
  readonly [Symbol.toStringTag] = "File"
  readonly size = Number.NaN
  readonly lastModified = 0
  constructor(
    readonly name: string,
    readonly type: string,
    private readonly source: () => AsyncIterable<Uint8Array>
  ) {}
  stream(): AsyncIterable<Uint8Array> {
    return inPieces(this.source())
  }
}

type Entry = readonly [string, string | StreamedFileEntry]

/**
 * The parts in order, in the `FormData` shape the encoder reads. A web `FormData` would
 * turn the streamed file into the text "[object File]": it takes only real `Blob`s.
 */
class Parts {
  readonly [Symbol.toStringTag] = "FormData"
  constructor(private readonly entries_: ReadonlyArray<Entry>) {}
  append(): void {
    throw new Error("the parts of a multipart body are fixed when it is made")
  }
  getAll(name: string): Array<string | StreamedFileEntry> {
    return this.entries_.filter(([key]) => key === name).map(([, value]) => value)
  }
  *entries(): Generator<[string, string | StreamedFileEntry]> {
    for (const [name, value] of this.entries_) yield [name, value]
  }
  [Symbol.iterator](): Generator<[string, string | StreamedFileEntry]> {
    return this.entries()
  }
}

/**
 * A fresh boundary: random, so no file's bytes can contain it by chance. One call keeps
 * one boundary for all its attempts, so its `Content-Type` is known before the first.
 *
 * @since 0.2.0
 * @category constructors
 */
export const newBoundary = (): string => `effect-datafold-${crypto.randomUUID().replaceAll("-", "")}`

/**
 * The `Content-Type` of a body with `boundary`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const multipartContentType = (boundary: string): string => `multipart/form-data; boundary=${boundary}`

/**
 * The body of `fields` (in order, each a text part) followed by `file`, parted by `boundary`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const multipartBody = (
  fields: ReadonlyArray<readonly [name: string, value: string]>,
  file: StreamedFile,
  boundary: string = newBoundary()
): MultipartBody => {
  const parts = new Parts([...fields, [file.field, new StreamedFileEntry(file.filename, file.type, file.chunks)]])
  const encoder = new FormDataEncoder(parts as unknown as FormDataLike, boundary)
  return { contentType: encoder.contentType, chunks: encoder.encode() }
}
