/**
 * The Sink RPC: checks the target and the options (before any work), runs the plan into a
 * temporary file on Polars' streaming engine (write.ts), and commits it to its location
 * (location.ts). The temporary file is gone on every path: done, failed, cancelled, past
 * the deadline, over POLAROID_MAX_OUTPUT_BYTES.
 *
 * @module
 */

import type { ComputeConfig } from "../../../shared/config.ts";
import { InvalidArgumentError } from "../../../shared/errors.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import type { SinkRequest, SinkResponse } from "../../../shared/gen/polaroid/v1/sink.ts";
import { buildLazyFrame, fromEngineError } from "../engine/mod.ts";
import type { PreparedPlan, RunContext } from "../executor.ts";
import { checkColumns } from "../engine/run.ts";
import { locate, type OutputTargets } from "./location.ts";
import { sinkOptions } from "./options.ts";
import { sinkToFile, writtenRows } from "./write.ts";

/** What the Sink handler needs. */
export interface SinkDeps {
  config: ComputeConfig;
  outputs: OutputTargets;
  /** Analyses the plan and resolves the frames it reads (PlanExecutor.prepare). */
  prepare: (plan: Plan | undefined, ctx: RunContext) => Promise<PreparedPlan>;
}

/** An engine error with the temporary path replaced by the one the caller named. */
function named(error: unknown, temp: string, shown: string): unknown {
  if (!(error instanceof Error) || !error.message.includes(temp)) return error;
  const renamed = new Error(error.message.replaceAll(temp, shown));
  renamed.cause = error;
  return renamed;
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}

/** The Sink handler. */
export function sinkHandler(deps: SinkDeps) {
  const { limits } = deps.config;
  return async (request: SinkRequest, ctx: RunContext): Promise<SinkResponse> => {
    const target = request.target;
    if (!target) throw new InvalidArgumentError("Cannot write as the request names no target");
    const options = sinkOptions(target.format, request.options, limits.maxBatchSize);
    const location = await locate(deps.outputs, target, {
      tenant: ctx.tenant,
      perTenant: deps.config.auth.mode !== "none",
      stagingDir: deps.config.spillDir,
      mkdir: options.mkdir,
    });
    ctx.log.output = location.shown;
    const { plan, engine, analysis } = await deps.prepare(request.plan, ctx);
    ctx.signal.throwIfAborted();
    const started = performance.now();
    let bytes: number;
    let rows: number | undefined;
    try {
      const notes: Record<string, number> = {};
      const lf = checkColumns(await buildLazyFrame(plan, engine, { analysis, notes }), engine);
      Object.assign(ctx.log, notes);
      ctx.log.buildMs = elapsed(started);
      const sinking = performance.now();
      bytes = await sinkToFile(lf, target.format, location.temp, options.engine, {
        signal: ctx.signal,
        maxBytes: deps.config.output.maxOutputBytes,
        engines: deps.outputs.engines,
        onEngineEnd: () => (ctx.log.engineMs = elapsed(sinking)),
      });
      const counting = performance.now();
      rows = await writtenRows(target.format, location.temp);
      ctx.log.countMs = elapsed(counting);
    } catch (error) {
      await Deno.remove(location.temp).catch(() => {});
      throw fromEngineError(named(error, location.temp, location.shown));
    }
    const committing = performance.now();
    await location.commit(bytes, ctx.signal);
    ctx.log.commitMs = elapsed(committing);
    ctx.log.bytes = bytes;
    if (rows !== undefined) ctx.log.rows = rows;
    return {
      path: location.shown,
      bytes: BigInt(bytes),
      rows: rows === undefined ? undefined : BigInt(rows),
    };
  };
}
