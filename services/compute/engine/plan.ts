/**
 * Plans: one proto Plan tree → ONE nodejs-polars LazyFrame, so Polars optimises the whole
 * query (predicate and projection pushdown into scans).
 *
 * @module
 */

import pl, { type LazyDifferentNameColumnJoinOptions } from "nodejs-polars";
import type { ComputeLimits } from "../../../shared/config.ts";
import { InvalidPlanError, UnimplementedError } from "../../../shared/errors.ts";
import type { Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import {
  type Join,
  JoinType,
  type Plan,
  UniqueKeep,
} from "../../../shared/gen/polaroid/v1/plan.ts";
import { toPolarsType } from "./dtypes.ts";
import { buildExpr } from "./expr.ts";
import { buildScan, type ScanSources } from "./scan.ts";
import { applyRange, sliceRange, tailRange } from "./slice.ts";
import { checkEngineDepth, inspectPlan } from "./validate.ts";

/** What a plan runs against. */
export interface EngineContext {
  /** Frames of the handles the plan references (the caller resolved them). */
  frames: ReadonlyMap<string, pl.DataFrame>;
  /** Absolute, real path of the data root; scans must stay inside it. */
  dataRoot: string;
  limits: ComputeLimits;
}

/** Options of the internal builder. */
export interface BuildOptions {
  /** Read every source with no rows (the result has the plan's schema and no data). */
  empty: boolean;
}

type How = "inner" | "left" | "full" | "semi" | "anti" | "cross";

const JOIN_HOW: ReadonlyMap<JoinType, How> = new Map<JoinType, How>([
  [JoinType.JOIN_TYPE_UNSPECIFIED, "inner"],
  [JoinType.JOIN_TYPE_INNER, "inner"],
  [JoinType.JOIN_TYPE_LEFT, "left"],
  [JoinType.JOIN_TYPE_FULL, "full"],
  [JoinType.JOIN_TYPE_SEMI, "semi"],
  [JoinType.JOIN_TYPE_ANTI, "anti"],
  [JoinType.JOIN_TYPE_CROSS, "cross"],
]);

type Keep = "any" | "first" | "last" | "none";

const KEEP: ReadonlyMap<UniqueKeep, Keep> = new Map<UniqueKeep, Keep>([
  [UniqueKeep.UNIQUE_KEEP_UNSPECIFIED, "any"],
  [UniqueKeep.UNIQUE_KEEP_ANY, "any"],
  [UniqueKeep.UNIQUE_KEEP_FIRST, "first"],
  [UniqueKeep.UNIQUE_KEEP_LAST, "last"],
  [UniqueKeep.UNIQUE_KEEP_NONE, "none"],
]);

/** Suffix of clashing right-hand columns when the plan names none. */
export const DEFAULT_JOIN_SUFFIX = "_right";

function missingInput(node: string): InvalidPlanError {
  return new InvalidPlanError(
    `Cannot run the plan as '${node}.input' must be set: current value is unset`,
  );
}

function isColumn(expr: Expr): boolean {
  return expr.kind?.$case === "column";
}

function join(left: pl.LazyDataFrame, right: pl.LazyDataFrame, node: Join): pl.LazyDataFrame {
  const how = JOIN_HOW.get(node.how);
  if (!how) {
    throw new InvalidPlanError(
      `Cannot join as 'how' must be a known join type: current value is ${node.how}`,
    );
  }
  const suffix = node.suffix === "" ? DEFAULT_JOIN_SUFFIX : node.suffix;
  if (how === "cross") return left.join(right, { how, suffix });
  // Polars coalesces inner and left join keys by default, and cannot coalesce expression
  // keys (it warns on stderr and does not): only plain column keys take the plan's choice.
  const plainKeys = [...node.leftOn, ...node.rightOn].every(isColumn);
  const coalesce = !plainKeys ? false : how === "full" ? node.coalesce : undefined;
  const options = {
    how,
    suffix,
    leftOn: node.leftOn.map(buildExpr),
    rightOn: node.rightOn.map(buildExpr),
    ...(coalesce === undefined ? {} : { coalesce }),
  };
  // The typings name join keys by column name only; the runtime takes expressions too.
  return left.join(right, options as unknown as LazyDifferentNameColumnJoinOptions);
}

/**
 * The LazyFrame of a plan already validated (see validate.ts): recursion is bounded by
 * ENGINE_MAX_DEPTH.
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
  const input = (p: Plan | undefined, name: string) => {
    if (!p) throw missingInput(name);
    return buildPlanFrame(p, sources, options);
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
    case "groupBy": {
      const { keys, aggs, maintainOrder } = node.value;
      return input(node.value.input, "group_by")
        .groupBy(keys.map(buildExpr), maintainOrder)
        .agg(...aggs.map(buildExpr));
    }
    case "join":
      return join(
        input(node.value.left, "join.left"),
        input(node.value.right, "join.right"),
        node.value,
      );
    case "unique": {
      const keep = KEEP.get(node.value.keep);
      if (!keep) {
        throw new InvalidPlanError(
          `Cannot run unique as 'keep' must be known: current value is ${node.value.keep}`,
        );
      }
      const subset = node.value.subset.length > 0 ? node.value.subset : undefined;
      return input(node.value.input, "unique").unique({
        ...(subset ? { subset } : {}),
        keep,
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
    default:
      throw new UnimplementedError(
        `Cannot run the plan as its '${node.$case}' node is not implemented yet`,
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
