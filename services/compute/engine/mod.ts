/**
 * The compute engine: query plans (protobuf) → one analysis pass (limits before work) → one
 * nodejs-polars LazyFrame, run off the event loop; Arrow IPC in and out; engine errors
 * mapped into PolaroidErrors.
 *
 * @module
 */

export { frameSchema, fromPolarsType, heldSchema, schemaOf, toPolarsType } from "./dtypes.ts";
export { fromEngineError } from "./errors.ts";
export {
  batchCount,
  copyIpcChunks,
  frameFromIpc,
  frameToIpc,
  frameToIpcBatches,
  frameToIpcChunks,
  type IpcChunks,
  uploadIpcLimits,
} from "./ipc.ts";
export { analyzePlan, type PlanAnalysis } from "./analyze.ts";
export { planOutline } from "./outline.ts";
export { DEFAULT_JOIN_SUFFIX, type EngineContext } from "./plan.ts";
export {
  type AnalyzedOptions,
  buildLazyFrame,
  checkResult,
  estimatedBytes,
  explainPlan,
  planSchema,
  type RunOptions,
  runPlan,
  runPlanHeld,
} from "./run.ts";
export { chooseEngine, type EngineChoice, estimateInputBytes } from "./streaming_estimate.ts";
export { ENGINE_MAX_DEPTH, inspectPlan, type PlanShape, validatePlan } from "./validate.ts";
