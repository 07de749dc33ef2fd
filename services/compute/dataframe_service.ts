/**
 * DataFrameService handlers: the gRPC layer has decoded the request and authorized the
 * caller; each handler hands it to the PlanExecutor (executor.ts) with the call's context
 * (tenant, abort signal, log fields), whose answer the gRPC layer encodes.
 *
 * @module
 */

import type { ComputeConfig } from "../../shared/config.ts";
import { bind, type ServiceBinding } from "../../shared/grpc/types.ts";
import { DATAFRAME_SERVICE } from "./collect_wire.ts";
import type { PlanExecutor } from "./executor.ts";
import type { OutputTargets } from "./sink/location.ts";
import { sinkHandler } from "./sink/service.ts";

/** What the handlers need besides the executor. */
export interface DataFrameServiceOptions {
  config: ComputeConfig;
  /** Where Sink writes (POLAROID_OUTPUT_ROOT, POLAROID_OUTPUT_S3_BUCKET); none refuses it. */
  outputs?: OutputTargets;
}

export function dataFrameService(
  executor: PlanExecutor,
  options: DataFrameServiceOptions,
): ServiceBinding {
  return bind(DATAFRAME_SERVICE, {
    execute: (request, ctx) => executor.execute(request, ctx),
    collect: (request, ctx) => executor.collect(request, ctx),
    upload: (requests, ctx) => executor.upload(requests, ctx),
    schema: (request, ctx) => executor.schema(request, ctx),
    explain: (request, ctx) => executor.explain(request, ctx),
    sink: sinkHandler({
      config: options.config,
      outputs: options.outputs ?? { engines: { running: 0 } },
      prepare: (plan, ctx) => executor.prepare(plan, ctx),
    }),
  });
}
