/**
 * Turns what a transport threw (fetch's `TypeError` with a `cause`, an undici or Deno
 * error) into a {@link NetworkFailureReason} and a short description without secrets.
 */
import type { NetworkFailureReason } from "./networkFailure.ts"
import type { Scrub } from "./scrub.ts"

/** What went wrong on the wire, as far as the runtime tells. */
export interface TransportFailure {
  readonly reason: NetworkFailureReason
  readonly detail: string
}

const causeChain = (error: unknown): Array<{ code?: string; message?: string; name?: string }> => {
  const chain: Array<{ code?: string; message?: string; name?: string }> = []
  let current: unknown = error
  // Runtimes nest the useful error under `cause` (fetch → undici → libuv); a few levels is plenty.
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const record = current as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown }
    chain.push({
      ...(typeof record.name === "string" ? { name: record.name } : {}),
      ...(typeof record.code === "string" ? { code: record.code } : {}),
      ...(typeof record.message === "string" ? { message: record.message } : {})
    })
    current = record.cause
  }
  return chain
}

const byCode: Record<string, NetworkFailureReason> = {
  ECONNREFUSED: "ConnectionRefused",
  ENOTFOUND: "HostNotFound",
  EAI_NONAME: "HostNotFound",
  EAI_AGAIN: "HostNotFound",
  ECONNRESET: "ConnectionReset",
  EPIPE: "ConnectionReset",
  UND_ERR_SOCKET: "ConnectionReset",
  UND_ERR_CLOSED: "ConnectionReset",
  ECONNABORTED: "ConnectionReset",
  ETIMEDOUT: "Timeout",
  UND_ERR_CONNECT_TIMEOUT: "Timeout",
  UND_ERR_HEADERS_TIMEOUT: "Timeout",
  UND_ERR_BODY_TIMEOUT: "Timeout"
}

// Deno and Bun report failures in the message rather than a code.
const byMessage: ReadonlyArray<readonly [RegExp, NetworkFailureReason]> = [
  [/refused/i, "ConnectionRefused"],
  [/dns|lookup|name or service not known|failed to resolve|no such host|getaddrinfo/i, "HostNotFound"],
  [/certificate|tls|ssl|handshake/i, "Tls"],
  [/reset|closed|terminated|socket hang up|broken pipe|connection error|unexpected eof|incomplete/i, "ConnectionReset"],
  [/timed? ?out/i, "Timeout"]
]

/**
 * Classify a transport error and scrub its detail: the one place a runtime's error text
 * enters an error (an invalid header value makes some runtimes quote the header).
 */
export const transportFailure = (error: unknown, scrub: Scrub): TransportFailure => {
  const failure = classifyTransportFailure(error)
  return { reason: failure.reason, detail: scrub(failure.detail) }
}

/** Classify a transport error, most specific evidence first. */
export const classifyTransportFailure = (error: unknown): TransportFailure => {
  const chain = causeChain(error)
  const codes = chain.flatMap((link) => (link.code === undefined ? [] : [link.code]))
  const messages = chain.flatMap((link) => (link.message === undefined ? [] : [link.message]))
  // The innermost message is the most telling ("connect ECONNREFUSED 127.0.0.1:9"), not "fetch failed".
  const detail = (messages.at(-1) ?? "no detail from the runtime").slice(0, 300)
  // Deno without --allow-net for the host: NotCapable on Deno 2, PermissionDenied before.
  const denied = chain.find((link) =>
    link.name === "NotCapable" || link.name === "PermissionDenied" ||
    /requires net access/i.test(link.message ?? "")
  )
  if (denied !== undefined) return { reason: "PermissionDenied", detail: (denied.message ?? detail).slice(0, 300) }
  for (const code of codes) {
    if (
      code.startsWith("ERR_TLS") || code.startsWith("CERT_") || code.includes("CERT") ||
      code === "DEPTH_ZERO_SELF_SIGNED_CERT"
    ) {
      return { reason: "Tls", detail }
    }
    const reason = byCode[code]
    if (reason !== undefined) return { reason, detail }
  }
  const text = messages.join(" | ")
  for (const [pattern, reason] of byMessage) {
    if (pattern.test(text)) return { reason, detail }
  }
  return { reason: "Other", detail }
}
