/**
 * `effect-datafold/testing`: a local Datafold-compatible server for tests of pipelines
 * and programs that trigger Datafold runs or upload dbt artifacts.
 *
 * @since 0.1.0
 */
export * as Fault from "./localServer/Fault.ts"
export {
  clientLayerFor,
  dataDiffsLayerFor,
  type DbtArchiveEntry,
  type DbtPullRequest,
  type DbtRunType,
  type Endpoint,
  type ForeignRun,
  type LocalDataDiffOptions,
  type LocalDataDiffOutcome,
  type LocalDataDiffPlan,
  type LocalDatafoldServer,
  type LocalDatafoldServerOptions,
  makeLocalDatafoldServer,
  type ReceivedDbtUpload,
  type ReceivedUpload,
  type RecordedRequest,
  type RequestLogEntry,
  startLocalDatafoldServer
} from "./localServer/LocalDatafoldServer.ts"
