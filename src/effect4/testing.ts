/**
 * `effect-datafold/effect4/testing`: the local Datafold-compatible server for tests of
 * Effect 4 programs, the counterpart of `effect-datafold/testing`.
 *
 * @since 0.2.0
 */
export * as Fault from "../testing/Fault.ts"
export type { LocalDatafoldServerOptions, RequestLogEntry } from "../testing/frontDoor.ts"
export type {
  DbtArchiveEntry,
  DbtPullRequest,
  DbtRunType,
  Endpoint,
  ReceivedDbtUpload,
  ReceivedUpload,
  RecordedRequest,
  WireCiDiff
} from "../testing/serverState.ts"
export {
  clientLayerFor,
  LocalDatafold,
  type LocalDatafoldServer,
  makeLocalDatafoldServer,
  startLocalDatafoldServer
} from "./testing/LocalDatafoldServer.ts"
