/**
 * Running plans: validate, guard sizes, build one LazyFrame, collect, check the result.
 * Every error leaves as a PolaroidError.
 *
 * @module
 */

import { isPeek } from "./peek.ts";
import type pl from "nodejs-polars";
import { LimitExceededError } from "../../../shared/errors.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import type { Schema } from "../../../shared/gen/polaroid/v1/types.ts";
import { guardPlanSizes } from "./bounds.ts";
import { frameSchema } from "./dtypes.ts";
import { fromEngineError } from "./errors.ts";
import { buildPlanFrame, type EngineContext } from "./plan.ts";
import { spillStreaming } from "./streaming.ts";
import { checkEngineDepth, inspectPlan } from "./validate.ts";
import {
  checkFrame,
  frameHeight,
  type Held,
  heldHeight,
  heldMemoryBytes,
  SpilledFrame,
} from "./frame_access.ts";

/** Estimated bytes a DataFrame holds (nodejs-polars 0.25.2 does not wrap estimatedSize). */
export function estimatedBytes(df: pl.DataFrame): number {
  return heldMemoryBytes(df);
}

/**
 * Throws LimitExceededError when a result is over `maxResultRows` or, in memory, over
 * `maxResultBytes` (a spilled result holds no memory).
 */
export function checkResult(df: Held, ctx: EngineContext): void {
  const { maxResultRows, maxResultBytes } = ctx.limits;
  if (df instanceof SpilledFrame) {
    checkRows(heldHeight(df), maxResultRows);
    return;
  }
  checkFrame(df);
  checkRows(frameHeight(df), maxResultRows);
  const bytes = estimatedBytes(df);
  if (bytes > maxResultBytes) {
    throw new LimitExceededError(
      `Cannot return the result as it must hold at most ${maxResultBytes} bytes: current value is ${bytes}`,
      { metadata: { limit: String(maxResultBytes) } },
    );
  }
}

function checkRows(height: number, maxResultRows: number): void {
  if (height > maxResultRows) {
    throw new LimitExceededError(
      `Cannot return the result as it must have at most ${maxResultRows} rows: current value is ${height}`,
      { metadata: { limit: String(maxResultRows) } },
    );
  }
}

/**
 * Throws LimitExceededError when the plan's result would have more than `maxResultColumns`
 * columns; read from the plan's schema, before any data is.
 */
export function checkColumns(lf: pl.LazyDataFrame, ctx: EngineContext): pl.LazyDataFrame {
  const { maxResultColumns } = ctx.limits;
  const width = lf.columns.length;
  if (width > maxResultColumns) {
    throw new LimitExceededError(
      `Cannot return the result as it must have at most ${maxResultColumns} columns: current value is ${width}`,
      { metadata: { limit: String(maxResultColumns) } },
    );
  }
  return lf;
}

function validated(plan: Plan, ctx: EngineContext): void {
  checkEngineDepth(inspectPlan(plan, ctx.limits));
}

/** Options of {@link runPlanHeld}. */
export interface RunOptions {
  /**
   * Run on Polars' streaming engine through a spill file in this directory (see
   * streaming.ts); absent runs the in-memory engine.
   */
  spillDir?: string;
}

/**
 * Runs the plan into memory, or with `spillDir` on the streaming engine into a spilled
 * Parquet file (a SpilledFrame, which the caller then owns).
 */
export async function runPlanHeld(
  plan: Plan,
  ctx: EngineContext,
  options: RunOptions = {},
): Promise<Held> {
  if (options.spillDir === undefined) return await runPlan(plan, ctx);
  let spilled: SpilledFrame | undefined;
  try {
    validated(plan, ctx);
    await guardPlanSizes(plan, ctx);
    const lf = checkColumns(buildPlanFrame(plan, ctx, { empty: false }), ctx);
    spilled = await spillStreaming(lf, options.spillDir);
    checkResult(spilled, ctx);
    return spilled;
  } catch (error) {
    if (spilled) await Deno.remove(spilled.path).catch(() => {});
    throw fromEngineError(error);
  }
}

/** Runs the plan: validate + guard sizes + build + collect + result limit checks. */
export async function runPlan(plan: Plan, ctx: EngineContext): Promise<pl.DataFrame> {
  try {
    validated(plan, ctx);
    await guardPlanSizes(plan, ctx);
    const lf = checkColumns(buildPlanFrame(plan, ctx, { empty: false }), ctx);
    const df = isPeek(plan) ? lf.collectSync() : await lf.collect();
    checkResult(df, ctx);
    return df;
  } catch (error) {
    throw fromEngineError(error);
  }
}

/** The logical and optimised plans as Polars prints them (data root paths made relative). */
export function explainPlan(
  plan: Plan,
  ctx: EngineContext,
): { logical: string; optimized: string } {
  try {
    validated(plan, ctx);
    const lf = buildPlanFrame(plan, ctx, { empty: false });
    const root = ctx.dataRoot.endsWith("/") ? ctx.dataRoot : `${ctx.dataRoot}/`;
    const relative = (text: string) => text.replaceAll(root, "");
    return {
      logical: relative(lf.describePlan()),
      optimized: relative(lf.describeOptimizedPlan()),
    };
  } catch (error) {
    throw fromEngineError(error);
  }
}

/** Schema of the plan's result without running it over the data (sources read with no rows). */
export function planSchema(plan: Plan, ctx: EngineContext): Schema {
  try {
    validated(plan, ctx);
    return frameSchema(buildPlanFrame(plan, ctx, { empty: true }).collectSync());
  } catch (error) {
    throw fromEngineError(error);
  }
}
