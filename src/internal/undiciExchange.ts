/**
 * One request over an undici `Dispatcher`, as a dispatch handler of the library's own:
 * the answer's head resolves a promise, and its body is gathered within the cap as it
 * arrives, with none of the `Readable` stream, async resource and eager header parsing
 * that undici's `request` sets up for a general caller. An answer with a content coding
 * is streamed through the shared decoder (`contentDecoding.ts`), so the cap counts
 * decoded bytes, as on every other wire.
 */
import { PassThrough } from "node:stream"
import type { Dispatcher } from "undici"
import { MAX_BODY_BYTES } from "../core/bodyCap.ts"
import { cappedText, codingOf, headerOf, headerRecord, type NodeHeaders } from "./contentDecoding.ts"
import { BodyTooLarge } from "./responseBody.ts"
import type { WireAnswer, WireCall } from "./wire.ts"

/** Why a request that was abandoned ended, for whatever was still waiting on it. */
const abandoned = (): Error => new Error("the request was abandoned")

const utf8 = new TextDecoder()

/** A request's exchange with undici: the handler, and the {@link WireCall} it answers. */
export class UndiciExchange implements Dispatcher.DispatchHandler, WireCall {
  readonly answer: Promise<WireAnswer>
  #resolveAnswer!: (answer: WireAnswer) => void
  #rejectAnswer!: (error: unknown) => void
  #controller: Dispatcher.DispatchController | undefined
  #abandoned = false
  #answered = false
  /** The body of an answer without a content coding, gathered as it arrives. */
  #chunks: Array<Buffer> = []
  #bytes = 0
  #ended = false
  #failure: unknown = undefined
  /** The body of a coded answer, on its way to the decoder. */
  #coded: PassThrough | undefined
  #waiting: { resolve: (text: string) => void; reject: (error: unknown) => void } | undefined

  /** `cap`: the most of the answer's body read. */
  constructor(readonly cap: number = MAX_BODY_BYTES) {
    this.answer = new Promise((resolve, reject) => {
      this.#resolveAnswer = resolve
      this.#rejectAnswer = reject
    })
  }

  /** Abandon the request, its connection with it; whatever still waits on it rejects. */
  readonly abort = (): void => {
    if (this.#abandoned) return
    this.#abandoned = true
    this.#controller?.abort(abandoned())
    this.#fail(abandoned())
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller
    if (this.#abandoned) controller.abort(abandoned())
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | Array<string> | undefined>
  ): void {
    // An informational answer (100 Continue) is not the answer.
    if (statusCode < 200 || this.#answered) return
    this.#answered = true
    const nodeHeaders = headers as NodeHeaders
    if (codingOf(nodeHeaders) !== undefined) {
      const coded = new PassThrough()
      coded.on("drain", () => controller.resume())
      this.#coded = coded
    } else {
      const declared = Number(headerOf(nodeHeaders, "content-length") ?? Number.NaN)
      // Refused unread, as the other wires refuse it.
      if (declared > this.cap) this.#refuse(controller, declared)
    }
    this.#resolveAnswer({
      status: statusCode,
      headers: () => headerRecord(nodeHeaders),
      text: () => (this.#coded === undefined ? this.#text() : cappedText(this.#coded, nodeHeaders, this.cap))
    })
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#coded !== undefined) {
      if (!this.#coded.write(chunk)) controller.pause()
      return
    }
    if (this.#failure !== undefined) return
    this.#bytes += chunk.byteLength
    if (this.#bytes > this.cap) return this.#refuse(controller, this.#bytes)
    this.#chunks.push(chunk)
  }

  onResponseEnd(): void {
    if (this.#coded !== undefined) {
      this.#coded.end()
      return
    }
    this.#ended = true
    const waiting = this.#waiting
    if (waiting !== undefined && this.#failure === undefined) waiting.resolve(this.#decoded())
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#fail(error)
  }

  /** The body over the cap: the request is abandoned and the body's read refused. */
  #refuse(controller: Dispatcher.DispatchController, bytes: number): void {
    this.#fail(new BodyTooLarge(bytes, this.cap))
    this.#chunks = []
    controller.abort(abandoned())
  }

  /** The first failure ends whatever waits: the answer, or the body's read. */
  #fail(error: unknown): void {
    if (!this.#answered) {
      this.#answered = true
      this.#rejectAnswer(error)
      return
    }
    if (this.#coded !== undefined) {
      this.#coded.destroy(error instanceof Error ? error : abandoned())
      return
    }
    if (this.#failure !== undefined || this.#ended) return
    this.#failure = error
    this.#waiting?.reject(error)
  }

  #text(): Promise<string> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure)
    if (this.#ended) return Promise.resolve(this.#decoded())
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject }
    })
  }

  #decoded(): string {
    const chunks = this.#chunks
    return chunks.length === 0 ? "" : utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.#bytes))
  }
}
