/**
 * Group-by plan nodes: by keys (aggregations, or the head, tail or length of each group),
 * by dynamic time windows and by rolling windows.
 *
 * @module
 */

import type pl from "nodejs-polars";
import type { Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import type {
  GroupBy,
  GroupByDynamic,
  GroupByRolling,
} from "../../../shared/gen/polaroid/v1/plan.ts";
import { buildExpr } from "./expr.ts";
import { CLOSED, GROUP_OUTPUT, LABEL, lookup, START_BY } from "./plan_enums.ts";
import { MAX_ROWS } from "./slice.ts";

function rowsPerGroup(n: bigint): number {
  return Number(n > BigInt(MAX_ROWS) ? BigInt(MAX_ROWS) : n);
}

/** Keys then aggregations; or the first/last `n` rows of each group; or each group's length. */
export function groupBy(lf: pl.LazyDataFrame, node: GroupBy): pl.LazyDataFrame {
  const grouped = lf.groupBy(node.keys.map(buildExpr), node.maintainOrder);
  switch (lookup(GROUP_OUTPUT, node.output, "group_by.output")) {
    case "agg":
      return grouped.agg(...node.aggs.map(buildExpr));
    case "head":
      return grouped.head(rowsPerGroup(node.n));
    case "tail":
      return grouped.tail(rowsPerGroup(node.n));
    case "len":
      return grouped.len();
  }
}

/**
 * Extra grouping keys in the form nodejs-polars' `by` option takes: column names, or the
 * engine's own expressions (its wrapper passes non-string items through unchanged).
 */
function byKeys(by: readonly Expr[]): string[] | undefined {
  if (by.length === 0) return undefined;
  if (by.every((e) => e.kind?.$case === "column")) {
    return by.map((e) => e.kind?.$case === "column" ? e.kind.value.name : "");
  }
  return by.map((e) => buildExpr(e)._expr) as unknown as string[];
}

/** Fixed windows of `every` over the index column, labelled as asked. */
export function groupByDynamic(lf: pl.LazyDataFrame, node: GroupByDynamic): pl.LazyDataFrame {
  const by = byKeys(node.by);
  return lf.groupByDynamic({
    indexColumn: node.indexColumn,
    every: node.every,
    period: node.period ?? node.every,
    offset: node.offset ?? "0ns",
    label: lookup(LABEL, node.label, "group_by_dynamic.label"),
    includeBoundaries: node.includeBoundaries,
    closed: lookup(CLOSED, node.closed, "group_by_dynamic.closed") ?? "left",
    startBy: lookup(START_BY, node.startBy, "group_by_dynamic.start_by"),
    ...(by ? { by } : {}),
  }).agg(...node.aggs.map(buildExpr));
}

/** One window per row, ending at the row's index value (offset -period by default). */
export function groupByRolling(lf: pl.LazyDataFrame, node: GroupByRolling): pl.LazyDataFrame {
  const index = node.indexColumn?.kind;
  const indexColumn = index?.$case === "column" ? index.value.name : "";
  const by = byKeys(node.by);
  return lf.groupByRolling({
    indexColumn,
    period: node.period,
    offset: node.offset ?? `-${node.period}`,
    closed: lookup(CLOSED, node.closed, "group_by_rolling.closed") ?? "right",
    ...(by ? { by } : {}),
  }).agg(...node.aggs.map(buildExpr));
}
