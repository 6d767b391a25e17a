/**
 * `effect-datafold/effect4/testing`: the local Datafold-compatible server for tests of
 * Effect 4 programs, the counterpart of `effect-datafold/testing`.
 *
 * @since 0.2.0
 */
export * as Fault from "../localServer/Fault.ts"
export type { LocalDatafoldServerOptions, RequestLogEntry } from "../localServer/frontDoor.ts"
export type { LocalDataDiffOptions, LocalDataDiffOutcome, LocalDataDiffPlan } from "../localServer/dataDiffs.ts"
export type {
  DataDiffEndpoint,
  DbtArchiveEntry,
  DbtPullRequest,
  DbtRunType,
  Endpoint,
  ForeignRun,
  ReceivedDbtUpload,
  ReceivedUpload,
  RecordedRequest,
  WireCiDiff
} from "../localServer/serverState.ts"
export {
  clientLayerFor,
  dataDiffsLayerFor,
  LocalDatafold,
  type LocalDatafoldServer,
  makeLocalDatafoldServer,
  startLocalDatafoldServer
} from "./localServer/LocalDatafoldServer.ts"
