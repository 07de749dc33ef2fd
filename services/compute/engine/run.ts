/**
 * Running plans: analyse (analyze.ts), check the limits that need data and run what must
 * run first (prepare.ts), build one LazyFrame, collect it off the event loop, check the
 * result. Every error leaves as a PolaroidError.
 *
 * @module
 */

import { isPeek } from "./peek.ts";
import type pl from "nodejs-polars";
import { LimitExceededError } from "../../../shared/errors.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import type { Schema } from "../../../shared/gen/polaroid/v1/types.ts";
import { analyzePlan, type PlanAnalysis } from "./analyze.ts";
import { frameSchema } from "./dtypes.ts";
import { fromEngineError } from "./errors.ts";
import { buildPlanFrame, type EngineContext } from "./plan.ts";
import { preparePlan } from "./prepare.ts";
import { spillStreaming } from "./streaming.ts";
import { checkEngineDepth } from "./validate.ts";
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

/** Options of the run functions: what the caller's analysis already found. */
export interface AnalyzedOptions {
  /** The plan's analysis (analyzePlan), when the caller made it; made here otherwise. */
  analysis?: PlanAnalysis;
  /** Receives the figures of the checks that read data (milliseconds), for the call's log. */
  notes?: Record<string, number>;
}

/** The plan's analysis, refused when deeper than the engine can plan. */
function analyzed(plan: Plan, ctx: EngineContext, options: AnalyzedOptions): PlanAnalysis {
  const analysis = options.analysis ?? analyzePlan(plan, ctx.limits);
  checkEngineDepth(analysis.shape);
  return analysis;
}

/**
 * The plan's LazyFrame, ready to run: analysed, every limit checked, its pivots and
 * statistical tests run (prepare.ts). `empty` reads its sources with no rows.
 */
export async function buildLazyFrame(
  plan: Plan,
  ctx: EngineContext,
  options: AnalyzedOptions & { mode?: "run" | "schema"; empty?: boolean } = {},
): Promise<pl.LazyDataFrame> {
  const analysis = analyzed(plan, ctx, options);
  const prepared = await preparePlan(analysis, ctx, {
    mode: options.mode ?? "run",
    ...(options.notes ? { notes: options.notes } : {}),
  });
  return buildPlanFrame(plan, ctx, { empty: options.empty ?? false, ran: prepared.ran });
}

/** Options of {@link runPlanHeld}. */
export interface RunOptions extends AnalyzedOptions {
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
  if (options.spillDir === undefined) return await runPlan(plan, ctx, options);
  let spilled: SpilledFrame | undefined;
  try {
    const lf = checkColumns(await buildLazyFrame(plan, ctx, options), ctx);
    spilled = await spillStreaming(lf, options.spillDir);
    checkResult(spilled, ctx);
    return spilled;
  } catch (error) {
    if (spilled) await Deno.remove(spilled.path).catch(() => {});
    throw fromEngineError(error);
  }
}

/**
 * Whether every frame the plan reads is in memory: a peek of those reads no more than its
 * output (see below).
 */
function inMemory(analysis: PlanAnalysis, ctx: EngineContext): boolean {
  return analysis.handleIds.every((id) => !(ctx.frames.get(id) instanceof SpilledFrame));
}

/** Runs the plan: analyse + check limits + build + collect + result limit checks. */
export async function runPlan(
  plan: Plan,
  ctx: EngineContext,
  options: AnalyzedOptions = {},
): Promise<pl.DataFrame> {
  try {
    const analysis = analyzed(plan, ctx, options);
    const lf = checkColumns(await buildLazyFrame(plan, ctx, { ...options, analysis }), ctx);
    // A peek (a slice of at most PEEK_MAX_ROWS rows of frames in memory, with column picks,
    // renames and casts on top) costs what its output does, whatever the size of its input:
    // Polars pushes the slice into the in-memory scan (a zero-copy slice). Measured on a
    // 20M-row frame: tail(10) 0.06 ms, cast + tail(10) 0.23 ms, head(10) 0.55 ms; so it runs
    // on the calling thread, which saves the thread hop (0.08-0.1 ms) of the most frequent
    // small request. Everything else runs off the event loop.
    const peek = isPeek(plan) && inMemory(analysis, ctx) && !ctx.otherEngine;
    const collect = ctx.collect ?? ((run) => run());
    const inMemoryPeek = ctx.peek ?? ((run) => run());
    const df = peek ? inMemoryPeek(() => lf.collectSync()) : await collect(() => lf.collect());
    checkResult(df, ctx);
    return df;
  } catch (error) {
    throw fromEngineError(error);
  }
}

/** The logical and optimised plans as Polars prints them (data root paths made relative). */
export async function explainPlan(
  plan: Plan,
  ctx: EngineContext,
  options: AnalyzedOptions = {},
): Promise<{ logical: string; optimized: string }> {
  try {
    const lf = await buildLazyFrame(plan, ctx, { ...options, mode: "schema" });
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

/**
 * Schema of the plan's result without running it over the data (sources read with no rows;
 * pivots and statistical tests, whose columns depend on the data, run first).
 */
export async function planSchema(
  plan: Plan,
  ctx: EngineContext,
  options: AnalyzedOptions = {},
): Promise<Schema> {
  try {
    const lf = await buildLazyFrame(plan, ctx, { ...options, mode: "schema", empty: true });
    return frameSchema(await lf.collect());
  } catch (error) {
    throw fromEngineError(error);
  }
}
