/**
 * Aligning time series in time, per symbol: lag and lead by a duration (the value as of an
 * earlier or later instant), asof joins with kdb+'s aj/aj0 and linear or time-weighted
 * interpolation between the surrounding right rows, forward fill bounded by rows or by age,
 * and upsampling to a regular grid. Compositions of plan nodes the server already runs.
 *
 * @module
 */

import { DataType } from "../datatypes.ts";
import type { Expr } from "../expr/expr.ts";
import { col, format, intRanges, lit } from "../functions.ts";
import { concatFrames, type LazyQuery } from "../frame/lazy_query.ts";
import type { AsofStrategyName } from "../plan/plan_join.ts";
import { when } from "../when.ts";
import { perGroup } from "./per_group.ts";

/** How an asof join fills right values between right rows. */
export type AsofInterpolation = "linear" | "time";

/** Options of `asofJoin()`. */
export interface AsofJoinOptions {
  /**
   * The right row at or before each left instant ("backward", kdb+ aj), at or after it
   * ("forward"), or the nearer of both ("nearest"; equally near: the later). Among right rows
   * sharing an instant, "backward" and "nearest" take the last, "forward" the first (Python
   * Polars' join_asof). @default "backward"
   */
  strategy?: AsofStrategyName;
  /** Farthest match, a duration ("5s"). @default none */
  tolerance?: string;
  /** Also match equal instants. @default true */
  allowExactMatches?: boolean;
  /** Appended to clashing right column names. @default "_right" */
  suffix?: string;
  /** Add the matched right row's instant under this name (kdb+ aj0 shows it). @default none */
  rightIndex?: string;
  /** The right columns to bring. @default all but the index and symbols (needs `interpolate` to know them) */
  columns?: string[];
  /**
   * Instead of the last (or next) right row: right values interpolated between the right
   * rows around each left instant, "time" weighted by the distance in time, "linear" by
   * position in the merged sequence of distinct instants (pandas' methods). Right columns
   * must be numeric; outside a symbol's right rows the values are null. @default none
   */
  interpolate?: AsofInterpolation;
}

/** Options of `fillForward()`. */
export interface FillForwardOptions {
  /** @default every column but the index and symbols */
  columns?: string[];
  /** At most this many consecutive rows filled after a value. @default no limit */
  limit?: number;
  /** Only from a value at most this old ("5m"). @default no limit */
  maxAge?: string;
}

/** How `upsample()` fills the new rows. */
export type UpsampleFill = "null" | "forward" | "linear" | "time";

/** Options of `upsample()`. */
export interface UpsampleOptions {
  /** The grid step from each symbol's first instant: a fixed duration ("1m", "1h", "1d"). */
  every: string;
  /** @default "null" */
  fill?: UpsampleFill;
  /** Most rows the grid may add (all symbols). @default 10,000,000 */
  maxRows?: number;
}

/** The most rows `upsample()` may lay out. */
export const MAX_UPSAMPLE_ROWS = 10_000_000;

function fail(name: string, must: string, value: unknown): never {
  throw new TypeError(
    `Cannot align a time series as '${name}' must be ${must}: current value is ${
      JSON.stringify(value) ?? String(value)
    }`,
  );
}

const FIXED_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86400e9,
  w: 604800e9,
};

/** A fixed (not calendar) positive duration in nanoseconds; a day is 24 hours. */
export function fixedDuration(name: string, value: unknown): number {
  if (typeof value !== "string" || !/^(\d+(ns|us|ms|s|m|h|d|w))+$/.test(value)) {
    fail(name, 'a fixed duration such as "30s", "5m", "1h" or "1d"', value);
  }
  let total = 0;
  for (const m of value.matchAll(/(\d+)(ns|us|ms|s|m|h|d|w)/g)) {
    total += Number(m[1]) * FIXED_NS[m[2]!]!;
  }
  if (!(total > 0) || !Number.isSafeInteger(total)) fail(name, "a positive duration", value);
  return total;
}

/**
 * Each column's value as of `duration` earlier ("lag") or later ("lead") in its symbol: the
 * last row at or before t − duration (the first at or after t + duration for lead), as new
 * columns `<column>_<lag|lead>_<duration>`.
 */
export function shiftByTime<L extends LazyQuery<L, unknown>>(
  lf: L,
  index: string,
  by: string[],
  columns: string[],
  duration: string,
  direction: "lag" | "lead",
): L {
  fixedDuration("by", duration);
  if (columns.length === 0) fail("columns", "at least one column", columns);
  const shift = direction === "lag" ? `-${duration}` : duration;
  const left = lf.withColumns(col(index).dt.offsetBy(shift).alias("_at"));
  const right = lf.select(
    ...by,
    col(index).alias("_at"),
    ...columns.map((c) => col(c).alias(`${c}_${direction}_${duration}`)),
  );
  return left.joinAsof(right, {
    on: "_at",
    ...(by.length === 0 ? {} : { by }),
    strategy: direction === "lag" ? "backward" : "forward",
    checkSortedness: false,
  }).drop("_at");
}

/** An asof join of two series with the same index and symbol columns. */
export function asofJoin<L extends LazyQuery<L, unknown>>(
  left: L,
  right: L,
  index: string,
  by: string[],
  options: AsofJoinOptions,
): L {
  if (typeof options !== "object" || options === null) fail("options", "an object", options);
  if (options.interpolate !== undefined) return interpolated(left, right, index, by, options);
  if (options.tolerance !== undefined) fixedDuration("tolerance", options.tolerance);
  const source = options.rightIndex === undefined
    ? right
    : right.withColumns(col(index).alias(options.rightIndex));
  return left.joinAsof(source, {
    on: index,
    ...(by.length === 0 ? {} : { by }),
    strategy: options.strategy ?? "backward",
    ...(options.tolerance === undefined ? {} : { tolerance: options.tolerance }),
    allowExactMatches: options.allowExactMatches ?? true,
    ...(options.suffix === undefined ? {} : { suffix: options.suffix }),
    checkSortedness: false,
  });
}

function interpolated<L extends LazyQuery<L, unknown>>(
  left: L,
  right: L,
  index: string,
  by: string[],
  options: AsofJoinOptions,
): L {
  const method = options.interpolate;
  if (method !== "linear" && method !== "time") fail("interpolate", '"linear" or "time"', method);
  for (const other of ["strategy", "tolerance", "allowExactMatches", "rightIndex"] as const) {
    if (options[other] !== undefined) fail(other, "unset with interpolate", options[other]);
  }
  const columns = options.columns;
  if (!Array.isArray(columns) || columns.length === 0) {
    fail("columns", "the right's numeric columns to interpolate", columns);
  }
  const key = [...by, index];
  // The right's last row per instant (as kdb+), then the left instants it lacks.
  const rows = right.select(...key, ...columns)
    .unique({ subset: key, keep: "last", maintainOrder: true });
  const gaps = left.select(...key).unique({ subset: key, maintainOrder: true })
    .join(rows.select(...key), { on: key, how: "anti" });
  const merged = concatFrames([rows, gaps], { how: "diagonal" })
    .sort({ by: key, maintainOrder: true })
    .withColumns(col(index).cast(DataType.Int64).cast(DataType.Float64).alias("_x"))
    .withColumns(...columns.map((name) => interpolate(col(name), method, by).alias(name)))
    .drop("_x");
  // kdb+ aj keeps the left rows in order: the join is asked to (the streaming engine would not).
  return left.join(merged, {
    on: key,
    how: "left",
    suffix: options.suffix ?? "_right",
    maintainOrder: "left",
  });
}

/**
 * Linear by position (Polars' interpolate) or by time (`_x`, the instant as a number)
 * between the known values; null outside them.
 */
function interpolate(values: Expr, method: AsofInterpolation, by: string[]): Expr {
  if (method === "linear") return perGroup(values.interpolate("linear"), by);
  const x = col("_x");
  const known = values.isNotNull();
  const x0 = perGroup(when(known).then(x).otherwise(null).forwardFill(), by);
  const x1 = perGroup(when(known).then(x).otherwise(null).backwardFill(), by);
  const v0 = perGroup(values.forwardFill(), by);
  const v1 = perGroup(values.backwardFill(), by);
  return when(known).then(values)
    .when(x1.eq(x0)).then(v0)
    .otherwise(v0.add(v1.sub(v0).mul(x.sub(x0).div(x1.sub(x0)))));
}

/** Forward fill per symbol, bounded by a number of rows and/or by the age of the value. */
export function fillForwardExprs(
  index: string,
  by: string[],
  columns: string[],
  options: FillForwardOptions,
): Expr[] {
  const limit = options.limit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    fail("limit", "a non-negative integer", limit);
  }
  if (options.maxAge !== undefined) fixedDuration("maxAge", options.maxAge);
  return columns.map((name) => {
    const c = col(name);
    let ok: Expr = lit(true);
    if (limit !== undefined) {
      const row = perGroup(col(index).cumCount(), by);
      const last = perGroup(when(c.isNotNull()).then(row).otherwise(null).forwardFill(), by);
      ok = ok.and(row.sub(last).ltEq(limit));
    }
    if (options.maxAge !== undefined) {
      const seen = perGroup(
        when(c.isNotNull()).then(col(index)).otherwise(null).forwardFill(),
        by,
      );
      ok = ok.and(seen.dt.offsetBy(options.maxAge).gtEq(col(index)));
    }
    return when(c.isNull().and(ok)).then(perGroup(c.forwardFill(), by)).otherwise(c).alias(name);
  });
}

/**
 * A row at every `every` from each symbol's first instant to its last, merged with the
 * existing rows (none is dropped, also those between grid points), filled as `fill` says.
 */
export function upsample<L extends LazyQuery<L, unknown>>(
  lf: L,
  index: string,
  by: string[],
  values: string[],
  options: UpsampleOptions,
): L {
  if (typeof options !== "object" || options === null) fail("options", "an object", options);
  const step = fixedDuration("every", options.every);
  const fill = options.fill ?? "null";
  if (!["null", "forward", "linear", "time"].includes(fill)) {
    fail("fill", '"null", "forward", "linear" or "time"', fill);
  }
  const maxRows = options.maxRows ?? MAX_UPSAMPLE_ROWS;
  if (!Number.isSafeInteger(maxRows) || maxRows < 1 || maxRows > MAX_UPSAMPLE_ROWS) {
    fail("maxRows", `an integer from 1 to ${MAX_UPSAMPLE_ROWS}`, maxRows);
  }
  const spanAggs = [col(index).min().alias("_lo"), col(index).max().alias("_hi")];
  const spans = by.length === 0 ? lf.select(...spanAggs) : lf.groupBy(by).agg(...spanAggs);
  const points = col("_hi").dt.epoch("ns").sub(col("_lo").dt.epoch("ns")).div(step).floor()
    .add(1).cast(DataType.Int64);
  const message = format(
    `Cannot upsample as the grid must have at most ${maxRows} rows (maxRows): current value is {}`,
    col("_points").sum(),
  );
  const guard = when(col("_points").sum().ltEq(maxRows)).then(lit("0")).otherwise(message)
    .cast(DataType.Int64, true);
  const grid = spans.withColumns(points.alias("_points"))
    .withColumns(intRanges(0, col("_points").add(guard)).alias("_k"))
    .explode("_k")
    .select(
      ...by,
      col("_lo").add(col("_k").mul(step).cast(DataType.Duration("ns"))).alias(index),
    );
  const key = [...by, index];
  const fresh = grid.join(lf.select(...key), { on: key, how: "anti" })
    .unique({ subset: key, maintainOrder: true });
  const merged = concatFrames([lf.withColumns(lit(true).alias("_known")), fresh], {
    how: "diagonal",
  })
    .sort({ by: key, maintainOrder: true });
  if (fill === "null" || values.length === 0) return merged.drop("_known");
  const filled = values.map((name) => {
    const c = col(name);
    const value = fill === "forward"
      ? perGroup(c.forwardFill(), by)
      : interpolate(c, fill === "linear" ? "linear" : "time", by);
    return when(col("_known").isNull()).then(value).otherwise(c).alias(name);
  });
  return merged
    .withColumns(col(index).cast(DataType.Int64).cast(DataType.Float64).alias("_x"))
    .withColumns(...filled)
    .drop("_known", "_x");
}
