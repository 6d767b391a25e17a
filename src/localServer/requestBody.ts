/**
 * A request body as the local server's front door takes it in: read as it streams, so a
 * fault can cut it part-way, into one buffer (allocated once when `Content-Length` says
 * the size; joined once at the end of a chunked body), and recorded as text only when it
 * is small and not a file upload.
 *
 * @since 0.2.0
 */
import { Buffer } from "node:buffer"
import type * as http from "node:http"

/**
 * The body, whole; or how many bytes had arrived when it was cut.
 *
 * @since 0.2.0
 * @category models
 */
export type ReceivedBody =
  | { readonly _tag: "Body"; readonly body: Uint8Array }
  | { readonly _tag: "Cut"; readonly bytes: number }

/** Above this, a `Content-Length` is not trusted with one allocation up front. */
const largestAllocation = 1024 * 1024 * 1024

/**
 * Reads the body of `request`. With `cutAfter`, stops as soon as that many bytes have
 * arrived (or at the end of a shorter body) and resolves `Cut`: the caller then resets the
 * connection.
 *
 * @since 0.2.0
 * @category receiving
 */
export const receiveBody = (request: http.IncomingMessage, cutAfter?: number): Promise<ReceivedBody> =>
  new Promise((resolve, reject) => {
    if (cutAfter !== undefined && cutAfter <= 0) {
      resolve({ _tag: "Cut", bytes: 0 })
      return
    }
    const length = request.headers["content-length"]
    const announced = length !== undefined && /^\d{1,10}$/.test(length) ? Number(length) : undefined
    // One copy of the body: written in place as it arrives when its size is known.
    const whole = announced !== undefined && announced <= largestAllocation ? new Uint8Array(announced) : undefined
    const chunks: Array<Uint8Array> = []
    let received = 0
    const stop = () => {
      request.off("data", onData)
      request.off("end", onEnd)
      request.pause()
    }
    const onData = (chunk: Uint8Array) => {
      if (whole !== undefined && received + chunk.length <= whole.length) whole.set(chunk, received)
      else chunks.push(chunk)
      received += chunk.length
      if (cutAfter !== undefined && received >= cutAfter) {
        stop()
        resolve({ _tag: "Cut", bytes: received })
      }
    }
    const onEnd = () => {
      if (cutAfter !== undefined) resolve({ _tag: "Cut", bytes: received })
      else if (whole !== undefined && chunks.length === 0 && received === whole.length) {
        resolve({ _tag: "Body", body: whole })
      } else {
        const joined = Buffer.concat(whole === undefined ? chunks : [whole.subarray(0, received), ...chunks])
        resolve({ _tag: "Body", body: new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength) })
      }
    }
    request.on("data", onData)
    request.once("end", onEnd)
    request.once("error", reject)
    request.once("close", () => {
      if (!request.complete) reject(new Error("the client went away before the end of the body"))
    })
  })

/** Up to this size, a dbt endpoint's body is kept as text in `requests()`. */
const largestRecordedBody = 64 * 1024

/**
 * What `requests()` keeps of a body: its text, or a placeholder with its size for a
 * multipart body (a file upload) and for a dbt endpoint's body over 64 KiB.
 *
 * @since 0.2.0
 * @category recording
 */
export const recordedBody = (body: Uint8Array, contentType: string | undefined, toDbt: boolean): string => {
  const essence = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? ""
  if (essence.startsWith("multipart/") || (toDbt && body.length > largestRecordedBody)) {
    return `<not recorded: ${body.length} bytes${essence === "" ? "" : ` of ${essence}`}>`
  }
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8")
}

/**
 * What `requests()` keeps of a body cut by `Fault.cutUpload`.
 *
 * @since 0.2.0
 * @category recording
 */
export const cutBody = (bytes: number): string => `<not recorded: cut after ${bytes} bytes>`
