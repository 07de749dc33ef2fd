/**
 * Dynamic group-by windows: Polars allocates every window between the first and the last
 * index value of each group before it aggregates, so a short `every` over a long span
 * ("1us" over two days: 1.7e11 windows) fails to allocate and aborts the process. The
 * guard measures the span of the data and refuses such plans first.
 *
 * @module
 */

import pl from "nodejs-polars";
import { LimitExceededError } from "../../../shared/errors.ts";
import type { GroupByDynamic } from "../../../shared/gen/polaroid/v1/plan.ts";
import { TimeUnit } from "../../../shared/gen/polaroid/v1/types.ts";
import { DataType_Kind as Kind } from "../../../shared/gen/polaroid/v1/types.ts";
import { fromPolarsType } from "./dtypes.ts";
import { buildExpr } from "./expr.ts";
import { parseDuration, shortestSpan } from "./plan_duration.ts";

/** Most windows one dynamic group-by may allocate (over all its groups) by default (ComputeLimits.maxDynamicWindows). */
export const MAX_DYNAMIC_WINDOWS = 100_000_000;

const UNIT_NANOS: ReadonlyMap<TimeUnit, number> = new Map([
  [TimeUnit.TIME_UNIT_NANOSECONDS, 1],
  [TimeUnit.TIME_UNIT_MICROSECONDS, 1e3],
  [TimeUnit.TIME_UNIT_MILLISECONDS, 1e6],
]);

/** Nanoseconds per unit of an index column's physical values; undefined for integers. */
function unitNanos(dtype: pl.DataType): number | undefined {
  const proto = fromPolarsType(dtype);
  if (proto.kind === Kind.KIND_DATE) return 86_400e9;
  if (proto.kind === Kind.KIND_DATETIME) return UNIT_NANOS.get(proto.timeUnit) ?? 1e3;
  return undefined;
}

/**
 * An upper bound of the windows the group-by allocates over `input`: per group, the span of
 * the index divided by `every`, plus the windows a period overlaps at each end.
 */
export async function countWindows(
  input: pl.LazyDataFrame,
  node: GroupByDynamic,
): Promise<number> {
  const index = pl.col(node.indexColumn);
  const bounds = [index.min().alias("lo"), index.max().alias("hi")];
  const groups = node.by.length > 0
    ? input.groupBy(node.by.map(buildExpr)).agg(...bounds)
    : input.select(...bounds);
  const physical = (name: string) => pl.col(name).cast(pl.Int64).cast(pl.Float64);
  const stats = await groups.select(
    physical("hi").sub(physical("lo")).sum().alias("span"),
    pl.len().alias("groups"),
    pl.col("lo").first().alias("sample"),
  ).collect();
  const unit = unitNanos(stats.getColumn("sample").dtype);
  const step = shortestSpan(parseDuration(node.every, "group_by_dynamic.every"), unit);
  const period = node.period === undefined
    ? step
    : shortestSpan(parseDuration(node.period, "group_by_dynamic.period"), unit);
  const span = Number(stats.getColumn("span").get(0) ?? 0);
  const count = Number(stats.getColumn("groups").get(0) ?? 0);
  if (!(step > 0)) return Infinity;
  return Math.ceil(span / step) + count * (Math.ceil(period / step) + 2);
}

/**
 * Throws LimitExceededError when the group-by could allocate over `limit` windows; returns
 * the bound of its windows (which bounds its output rows).
 */
export async function guardWindows(
  input: pl.LazyDataFrame,
  node: GroupByDynamic,
  limit = MAX_DYNAMIC_WINDOWS,
): Promise<number> {
  const windows = await countWindows(input, node);
  if (windows > limit) {
    throw new LimitExceededError(
      `Cannot group by dynamic windows as 'every' (${
        JSON.stringify(node.every)
      }) must leave at most ${limit} windows over the data: current value is ${windows}`,
      { metadata: { limit: String(limit) } },
    );
  }
  return windows;
}
