/**
 * Size guards run before a plan reaches the engine (a failed allocation aborts the
 * process): cross joins whose output could exceed `maxCrossJoinRows`, bounded from the
 * rows each node can yield; and dynamic group-bys whose windows could exceed
 * MAX_DYNAMIC_WINDOWS (plan_windows.ts).
 *
 * @module
 */

import pl from "nodejs-polars";
import { LimitExceededError } from "../../../shared/errors.ts";
import { ConcatHow, JoinType, type Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { buildPlanFrame, type EngineContext } from "./plan.ts";
import { guardWindows } from "./plan_windows.ts";
import { scanFile } from "./scan.ts";
import { rangeBound, sliceRange, tailRange } from "./slice.ts";
import { walkPlan } from "./walk.ts";
import { heldHeight } from "./frame_access.ts";

function joinBound(how: JoinType, left: number, right: number): number {
  switch (how) {
    case JoinType.JOIN_TYPE_SEMI:
    case JoinType.JOIN_TYPE_ANTI:
      return left;
    case JoinType.JOIN_TYPE_CROSS:
      return left * right;
    default:
      // Every pair may match, plus unmatched rows of both sides (full join).
      return left * right + left + right;
  }
}

/** Upper bounds of the rows each plan node yields, computed on demand and memoised. */
class RowBounds {
  readonly #ctx: EngineContext;
  readonly #memo = new Map<Plan, Promise<number>>();

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  of(plan: Plan | undefined): Promise<number> {
    if (!plan) return Promise.resolve(0);
    let bound = this.#memo.get(plan);
    if (!bound) {
      bound = this.#compute(plan);
      this.#memo.set(plan, bound);
    }
    return bound;
  }

  async #compute(plan: Plan): Promise<number> {
    const node = plan.node;
    if (!node) return 0;
    switch (node.$case) {
      case "scan": {
        const source = node.value.source;
        if (source?.$case === "handle") {
          const frame = this.#ctx.frames.get(source.value);
          return frame === undefined ? 0 : heldHeight(frame);
        }
        if (source?.$case !== "file") return 0;
        // Counting rows reads Parquet/IPC metadata only; CSV and NDJSON are read through.
        const counted = await scanFile(source.value, this.#ctx.dataRoot).select(pl.len()).collect();
        return Number(counted.getColumn("len").get(0));
      }
      case "select":
        // Aggregates and literals yield one row even from an empty input.
        return Math.max(await this.of(node.value.input), 1);
      case "slice":
        return rangeBound(
          sliceRange(node.value.offset, node.value.length),
          await this.of(node.value.input),
        );
      case "tail":
        return rangeBound(tailRange(node.value.n), await this.of(node.value.input));
      case "join": {
        const [left, right] = await Promise.all([
          this.of(node.value.left),
          this.of(node.value.right),
        ]);
        return joinBound(node.value.how, left, right);
      }
      case "joinAsof":
        return await this.of(node.value.left);
      case "concat": {
        const parts = await Promise.all(node.value.inputs.map((p) => this.of(p)));
        return node.value.how === ConcatHow.CONCAT_HOW_HORIZONTAL
          ? Math.max(0, ...parts)
          : parts.reduce((a, b) => a + b, 0);
      }
      case "unpivot": {
        // One row per input row and `on` column (every other column when `on` is empty).
        const rows = await this.of(node.value.input);
        return node.value.on.length > 0 ? rows * node.value.on.length : Infinity;
      }
      case "explode":
      case "groupByDynamic":
      case "sql":
        // Exploded lists, overlapping windows and SQL may yield more rows than they read.
        return Infinity;
      default:
        // Filter, with_columns, sort, group_by (agg, head, tail, len), unique, drop, rename,
        // cast, pivot, rolling windows, row indexes, null drops, unnest, cache: at most the
        // input.
        return await this.of(node.value.input);
    }
  }
}

/**
 * Throws LimitExceededError when a cross join of the plan could yield more than
 * `ctx.limits.maxCrossJoinRows` rows (left rows × right rows, bounded from handle heights,
 * file row counts, slices and tails).
 */
export async function guardCrossJoins(plan: Plan, ctx: EngineContext): Promise<void> {
  const bounds = new RowBounds(ctx);
  const limit = ctx.limits.maxCrossJoinRows;
  for (const node of walkPlan(plan)) {
    if (node.node?.$case !== "join" || node.node.value.how !== JoinType.JOIN_TYPE_CROSS) continue;
    const [left, right] = await Promise.all([
      bounds.of(node.node.value.left),
      bounds.of(node.node.value.right),
    ]);
    if (left * right > limit) {
      throw new LimitExceededError(
        `Cannot cross join ${left} × ${right} rows as the result must have at most ${limit} rows: current value is ${
          left * right
        }`,
        { metadata: { limit: String(limit) } },
      );
    }
  }
}

/**
 * Throws LimitExceededError when a dynamic group-by of the plan could allocate more than
 * MAX_DYNAMIC_WINDOWS windows. Measures the span of each one's index column over its input
 * (which runs that input once more, without the sorts on top of it: a span does not depend
 * on row order, and sorting 100M ticks again took seconds).
 */
export async function guardDynamicWindows(plan: Plan, ctx: EngineContext): Promise<void> {
  for (const node of walkPlan(plan)) {
    if (node.node?.$case !== "groupByDynamic" || !node.node.value.input) continue;
    const input = buildPlanFrame(unsorted(node.node.value.input), ctx, { empty: false });
    await guardWindows(input, node.node.value);
  }
}

/** The plan without the sort nodes at its top (the same rows in another order). */
export function unsorted(plan: Plan): Plan {
  let top = plan;
  while (top.node?.$case === "sort" && top.node.value.input) top = top.node.value.input;
  return top;
}

/** Every size guard of a plan: cross joins, then dynamic windows. */
export async function guardPlanSizes(plan: Plan, ctx: EngineContext): Promise<void> {
  await guardCrossJoins(plan, ctx);
  await guardDynamicWindows(plan, ctx);
}
