/**
 * The peers: the same trigger POST with the libraries a user would reach for instead of
 * this client (`ofetch`, `ky`, `openapi-fetch`), each used the way its documentation
 * shows, with retries off (none retries a POST by default anyway) and the JSON answer
 * decoded. Every one runs on the runtime's `fetch`, so raw fetch is their floor too.
 */
import ky from "ky"
import { ofetch } from "ofetch"
import createClient from "openapi-fetch"
import {
  CI_CONFIG_ID,
  prDetailsFor,
  TRIGGER_HEADERS,
  type TriggerCall,
  type TriggerResult,
  triggerUrl
} from "../workload.ts"
import type { TriggerPaths } from "./triggerPaths.ts"

/** A peer's name and the function that sends one trigger with it. */
export interface PeerTrigger {
  readonly name: string
  readonly call: TriggerCall
}

/** The names of the peers, as the bench's contender and worker-mode names. */
export const PEER_NAMES = ["ofetch", "ky", "openapi-fetch"] as const

/** One of {@link PEER_NAMES}. */
export type PeerName = typeof PEER_NAMES[number]

const asResult = (name: string, body: { readonly ci_run_id?: number | null; readonly run_id?: number | null }) => {
  if (typeof body.ci_run_id !== "number") throw new Error(`${name}: unexpected answer`)
  return { ci_run_id: body.ci_run_id, run_id: body.run_id ?? null }
}

/** The trigger through one peer, against a loopback server at `host`. */
export const makePeerTrigger = (name: PeerName, host: string): PeerTrigger => {
  const url = triggerUrl(host)
  switch (name) {
    case "ofetch":
      // ofetch serialises a plain-object body as JSON and parses a JSON answer; it throws on a non-2xx status.
      return {
        name,
        call: async (n) =>
          asResult(
            name,
            await ofetch<TriggerResult>(url, {
              method: "POST",
              body: prDetailsFor(n),
              headers: TRIGGER_HEADERS,
              retry: 0
            })
          )
      }
    case "ky":
      // ky throws an HTTPError on a non-2xx status; its default 10 s timeout stays on, as a user gets it.
      return {
        name,
        call: async (n) =>
          asResult(
            name,
            await ky.post(url, { json: prDetailsFor(n), headers: TRIGGER_HEADERS, retry: 0 }).json<TriggerResult>()
          )
      }
    case "openapi-fetch": {
      const client = createClient<TriggerPaths>({ baseUrl: host, headers: TRIGGER_HEADERS })
      return {
        name,
        call: async (n) => {
          const { data, response } = await client.POST("/api/v1/ci/{ci_config_id}/trigger", {
            params: { path: { ci_config_id: CI_CONFIG_ID } },
            body: prDetailsFor(n)
          })
          if (data === undefined) throw new Error(`${name}: status ${response.status}`)
          return asResult(name, data)
        }
      }
    }
  }
}

/** Whether a worker mode names a peer. */
export const isPeerName = (mode: string): mode is PeerName => (PEER_NAMES as ReadonlyArray<string>).includes(mode)
