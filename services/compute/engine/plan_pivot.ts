/**
 * Pivot (long to wide). Its output columns depend on the data, so it runs eagerly: the
 * input is collected, pivoted as nodejs-polars' DataFrame.pivot does (through the frame's
 * native object, see frame_access.ts), and the result continues the plan as a LazyFrame.
 * The output is bounded before it is allocated.
 *
 * @module
 */

import pl from "nodejs-polars";
import { LimitExceededError } from "../../../shared/errors.ts";
import type { Pivot } from "../../../shared/gen/polaroid/v1/plan.ts";
import { frameColumns, frameHeight, frameLazy, framePivot } from "./frame_access.ts";
import { lookup, PIVOT_AGG } from "./plan_enums.ts";

/** Most columns a pivot may produce (index columns included). */
export const MAX_PIVOT_COLUMNS = 10_000;

/** Most cells (output rows × output columns) a pivot may produce. */
export const MAX_PIVOT_CELLS = 200_000_000;

/** Rows of `df` with distinct values in `columns`. */
function distinct(df: pl.DataFrame, columns: readonly string[]): number {
  return frameHeight(frameLazy(df).select(...columns).unique().collectSync());
}

function refuse(what: string, limit: number, value: number): never {
  throw new LimitExceededError(
    `Cannot pivot as the result must have at most ${limit} ${what}: current value is ${value}`,
    { metadata: { limit: String(limit) } },
  );
}

/**
 * Pivots the collected input. Empty `values` means every column not in `index` or `on`;
 * empty `index` every column not in `values` or `on`. Throws LimitExceededError when the
 * result would exceed MAX_PIVOT_COLUMNS columns or MAX_PIVOT_CELLS cells.
 */
export function pivotFrame(df: pl.DataFrame, node: Pivot): pl.DataFrame {
  const aggregateFunc = lookup(PIVOT_AGG, node.aggregate, "pivot.aggregate");
  const rest = (skip: readonly string[]) => frameColumns(df).filter((c) => !skip.includes(c));
  const values = node.values.length > 0 ? node.values : rest([...node.index, ...node.on]);
  const index = node.index.length > 0 ? node.index : rest([...node.values, ...node.on]);
  const columns = index.length + Math.max(values.length, 1) * distinct(df, node.on);
  if (columns > MAX_PIVOT_COLUMNS) refuse("columns", MAX_PIVOT_COLUMNS, columns);
  const cells = columns * distinct(df, index);
  if (cells > MAX_PIVOT_CELLS) refuse("cells", MAX_PIVOT_CELLS, cells);
  return framePivot(df, {
    values,
    index,
    on: node.on,
    aggregate: aggregateFunc,
    maintainOrder: node.maintainOrder,
    sortColumns: node.sortColumns,
    separator: node.separator ?? "_",
  });
}

/** The pivot of a lazy input (collected here, on the calling thread). */
export function pivotLazy(input: pl.LazyDataFrame, node: Pivot): pl.LazyDataFrame {
  return frameLazy(pivotFrame(input.collectSync(), node));
}
