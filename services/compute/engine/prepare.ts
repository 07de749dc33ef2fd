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
 * to bound reads no data here. A CSV or NDJSON file is bounded by its size first (no file
 * has more rows than bytes); its rows are counted only when a check fails on that bound.
 *
 * @module
 */

import type pl from "nodejs-polars";
import { LimitExceededError } from "../../../shared/errors.ts";
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
  // Bounds that come from a CSV or NDJSON file's size rather than its rows (counting them
  // reads the whole file): exact only when a check fails on them.
  const loose = new Array<boolean>(nodes.length).fill(false);
  const end = new Array<number>(nodes.length).fill(0);
  const bound = async (i: number, exactFiles: boolean) => {
    const node = nodes[i]!;
    const inputPlans = node.inputs.map((j) => nodes[j]!.plan);
    const rowCtx = rowContext(node, inputPlans, ctx, { build, notes, exactFiles });
    const inputs = inputPlans.map((p) => rows.get(p) ?? NaN);
    return await node.spec.rows(node.value, inputs, rowCtx);
  };
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    end[i] = node.inputs.length > 0 ? end[node.inputs.at(-1)!]! : i;
    if (!evaluate[i] || rows.has(node.plan)) continue;
    if (node.spec.run) {
      const inputPlan = nodes[node.inputs[0]!]!.plan;
      const rowCtx = rowContext(node, [inputPlan], ctx, { build, notes, exactFiles: true });
      const df = await node.spec.run(node.value, build(inputPlan), rowCtx);
      ran.set(node.value, df);
      rows.set(node.plan, heldHeight(df));
      continue;
    }
    loose[i] = (node.spec.loose?.(node.value) ?? false) || node.inputs.some((j) => loose[j]);
    try {
      rows.set(node.plan, await bound(i, false));
    } catch (error) {
      if (!(error instanceof LimitExceededError) || !node.inputs.some((j) => loose[j])) throw error;
      // Refused on a file's size: the bounds below, from the files' rows, then once more.
      for (let j = end[i]!; j > i; j--) {
        if (evaluate[j] && loose[j]) rows.set(nodes[j]!.plan, await bound(j, true));
        loose[j] = false;
      }
      rows.set(node.plan, await bound(i, true));
      loose[i] = false;
    }
  }
  return { rows, ran, notes };
}

function rowContext(
  node: AnalyzedNode,
  inputs: readonly Plan[],
  ctx: EngineContext,
  how: {
    build: (plan: Plan) => pl.LazyDataFrame;
    notes: Record<string, number>;
    exactFiles: boolean;
  },
): RowContext {
  return {
    frames: ctx.frames,
    dataRoot: ctx.dataRoot,
    limits: ctx.limits,
    plan: node.plan,
    facts: node.facts,
    exactFiles: how.exactFiles,
    input: (index) => how.build(inputs[index]!),
    build: how.build,
    note: (name, value) => {
      how.notes[name] = Math.round(((how.notes[name] ?? 0) + value) * 1000) / 1000;
    },
  };
}
