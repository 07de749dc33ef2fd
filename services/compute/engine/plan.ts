/**
 * Plans: one proto Plan tree → ONE nodejs-polars LazyFrame, so Polars optimises the whole
 * query (predicate and projection pushdown into scans). Each node's builder lives beside
 * this file (plan_join.ts, plan_group.ts, plan_reshape.ts, plan_pivot.ts).
 *
 * @module
 */

import pl from "nodejs-polars";
import type { ComputeLimits } from "../../../shared/config.ts";
import { InvalidPlanError, UnimplementedError } from "../../../shared/errors.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { toPolarsType } from "./dtypes.ts";
import { buildExpr } from "./expr.ts";
import { groupBy, groupByDynamic, groupByRolling } from "./plan_group.ts";
import { join, joinAsof } from "./plan_join.ts";
import { pivotLazy } from "./plan_pivot.ts";
import { statTestLazy } from "./plan_stat_tests.ts";
import { concat, dropNulls, explode, unnest, unpivot, withRowIndex } from "./plan_reshape.ts";
import { KEEP, lookup } from "./plan_enums.ts";
import { buildScan, type ScanSources } from "./scan.ts";
import { applyRange, sliceRange, tailRange } from "./slice.ts";
import { buildSql } from "./sql.ts";
import { checkEngineDepth, inspectPlan } from "./validate.ts";
import type { Held } from "./frame_access.ts";

export { DEFAULT_JOIN_SUFFIX } from "./plan_join.ts";

/** What a plan runs against. */
export interface EngineContext {
  /** Frames of the handles the plan references (the caller resolved them). */
  frames: ReadonlyMap<string, Held>;
  /** Absolute, real path of the data root; scans must stay inside it. */
  dataRoot: string;
  limits: ComputeLimits;
}

/** Options of the internal builder. */
export interface BuildOptions {
  /** Read every source with no rows (the result has the plan's schema and no data). */
  empty: boolean;
}

function missingInput(node: string): InvalidPlanError {
  return new InvalidPlanError(
    `Cannot run the plan as '${node}.input' must be set: current value is unset`,
  );
}

/**
 * The LazyFrame of a plan already validated (see validate.ts): recursion is bounded by
 * ENGINE_MAX_DEPTH. A pivot collects its input here (its columns depend on the data), even
 * when `options.empty` asks for the schema only.
 */
export function buildPlanFrame(
  plan: Plan,
  sources: ScanSources,
  options: BuildOptions,
): pl.LazyDataFrame {
  const node = plan.node;
  if (!node) {
    throw new InvalidPlanError("Cannot run the plan as 'node' must be set: current value is unset");
  }
  const input = (p: Plan | undefined, name: string, opts = options) => {
    if (!p) throw missingInput(name);
    return buildPlanFrame(p, sources, opts);
  };
  switch (node.$case) {
    case "scan":
      return buildScan(node.value, sources, options);
    case "filter": {
      if (!node.value.predicate) {
        throw new InvalidPlanError(
          "Cannot filter as 'predicate' must be set: current value is unset",
        );
      }
      return input(node.value.input, "filter").filter(buildExpr(node.value.predicate));
    }
    case "select":
      return input(node.value.input, "select").select(node.value.exprs.map(buildExpr));
    case "withColumns":
      return input(node.value.input, "with_columns").withColumns(
        ...node.value.exprs.map(buildExpr),
      );
    case "sort": {
      const { by, descending, nullsLast, maintainOrder } = node.value;
      const desc = descending.length === 0
        ? false
        : descending.length === 1
        ? descending[0]!
        : descending;
      return input(node.value.input, "sort").sort(
        by.map(buildExpr),
        desc,
        nullsLast,
        maintainOrder,
      );
    }
    case "slice":
      return applyRange(
        input(node.value.input, "slice"),
        sliceRange(node.value.offset, node.value.length),
      );
    case "tail":
      return applyRange(input(node.value.input, "tail"), tailRange(node.value.n));
    case "groupBy":
      return groupBy(input(node.value.input, "group_by"), node.value);
    case "join":
      return join(
        input(node.value.left, "join.left"),
        input(node.value.right, "join.right"),
        node.value,
      );
    case "unique": {
      const subset = node.value.subset.length > 0 ? node.value.subset : undefined;
      return input(node.value.input, "unique").unique({
        ...(subset ? { subset } : {}),
        keep: lookup(KEEP, node.value.keep, "unique.keep"),
        maintainOrder: node.value.maintainOrder,
      });
    }
    case "drop":
      return input(node.value.input, "drop").drop(node.value.columns);
    case "rename":
      return input(node.value.input, "rename").rename(node.value.mapping);
    case "cast": {
      const { dtypes, strict } = node.value;
      const lf = input(node.value.input, "cast");
      const casts = Object.entries(dtypes).map(([column, dtype]) =>
        pl.col(column).cast(toPolarsType(dtype), strict)
      );
      return casts.length === 0 ? lf : lf.withColumns(...casts);
    }
    case "explode":
      return explode(input(node.value.input, "explode"), node.value);
    case "unpivot":
      return unpivot(input(node.value.input, "unpivot"), node.value);
    case "concat":
      return concat(
        node.value.inputs.map((p, i) => input(p, `concat.inputs[${i}]`)),
        node.value,
      );
    case "withRowIndex":
      return withRowIndex(input(node.value.input, "with_row_index"), node.value);
    case "dropNulls":
      return dropNulls(input(node.value.input, "drop_nulls"), node.value);
    case "unnest":
      return unnest(input(node.value.input, "unnest"), node.value);
    case "cache":
      return input(node.value.input, "cache").cache();
    case "pivot": {
      const pivoted = pivotLazy(input(node.value.input, "pivot", { empty: false }), node.value);
      return options.empty ? pivoted.head(0) : pivoted;
    }
    case "statTest": {
      const input_ = input(node.value.input, "stat_test", { empty: false });
      const result = statTestLazy(input_, node.value);
      return options.empty ? result.head(0) : result;
    }
    case "groupByDynamic":
      return groupByDynamic(input(node.value.input, "group_by_dynamic"), node.value);
    case "groupByRolling":
      return groupByRolling(input(node.value.input, "group_by_rolling"), node.value);
    case "joinAsof":
      return joinAsof(
        input(node.value.left, "join_asof.left"),
        input(node.value.right, "join_asof.right"),
        node.value,
      );
    case "sql":
      return buildSql(node.value, sources, (p) => input(p, "sql.tables"));
    default:
      throw new UnimplementedError(
        `Cannot run the plan as its '${
          (node as { $case: string }).$case
        }' node is not implemented yet`,
      );
  }
}

/**
 * Builds ONE LazyFrame for the whole plan (so Polars pushes predicates/projections into
 * scans). Validates the plan first (ctx.limits, and the depth the engine can plan).
 */
export function buildLazyFrame(plan: Plan, ctx: EngineContext): pl.LazyDataFrame {
  checkEngineDepth(inspectPlan(plan, ctx.limits));
  return buildPlanFrame(plan, ctx, { empty: false });
}
