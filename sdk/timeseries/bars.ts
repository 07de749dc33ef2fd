/**
 * OHLCV bars: ticks (a time index, a price and a volume) resampled into open, high, low,
 * close, volume, vwap and count per window and symbol, built from `groupByDynamic()` with
 * calendar alignment in a time zone and a choice of fills for empty bars. A composition of
 * plan nodes the server already runs: no protocol of its own.
 *
 * @module
 */

import { DataType } from "../datatypes.ts";
import type { Expr } from "../expr/expr.ts";
import { col, format, intRanges, len, lit } from "../functions.ts";
import type { LazyQuery } from "../frame/lazy_query.ts";
import type { ClosedWindowName } from "../plan/plan_group.ts";
import { when } from "../when.ts";
import { perGroup } from "./per_group.ts";

/** How empty bars (windows without ticks) between a symbol's first and last bar are filled. */
export type BarFill = "none" | "null" | "previous_close" | "linear";

/** The most bars a fill may lay out (all symbols together). */
export const MAX_FILL_BARS = 10_000_000;

/** Options of `ohlcv()`; the windows are Polars `group_by_dynamic`'s (start_by "window"). */
export interface OhlcvOptions {
  /** The time column (Datetime, sorted or not: rows are sorted by `by` and `index` first). */
  index: string;
  /** The trade price column. */
  price: string;
  /** The trade size column; without it there is no `volume` nor `vwap`. */
  volume?: string;
  /** Distance between bar starts: "1m", "1h", "1d", "1w", "1mo", "1q", "1y", "30s", ... */
  every: string;
  /** Length of a bar. @default every */
  period?: string;
  /** Shift of the bar starts. @default "0ns" */
  offset?: string;
  /** Which bounds belong to a bar. @default "left" */
  closed?: ClosedWindowName;
  /** Which bound labels a bar ("datapoint": its first tick; not with a fill). @default "left" */
  label?: "left" | "right" | "datapoint";
  /** Symbol column(s): one series of bars per symbol. @default [] */
  by?: string | readonly string[];
  /**
   * IANA time zone the bars are aligned in: the index is converted to it first (a naive
   * index is read as UTC), so "1d" bars are local days (23 or 25 hours on daylight-saving
   * switch days). @default the index's own zone (UTC for a naive index)
   */
  timeZone?: string;
  /** Empty bars: skipped ("none"), or filled between each symbol's first and last bar. @default "none" */
  fill?: BarFill;
  /** Add the volume-weighted average price (needs `volume`). @default true */
  vwap?: boolean;
  /** Add the number of ticks (UInt32). @default true */
  count?: boolean;
  /** The most bars a fill may lay out, at most MAX_FILL_BARS. @default MAX_FILL_BARS */
  maxBars?: number;
  /**
   * The ticks are sorted by time within each symbol already (a time series is): skip the
   * sort that otherwise comes first (seconds at 100M ticks). Unsorted ticks with this set
   * give wrong bars. @default false
   */
  sorted?: boolean;
}

const FILLS: readonly BarFill[] = ["none", "null", "previous_close", "linear"];
const CLOSED: readonly ClosedWindowName[] = ["left", "right", "both", "none"];
const LABELS = ["left", "right", "datapoint"] as const;

const NS = 1n;
const HOUR = 3_600_000_000_000n;
const DAY = 24n * HOUR;
/** The shortest length of each duration unit (calendar units in a zone with DST). */
const SHORTEST: Readonly<Record<string, bigint>> = {
  ns: NS,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: HOUR,
  d: DAY - HOUR,
  w: 7n * DAY - HOUR,
  mo: 28n * DAY - HOUR,
  q: 89n * DAY - HOUR,
  y: 365n * DAY - HOUR,
  i: 1n,
};

function fail(name: string, must: string, value: unknown): never {
  throw new TypeError(
    `Cannot build OHLCV bars as '${name}' must be ${must}: current value is ${
      JSON.stringify(value) ?? String(value)
    }`,
  );
}

function columnName(name: string, value: unknown): string {
  if (typeof value !== "string" || value === "") fail(name, "a column name", value);
  return value;
}

/** The shortest length in nanoseconds of a positive duration such as "1d12h". */
export function shortestDuration(name: string, value: unknown): bigint {
  const must = 'a positive duration such as "1m", "1d2h" or "10i"';
  if (typeof value !== "string" || value === "") fail(name, must, value);
  const text = value.replace(/_saturating$/, "");
  const integer = /^\d+i$/.test(text);
  let total = 0n;
  let rest = text;
  while (rest !== "") {
    const m = /^(\d+)(ns|us|µs|ms|mo|s|m|h|d|w|q|y|i)/.exec(rest);
    if (m === null || (m[2] === "i") !== integer) fail(name, must, value);
    total += BigInt(m[1]!) * SHORTEST[m[2] === "µs" ? "us" : m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  if (total <= 0n) fail(name, "a positive duration", value);
  return total;
}

function checkOptional(name: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string)) {
    fail(name, `one of ${allowed.join(", ")}`, value);
  }
}

function byColumns(value: unknown): string[] {
  if (value === undefined) return [];
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list)) fail("by", "a column name or an array of them", value);
  return list.map((name) => columnName("by", name));
}

interface Checked {
  by: string[];
  fill: BarFill;
  maxBars: number;
  step: bigint;
}

function check(options: OhlcvOptions): Checked {
  if (typeof options !== "object" || options === null) fail("options", "an object", options);
  columnName("index", options.index);
  columnName("price", options.price);
  if (options.volume !== undefined) columnName("volume", options.volume);
  const every = shortestDuration("every", options.every);
  const period = options.period === undefined ? every : shortestDuration("period", options.period);
  if (
    options.offset !== undefined &&
    !/^-?(\d+(ns|us|µs|ms|mo|s|m|h|d|w|q|y|i))+$/.test(options.offset)
  ) {
    fail("offset", 'a duration such as "0ns" or "-2h"', options.offset);
  }
  checkOptional("closed", options.closed, CLOSED);
  checkOptional("label", options.label, LABELS);
  checkOptional("fill", options.fill, FILLS);
  if (
    options.timeZone !== undefined &&
    (typeof options.timeZone !== "string" || options.timeZone === "")
  ) {
    fail("timeZone", 'an IANA time zone such as "America/New_York"', options.timeZone);
  }
  for (const flag of ["vwap", "count", "sorted"] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== "boolean") {
      fail(flag, "a boolean", options[flag]);
    }
  }
  const maxBars = options.maxBars ?? MAX_FILL_BARS;
  if (!Number.isSafeInteger(maxBars) || maxBars < 1 || maxBars > MAX_FILL_BARS) {
    throw new RangeError(
      `Cannot build OHLCV bars as 'maxBars' must be an integer from 1 to ${MAX_FILL_BARS}: current value is ${
        String(maxBars)
      }`,
    );
  }
  const fill = options.fill ?? "none";
  if (fill !== "none" && options.label === "datapoint") {
    fail("label", `"left" or "right" with fill "${fill}"`, options.label);
  }
  if (fill !== "none" && /i$/.test(options.every)) {
    fail("every", `a time duration with fill "${fill}"`, options.every);
  }
  return { by: byColumns(options.by), fill, maxBars, step: every < period ? every : period };
}

/** The bar aggregations, in output order. */
function barAggs(options: OhlcvOptions): Expr[] {
  const price = col(options.price);
  const aggs = [
    price.first().alias("open"),
    price.max().alias("high"),
    price.min().alias("low"),
    price.last().alias("close"),
  ];
  if (options.volume !== undefined) {
    const volume = col(options.volume);
    aggs.push(volume.sum().alias("volume"));
    if (options.vwap ?? true) {
      aggs.push(price.mul(volume).sum().div(volume.sum()).alias("vwap"));
    }
  }
  if (options.count ?? true) aggs.push(len().alias("count"));
  return aggs;
}

function windows(options: OhlcvOptions, by: string[]) {
  return {
    indexColumn: options.index,
    every: options.every,
    ...(options.period === undefined ? {} : { period: options.period }),
    ...(options.offset === undefined ? {} : { offset: options.offset }),
    closed: options.closed ?? "left",
    label: options.label ?? "left",
    ...(by.length === 0 ? {} : { by }),
    startBy: "window" as const,
  };
}

/**
 * OHLCV bars of `lf`'s ticks: columns `[...by, index, open, high, low, close, volume, vwap,
 * count]` (volume and vwap with a `volume` column, vwap and count unless turned off), sorted
 * by symbol and time. With non-overlapping windows (period = every, closed "left" or "right")
 * every tick is in exactly one bar, so volume and count sum to the input's. Filled bars have
 * zero volume and count and a null vwap; "null" leaves their prices null, "previous_close"
 * sets all four to the previous close, "linear" to the close interpolated between the bars
 * around them. A fill lays out at most `maxBars` bars: the plan itself checks the count
 * (from each symbol's first and last bar and the shortest length of `every`) before laying
 * them out, and fails the query with a message naming the limit.
 */
export function ohlcv<L extends LazyQuery<L, unknown>>(lf: L, options: OhlcvOptions): L {
  const { by, fill, maxBars, step } = check(options);
  const index = options.index;
  let ticks = lf;
  if (options.timeZone !== undefined) {
    ticks = ticks.withColumns(col(index).dt.convertTimeZone(options.timeZone));
  }
  if (options.sorted !== true) ticks = ticks.sort({ by: [...by, index], maintainOrder: true });
  const aggs = barAggs(options);
  const names = ["open", "high", "low", "close", ...rest(options)];
  const order = [...by, index];
  if (fill === "none") {
    return ticks.groupByDynamic(windows(options, by)).agg(...aggs)
      .select(...order, ...names).sort({ by: order, maintainOrder: true });
  }
  const bars = ticks.groupByDynamic(windows(options, by)).agg(...aggs).cache();
  const grid = fillGrid(bars, options, by, step, maxBars);
  const joined = grid.join(bars, { on: order, how: "left" }).sort({
    by: order,
    maintainOrder: true,
  });
  return joined.withColumns(...fillExprs(options, by, fill)).select(...order, ...names);
}

function rest(options: OhlcvOptions): string[] {
  const out: string[] = [];
  if (options.volume !== undefined) {
    out.push("volume");
    if (options.vwap ?? true) out.push("vwap");
  }
  if (options.count ?? true) out.push("count");
  return out;
}

/**
 * Every bar label between each symbol's first and last bar: a lattice of instants no further
 * apart than the shortest bar, grouped by the same windows, so each window (of any length:
 * a local day, a month) is hit and labelled exactly as the bars are. The lattice starts 1.5
 * steps before the first label: with label "left" that is before the first bar's start, with
 * "right" (the first bar's end) its point half a step before that end lies in the first bar.
 * It is laid from the labels, not from `include_boundaries`' `_lower_boundary`: nodejs-polars
 * leaves that column out when there are no ticks, which broke filled bars of an empty input
 * and every schema (resolved over an empty input).
 */
function fillGrid<L extends LazyQuery<L, unknown>>(
  bars: L,
  options: OhlcvOptions,
  by: string[],
  step: bigint,
  maxBars: number,
): L {
  const index = options.index;
  const spanAggs = [col(index).min().alias("_first"), col(index).max().alias("_last")];
  // Without `by`, no bars still give one (null) span: no bars, no span.
  const spans = by.length === 0
    ? bars.select(...spanAggs).filter(col("_first").isNotNull())
    : bars.groupBy(by).agg(...spanAggs);
  const stepNs = Number(step);
  const points = col("_last").dt.epoch("ns").sub(col("_first").dt.epoch("ns")).div(stepNs).floor()
    .add(5).cast(DataType.Int64);
  // A strict cast of the message fails the query, before any range is laid out.
  const message = format(
    `Cannot fill OHLCV bars as the bars to lay out must number at most ${maxBars} (maxBars): ` +
      "current value is about {}",
    col("_points").sum(),
  );
  const guard = when(col("_points").sum().ltEq(maxBars)).then(lit("0")).otherwise(message)
    .cast(DataType.Int64, true);
  const lattice = col("_first").add(
    col("_k").mul(stepNs).add(Math.floor(stepNs / 2)).cast(DataType.Duration("ns")),
  );
  return spans.withColumns(points.alias("_points"))
    .withColumns(intRanges(-2, col("_points").add(guard).sub(2).cast(DataType.Int64)).alias("_k"))
    .explode("_k")
    .select(...by, lattice.alias(index), "_first", "_last")
    .groupByDynamic(windows(options, by))
    .agg(col("_first").first(), col("_last").first())
    .filter(col(index).isBetween(col("_first"), col("_last")))
    .select(...by, index);
}

/** Zero volume and count on empty bars, and their prices as the fill says. */
function fillExprs(options: OhlcvOptions, by: string[], fill: BarFill): Expr[] {
  const exprs: Expr[] = [];
  if (options.volume !== undefined) exprs.push(col("volume").fillNull("zero"));
  if (options.count ?? true) exprs.push(col("count").fillNull("zero"));
  if (fill === "null") return exprs;
  const close = fill === "previous_close"
    ? perGroup(col("close").forwardFill(), by)
    : perGroup(col("close").interpolate(), by);
  exprs.push(
    close.alias("close"),
    ...["open", "high", "low"].map((name) => col(name).fillNull(close).alias(name)),
  );
  return exprs;
}
