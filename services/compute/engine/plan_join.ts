/**
 * Join plan nodes: equi-joins (inner, left, full, semi, anti, cross) and as-of joins.
 *
 * @module
 */

import type pl from "nodejs-polars";
import type { LazyDifferentNameColumnJoinOptions } from "nodejs-polars";
import type { Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { Join, JoinAsof } from "../../../shared/gen/polaroid/v1/plan.ts";
import { buildExpr } from "./expr.ts";
import { ASOF_STRATEGY, JOIN_HOW, JOIN_ORDER, lookup } from "./plan_enums.ts";

/** Suffix of clashing right-hand column names when a join names none (nodejs-polars'). */
export const DEFAULT_JOIN_SUFFIX = "right";
/** ... and when an as-of join names none (nodejs-polars' joinAsof default). */
export const DEFAULT_ASOF_SUFFIX = "_right";

function isColumn(expr: Expr): boolean {
  return expr.kind?.$case === "column";
}

/** An equi-join (or a cross join). */
export function join(
  left: pl.LazyDataFrame,
  right: pl.LazyDataFrame,
  node: Join,
): pl.LazyDataFrame {
  const how = lookup(JOIN_HOW, node.how, "join.how");
  const suffix = node.suffix ?? DEFAULT_JOIN_SUFFIX;
  // "none" is Polars' default: the rows come in the engine's order, which the streaming
  // engine does not keep from run to run.
  const maintainOrder = lookup(JOIN_ORDER, node.maintainOrder, "join.maintain_order");
  if (how === "cross") return left.join(right, { how, suffix, maintainOrder });
  // Unset, coalescing is Polars' default for the join type (inner and left merge the keys,
  // full keeps both). Polars cannot coalesce expression keys (it warns on stderr and does
  // not, in-process too): only plain column keys take the plan's choice.
  const plainKeys = [...node.leftOn, ...node.rightOn].every(isColumn);
  const coalesce = plainKeys ? node.coalesce : false;
  const options = {
    how,
    suffix,
    leftOn: node.leftOn.map(buildExpr),
    rightOn: node.rightOn.map(buildExpr),
    maintainOrder,
    ...(coalesce === undefined ? {} : { coalesce }),
  };
  // The typings name join keys by column name only; the runtime takes expressions too.
  return left.join(right, options as unknown as LazyDifferentNameColumnJoinOptions);
}

/**
 * Joins each left row to the nearest right row by key (backward, forward or nearest),
 * within a numeric or duration tolerance, optionally within equal `by` groups.
 */
export function joinAsof(
  left: pl.LazyDataFrame,
  right: pl.LazyDataFrame,
  node: JoinAsof,
): pl.LazyDataFrame {
  const tolerance = node.tolerance?.value;
  return left.joinAsof(right, {
    leftOn: node.leftOn,
    rightOn: node.rightOn,
    ...(node.byLeft.length > 0 ? { byLeft: node.byLeft, byRight: node.byRight } : {}),
    strategy: lookup(ASOF_STRATEGY, node.strategy, "join_asof.strategy"),
    suffix: node.suffix === "" ? DEFAULT_ASOF_SUFFIX : node.suffix,
    ...(tolerance === undefined ? {} : { tolerance }),
    allowExactMatches: node.allowExactMatches ?? true,
    checkSortedness: node.checkSortedness,
    coalesce: node.coalesce,
  });
}
