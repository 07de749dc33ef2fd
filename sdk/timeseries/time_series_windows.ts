/**
 * Moving windows of a time series, per symbol: rolling by a number of rows or by a duration
 * (Polars' `rolling_*_by`, which nodejs-polars lacks), expanding windows and exponentially
 * weighted moments. Rolling windows are Polars rolling groups (`groupByRolling`) joined back
 * to the rows, so every statistic, including skew, correlation and covariance, has one
 * definition for both kinds of window. Compositions of plan nodes the server already runs.
 *
 * @module
 */

import { DataType } from "../datatypes.ts";
import type { Expr } from "../expr/expr.ts";
import { col, cov, intRange, len, pearsonCorr } from "../functions.ts";
import type { LazyQuery } from "../frame/lazy_query.ts";
import type { ClosedWindowName } from "../plan/plan_group.ts";
import type { EwmOptions } from "../expr/_core_args.ts";
import { when } from "../when.ts";
import { shortestDuration } from "./bars.ts";
import { perGroup } from "./per_group.ts";

/** Statistics of one column over a window. */
export type WindowStat =
  | "mean"
  | "sum"
  | "min"
  | "max"
  | "std"
  | "var"
  | "median"
  | "quantile"
  | "skew"
  | "count";
/** Statistics of a pair of columns over a window. */
export type PairStat = "corr" | "cov";

const WINDOW_STATS: readonly WindowStat[] = [
  "mean",
  "sum",
  "min",
  "max",
  "std",
  "var",
  "median",
  "quantile",
  "skew",
  "count",
];
const EXPANDING_STATS: readonly WindowStat[] = WINDOW_STATS.filter((s) => s !== "skew");
const CLOSED: readonly ClosedWindowName[] = ["left", "right", "both", "none"];

/** Options of `rolling()`. */
export interface RollingWindowOptions {
  /** A number of rows (20) or a duration ("5m", "1h30m", "1d"): the window ends at each row. */
  window: number | string;
  /** The columns to summarise. @default [] */
  columns?: string[];
  /** @default ["mean"] */
  stats?: WindowStat[];
  /** Pairs of columns for "corr" and "cov". @default [] */
  pairs?: [string, string][];
  /** Statistics of pairs. @default ["corr"] when pairs are given */
  pairStats?: PairStat[];
  /** Rows a window needs for a value (else null). @default the window for rows, 1 for durations */
  minPeriods?: number;
  /** Duration windows: which bounds belong to the window. @default "right": (t − window, t] */
  closed?: ClosedWindowName;
  /** Delta degrees of freedom of std, var and cov. @default 1 */
  ddof?: number;
  /** For "quantile" (linear interpolation, as pandas). @default 0.5 */
  quantile?: number;
  /** Skew without the sample-size correction. @default false (as pandas) */
  bias?: boolean;
}

/** Options of `expanding()`. */
export interface ExpandingOptions {
  columns: string[];
  /** "skew" is not available on expanding windows. @default ["mean"] */
  stats?: WindowStat[];
  /** @default 1 */
  minPeriods?: number;
  /** @default 1 */
  ddof?: number;
  /** @default 0.5 */
  quantile?: number;
}

/** Options of `ewm()`; exactly one of alpha, com, span and halfLife (halfLife in rows). */
export interface EwmWindowOptions extends Omit<EwmOptions, "ignoreNulls"> {
  columns: string[];
  /** @default ["mean"] */
  stats?: ("mean" | "std" | "var")[];
}

function fail(name: string, must: string, value: unknown): never {
  throw new TypeError(
    `Cannot compute a window as '${name}' must be ${must}: current value is ${
      JSON.stringify(value) ?? String(value)
    }`,
  );
}

function names(name: string, value: unknown, allowEmpty = false): string[] {
  if (!Array.isArray(value) || (!allowEmpty && value.length === 0)) {
    fail(name, "an array of column names", value);
  }
  for (const item of value) {
    if (typeof item !== "string" || item === "") fail(name, "an array of column names", value);
  }
  return value as string[];
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T[] {
  if (!Array.isArray(value) || value.length === 0) {
    fail(name, `a non-empty array of ${allowed.join(", ")}`, value);
  }
  for (const item of value) {
    if (!allowed.includes(item)) fail(name, `an array of ${allowed.join(", ")}`, value);
  }
  return value as T[];
}

function integer(name: string, value: unknown, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min) {
    fail(name, `an integer of at least ${min}`, value);
  }
  return value as number;
}

function unitInterval(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) fail(name, "in [0, 1]", value);
  return value;
}

/** The window as Polars writes it and whether it counts rows. */
function windowOf(value: unknown): { period: string; rows: number | undefined } {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 1) {
      fail("window", "a positive number of rows", value);
    }
    return { period: `${value}i`, rows: value };
  }
  if (typeof value !== "string" || /i$/.test(value)) {
    fail("window", 'a number of rows or a duration such as "5m"', value);
  }
  shortestDuration("window", value);
  return { period: value, rows: undefined };
}

/** The column holding `column`'s reference for std and var (see `reference`). */
function referenceName(column: string): string {
  return `_ref_${column}`;
}

/**
 * Each row's last finite value (the first one for the rows before it), per symbol, as a
 * Float64: the reference a window's std and var centre its values on, its first row's.
 * Polars' rolling kernel on the raw values cancels the digits they share (up to 1.8e-9 for the
 * std of equal values near 1.085, 6e-7 relative on FX-like ticks); the centred values lose
 * none, and equal values give exactly 0.
 */
function reference(column: string, by: string[]): Expr {
  const c = col(column).cast(DataType.Float64);
  const finite = when(c.isFinite()).then(c).otherwise(null);
  return perGroup(finite.forwardFill().backwardFill(), by).alias(referenceName(column));
}

/**
 * `centred` (a statistic of Float64 values: unsigned integers would wrap below a reference)
 * in the type Polars gives `own`, the same statistic of the raw values (a Float32 column's
 * std stays Float32): clipping a value to [x, x] casts x to its type. Nulls and NaN are the
 * same in both.
 */
function inOwnType(own: Expr, centred: Expr): Expr {
  return own.clip(centred, centred);
}

function statExpr(column: string, stat: WindowStat, ddof: number, q: number, bias: boolean): Expr {
  const c = col(column);
  const centred = () => c.cast(DataType.Float64).sub(col(referenceName(column)).first());
  switch (stat) {
    case "mean":
      return c.mean();
    case "sum":
      return c.sum();
    case "min":
      return c.min();
    case "max":
      return c.max();
    case "std":
      return inOwnType(c.std(ddof), centred().std(ddof));
    case "var":
      return inOwnType(c.var(ddof), centred().var(ddof));
    case "median":
      return c.median();
    case "quantile":
      return c.quantile(q, "linear");
    case "skew":
      return c.skew(bias);
    case "count":
      return c.count();
  }
}

/** Fewest non-null values a statistic needs for a value (as pandas). */
function needs(stat: WindowStat | PairStat, ddof: number): number {
  if (stat === "std" || stat === "var" || stat === "cov") return ddof + 1;
  if (stat === "skew") return 3;
  if (stat === "corr") return 2;
  return 1;
}

/**
 * Rolling statistics of `lf` (sorted by time within each symbol), one new column per
 * statistic: `<column>_<stat>_<window>` and `<a>_<b>_<corr|cov>_<window>`.
 */
export function rollingWindows<L extends LazyQuery<L, unknown>>(
  lf: L,
  index: string,
  by: string[],
  options: RollingWindowOptions,
): L {
  if (typeof options !== "object" || options === null) fail("options", "an object", options);
  const { period, rows } = windowOf(options.window);
  const columns = names("columns", options.columns ?? [], true);
  const stats = oneOf("stats", options.stats ?? ["mean"], WINDOW_STATS);
  const pairs = (options.pairs ?? []).map((pair) => {
    if (!Array.isArray(pair) || pair.length !== 2) fail("pairs", "[a, b] column pairs", pair);
    return names("pairs", pair) as [string, string];
  });
  const pairStats = pairs.length === 0
    ? []
    : oneOf("pairStats", options.pairStats ?? ["corr"], ["corr", "cov"] as const);
  if (columns.length === 0 && pairs.length === 0) fail("columns", "given (or pairs)", columns);
  const ddof = integer("ddof", options.ddof, 0, 1);
  const q = unitInterval("quantile", options.quantile, 0.5);
  const bias = options.bias ?? false;
  if (typeof bias !== "boolean") fail("bias", "a boolean", bias);
  const minPeriods = integer("minPeriods", options.minPeriods, 1, rows ?? 1);
  if (options.closed !== undefined && !CLOSED.includes(options.closed)) {
    fail("closed", `one of ${CLOSED.join(", ")}`, options.closed);
  }
  if (rows !== undefined && options.closed !== undefined) {
    fail("closed", "unset for a window of rows", options.closed);
  }
  const suffix = String(options.window);
  const aggs: Expr[] = [];
  const outputs: Expr[] = [];
  // As pandas: a value needs minPeriods non-null values (and what the statistic needs).
  const gate = (name: string, stat: WindowStat | PairStat) =>
    when(col(`_n_${name}`).gtEq(Math.max(minPeriods, needs(stat, ddof))))
      .then(col(name)).otherwise(null).alias(name);
  for (const column of columns) {
    for (const stat of stats) {
      const name = `${column}_${stat}_${suffix}`;
      aggs.push(statExpr(column, stat, ddof, q, bias).alias(name));
      aggs.push(col(column).count().alias(`_n_${name}`));
      outputs.push(stat === "count" ? col(name) : gate(name, stat));
    }
  }
  for (const [a, b] of pairs) {
    for (const stat of pairStats) {
      const name = `${a}_${b}_${stat}_${suffix}`;
      aggs.push((stat === "corr" ? pearsonCorr(a, b) : cov(a, b, ddof)).alias(name));
      aggs.push(col(a).isNotNull().and(col(b).isNotNull()).sum().alias(`_n_${name}`));
      outputs.push(gate(name, stat));
    }
  }
  const key = rows === undefined ? index : "_row";
  const centred = stats.includes("std") || stats.includes("var") ? columns : [];
  const base = lf.withColumns(
    intRange(0, len()).cast(DataType.Int64).alias("_order"),
    ...(rows === undefined
      ? []
      : [perGroup(intRange(0, len()).cast(DataType.Int64), by).alias("_row")]),
    ...centred.map((column) => reference(column, by)),
  ).cache();
  const windows = base.groupByRolling({
    indexColumn: key,
    period,
    ...(options.closed === undefined ? {} : { closed: options.closed }),
    ...(by.length === 0 ? {} : { by }),
  }).agg(...aggs)
    // Rows sharing an instant share their window: one result per instant.
    .unique({ subset: [...by, key], keep: "first", maintainOrder: true })
    .select(...by, key, ...outputs);
  return base.join(windows, { on: [...by, key], how: "left" })
    .sort({ by: "_order", maintainOrder: true })
    .drop("_order", ...(rows === undefined ? [] : ["_row"]), ...centred.map(referenceName));
}

/**
 * `c` as Float64 less its first finite value (per symbol, under `perGroup`): the expanding std
 * and var of the raw values lose the digits they share (1.4e-11 relative on FX-like prices);
 * an expanding window only grows, so centred values keep the kernel's sums exact enough
 * (1.3e-15) and equal values give exactly 0.
 */
function centredOnFirst(c: Expr): Expr {
  const values = c.cast(DataType.Float64);
  return values.sub(when(values.isFinite()).then(values).otherwise(null).backwardFill().first());
}

/** Expanding-window statistics: `<column>_expanding_<stat>`, from each symbol's first row. */
export function expandingWindows(by: string[], options: ExpandingOptions): Expr[] {
  if (typeof options !== "object" || options === null) fail("options", "an object", options);
  const columns = names("columns", options.columns);
  const stats = oneOf("stats", options.stats ?? ["mean"], EXPANDING_STATS);
  const minPeriods = integer("minPeriods", options.minPeriods, 1, 1);
  const ddof = integer("ddof", options.ddof, 0, 1);
  const q = unitInterval("quantile", options.quantile, 0.5);
  // A window longer than any frame: Polars' rolling kernels keep it in O(n log n) or better.
  const window = { windowSize: 4294967295, minPeriods };
  const exprs: Expr[] = [];
  for (const column of columns) {
    const c = col(column);
    for (const stat of stats) {
      let e: Expr;
      switch (stat) {
        case "mean":
          e = c.rollingMean(window);
          break;
        case "sum":
          e = c.rollingSum(window);
          break;
        case "min":
          e = c.rollingMin(window);
          break;
        case "max":
          e = c.rollingMax(window);
          break;
        case "std":
          e = inOwnType(
            c.rollingStd({ ...window, ddof }),
            centredOnFirst(c).rollingStd({ ...window, ddof }),
          );
          break;
        case "var":
          e = inOwnType(
            c.rollingVar({ ...window, ddof }),
            centredOnFirst(c).rollingVar({ ...window, ddof }),
          );
          break;
        case "median":
          e = c.rollingMedian(window);
          break;
        case "quantile":
          e = c.rollingQuantile({ ...window, quantile: q, interpolation: "linear" });
          break;
        default:
          e = c.isNotNull().cumSum().cast(DataType.UInt32);
      }
      exprs.push(perGroup(e, by).alias(`${column}_expanding_${stat}`));
    }
  }
  return exprs;
}

/**
 * Exponentially weighted moments: `<column>_ewm_<stat>`, per symbol. Nulls as pandas'
 * `ewm()` with its default `ignore_na=False` (Python Polars' `ignore_nulls=False`): a missing
 * value counts as a step, so the values before it keep decaying by 1 − alpha per row, and its
 * row repeats the last result. (nodejs-polars' own ewm* default to `ignoreNulls: true`.)
 */
export function ewmExprs(by: string[], options: EwmWindowOptions): Expr[] {
  if (typeof options !== "object" || options === null) fail("options", "an object", options);
  const columns = names("columns", options.columns);
  const stats = oneOf("stats", options.stats ?? ["mean"], ["mean", "std", "var"] as const);
  const given = (["alpha", "com", "span", "halfLife"] as const).filter((k) =>
    options[k] !== undefined
  );
  if (given.length !== 1) fail("alpha, com, span or halfLife", "exactly one given", given);
  const ewm = {
    [given[0]!]: options[given[0]!],
    adjust: options.adjust ?? true,
    minPeriods: integer("minPeriods", options.minPeriods, 0, 1),
    bias: options.bias ?? false,
    ignoreNulls: false,
  };
  const exprs: Expr[] = [];
  for (const column of columns) {
    for (const stat of stats) {
      const c = col(column);
      let e = stat === "mean" ? c.ewmMean(ewm) : stat === "std" ? c.ewmStd(ewm) : c.ewmVar(ewm);
      if (stat !== "mean" && !ewm.bias) {
        // Unbiased moments need two values (Polars gives 0 for one, pandas NaN).
        e = when(c.isNotNull().cumSum().gtEq(2)).then(e).otherwise(null);
      }
      // A row without a value repeats the last result, as pandas (Polars gives null there).
      exprs.push(perGroup(e.forwardFill(), by).alias(`${column}_ewm_${stat}`));
    }
  }
  return exprs;
}
