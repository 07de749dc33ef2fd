/**
 * The part of the analysis that needs data, run once per call after the handles are
 * resolved and before the engine runs the plan: row bounds from the bottom up (handle
 * heights, file row counts, key multiplicities, generated rows), every limit that can
 * allocate checked on the way (cross joins, many-to-many joins, generated values and bytes,
 * dynamic windows, SQL cross joins), and the nodes whose output depends on the data (pivot,
 * statistical tests) run, off the event loop, once their inputs passed their checks.
 *
 * A bound is computed only where a check needs it: a node's bound is asked for when the node
 * guards a limit (its spec's guards()) or when a node above needs it, so a plan with nothing
 * to bound reads no data here.
 *
 * @module
 */

import type pl from "nodejs-polars";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import type { AnalyzedNode, PlanAnalysis } from "./analyze.ts";
import { heldHeight } from "./frame_access.ts";
import { buildPlanFrame, type EngineContext } from "./plan.ts";
import type { RowContext } from "./nodes/spec.ts";

/** What preparePlan() found and ran. */
export interface PreparedPlan {
  /** Upper bounds of the rows of the nodes whose bound was asked for. */
  rows: ReadonlyMap<Plan, number>;
  /** Results of the nodes that ran before the plan, by node message (for the builder). */
  ran: ReadonlyMap<object, pl.DataFrame>;
  /** Figures of the checks that read data (milliseconds), for the call's log. */
  notes: Readonly<Record<string, number>>;
}

/** Options of {@link preparePlan}. */
export interface PrepareOptions {
  /**
   * "run": every check, for a plan about to run. "schema": only what a schema or an explain
   * needs: the nodes that run before the plan (and the checks below them, whose data they
   * read). @default "run"
   */
  mode?: "run" | "schema";
  /**
   * Receives the figures of the checks that read data (milliseconds), as they are made (a
   * refused plan's too). @default a new record, returned as `notes`
   */
  notes?: Record<string, number>;
}

/** Which nodes have their bound computed, from the top down. */
function evaluated(analysis: PlanAnalysis, mode: "run" | "schema"): boolean[] {
  const nodes = analysis.nodes;
  const needed = new Array<boolean>(nodes.length).fill(false);
  const under = new Array<boolean>(nodes.length).fill(false);
  const evaluate = new Array<boolean>(nodes.length).fill(false);
  nodes.forEach((node, i) => {
    const runs = node.spec.run !== undefined;
    const guard = node.spec.guards?.(node.value, node.facts);
    const checked = mode === "run" || under[i]!;
    evaluate[i] = runs || (checked && (needed[i]! || guard !== undefined));
    const wantsInputs = evaluate[i]! && !runs && (needed[i]! || guard === "rows");
    for (const input of node.inputs) {
      if (wantsInputs) needed[input] = true;
      if (under[i]! || runs) under[input] = true;
    }
  });
  return evaluate;
}

/**
 * Computes the bounds the plan's checks need, checks them (LimitExceededError), and runs
 * its pivots and statistical tests, inputs first.
 */
export async function preparePlan(
  analysis: PlanAnalysis,
  ctx: EngineContext,
  options: PrepareOptions = {},
): Promise<PreparedPlan> {
  const evaluate = evaluated(analysis, options.mode ?? "run");
  const rows = new Map<Plan, number>();
  const ran = new Map<object, pl.DataFrame>();
  const notes: Record<string, number> = options.notes ?? {};
  const build = (p: Plan) => buildPlanFrame(p, ctx, { empty: false, ran });
  const nodes = analysis.nodes;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (!evaluate[i] || rows.has(node.plan)) continue;
    const inputPlans = node.inputs.map((j) => nodes[j]!.plan);
    const rowCtx = rowContext(node, inputPlans, ctx, build, notes);
    if (node.spec.run) {
      const df = await node.spec.run(node.value, build(inputPlans[0]!), rowCtx);
      ran.set(node.value, df);
      rows.set(node.plan, heldHeight(df));
      continue;
    }
    const inputs = inputPlans.map((p) => rows.get(p) ?? NaN);
    rows.set(node.plan, await node.spec.rows(node.value, inputs, rowCtx));
  }
  return { rows, ran, notes };
}

function rowContext(
  node: AnalyzedNode,
  inputs: readonly Plan[],
  ctx: EngineContext,
  build: (plan: Plan) => pl.LazyDataFrame,
  notes: Record<string, number>,
): RowContext {
  return {
    frames: ctx.frames,
    dataRoot: ctx.dataRoot,
    limits: ctx.limits,
    plan: node.plan,
    facts: node.facts,
    input: (index) => build(inputs[index]!),
    build,
    note: (name, value) => {
      notes[name] = Math.round(((notes[name] ?? 0) + value) * 1000) / 1000;
    },
  };
}
