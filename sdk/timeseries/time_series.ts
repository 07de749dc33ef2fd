/**
 * Time-series frames: `lf.asTimeSeries({index, by})` checks a frame once (index type, nulls,
 * order and duplicate instants per symbol), detects its sampling frequency and stores it as a
 * handle whose metadata names the index and symbol columns. The RemoteTimeSeries it returns
 * runs windows, shifts, returns, bars, asof joins, fills and upsampling per symbol without
 * repeating those arguments; `df.asTimeSeries()` reopens a stored one (docs/timeseries.md).
 *
 * @module
 */

import { ohlcv, type OhlcvOptions } from "./bars.ts";
import type { DataFrameBase } from "../frame/data_frame.ts";
import type { LazyQuery } from "../frame/lazy_query.ts";
import type { CollectOptions } from "../transport/session.ts";
import { Finance, type ReturnsOptions, type VolatilityOptions } from "./finance.ts";
import type { AdfOptions, HurstOptions, KpssOptions } from "../plan/plan_stat_tests.ts";
import { col } from "../functions.ts";
import {
  decodeInfo,
  encodeInfo,
  inspect,
  type Inspection,
  type TimeSeriesInfo,
} from "./time_series_info.ts";
import {
  ewmExprs,
  type EwmWindowOptions,
  type ExpandingOptions,
  expandingWindows,
  type RollingWindowOptions,
  rollingWindows,
} from "./time_series_windows.ts";
import {
  asofJoin,
  type AsofJoinOptions,
  fillForwardExprs,
  type FillForwardOptions,
  shiftByTime,
  upsample,
  type UpsampleOptions,
} from "./time_series_align.ts";

export type { Frequency, IndexKind, TimeSeriesInfo } from "./time_series_info.ts";
export { TIME_SERIES_METADATA } from "./time_series_info.ts";
export type {
  EwmWindowOptions,
  ExpandingOptions,
  PairStat,
  RollingWindowOptions,
  WindowStat,
} from "./time_series_windows.ts";
export type {
  AsofInterpolation,
  AsofJoinOptions,
  FillForwardOptions,
  UpsampleFill,
  UpsampleOptions,
} from "./time_series_align.ts";

/** Options of `asTimeSeries()`: the columns, what to do about bad rows, and the handle's. */
export interface AsTimeSeriesOptions extends Omit<CollectOptions, "metadata"> {
  /** The time column: Datetime, Date or integer. */
  index: string;
  /** Symbol column(s): one series per symbol. @default [] */
  by?: string | string[];
  /** Null instants: refused, or their rows dropped. @default "error" */
  nulls?: "error" | "drop";
  /** Instants out of order within a symbol: refused, or the rows sorted. @default "error" */
  unsorted?: "error" | "sort";
  /**
   * Rows repeating their symbol's previous instant (ticks often do): kept, refused, or only
   * the first or last of each instant kept. @default "keep"
   */
  duplicates?: "keep" | "error" | "first" | "last";
}

const POLICIES = {
  nulls: ["error", "drop"],
  unsorted: ["error", "sort"],
  duplicates: ["keep", "error", "first", "last"],
} as const;

function fail(name: string, must: string, value: unknown): never {
  throw new TypeError(
    `Cannot make a time series as '${name}' must be ${must}: current value is ${
      JSON.stringify(value) ?? String(value)
    }`,
  );
}

function checkOptions(options: AsTimeSeriesOptions) {
  if (typeof options !== "object" || options === null) fail("options", "an object", options);
  if (typeof options.index !== "string" || options.index === "") {
    fail("index", "a column name", options.index);
  }
  const by = options.by === undefined
    ? []
    : typeof options.by === "string"
    ? [options.by]
    : options.by;
  if (!Array.isArray(by) || by.some((b) => typeof b !== "string" || b === "")) {
    fail("by", "a column name or an array of them", options.by);
  }
  const policy = <K extends keyof typeof POLICIES>(key: K): (typeof POLICIES)[K][number] => {
    const value = options[key] ?? POLICIES[key][0];
    if (!(POLICIES[key] as readonly string[]).includes(value)) {
      fail(key, `one of ${POLICIES[key].join(", ")}`, value);
    }
    return value as (typeof POLICIES)[K][number];
  };
  return {
    index: options.index,
    by: [...by] as string[],
    nulls: policy("nulls"),
    unsorted: policy("unsorted"),
    duplicates: policy("duplicates"),
  };
}

type Checked = ReturnType<typeof checkOptions>;

/** Throws for each problem its policy refuses; tells whether the frame needs fixing. */
function judge(found: Inspection, policy: Checked): boolean {
  const where = policy.by.length === 0 ? "" : ` within each ${policy.by.join(", ")}`;
  const { index } = policy;
  if (found.nulls > 0 && policy.nulls === "error") {
    fail(index, 'free of nulls (or nulls: "drop")', `${found.nulls} null rows`);
  }
  if (found.unsorted > 0 && policy.unsorted === "error") {
    fail(
      index,
      `sorted${where} (or unsorted: "sort")`,
      `${found.unsorted} rows earlier than the row before them`,
    );
  }
  const duplicates = found.info.duplicates;
  if (duplicates > 0 && policy.duplicates === "error") {
    fail(
      index,
      `unique${where} (or duplicates: "keep", "first" or "last")`,
      `${duplicates} repeated instants`,
    );
  }
  return (found.nulls > 0 && policy.nulls === "drop") ||
    (found.unsorted > 0 && policy.unsorted === "sort") ||
    (duplicates > 0 && (policy.duplicates === "first" || policy.duplicates === "last"));
}

function fix<L extends LazyQuery<L, unknown>>(lf: L, policy: Checked): L {
  const key = [...policy.by, policy.index];
  let out = lf;
  if (policy.nulls === "drop") out = out.dropNulls(policy.index);
  if (policy.unsorted === "sort") out = out.sort({ by: key, maintainOrder: true });
  if (policy.duplicates === "first" || policy.duplicates === "last") {
    out = out.unique({ subset: key, keep: policy.duplicates, maintainOrder: true });
  }
  return out;
}

/**
 * Checks `lf` as a time series and stores it under a handle that carries the facts found
 * (see AsTimeSeriesOptions for the policies); `make` makes the series of the stored frame.
 * A plan that is not a plain read of a handle runs once into a temporary handle first, so
 * the checks never re-run it.
 */
export async function asTimeSeries<L extends LazyQuery<L, D>, D extends DataFrameBase<L>, T>(
  lf: L,
  options: AsTimeSeriesOptions,
  make: (lazy: L, info: TimeSeriesInfo, frame: D) => T,
): Promise<T> {
  const policy = checkOptions(options);
  const { index: _i, by: _b, nulls: _n, unsorted: _u, duplicates: _d, ...collect } = options;
  const plan = await lf.resolvePlan();
  const stored = plan.node?.$case === "scan" && plan.node.value.source?.$case === "handle";
  const temporary: D[] = [];
  try {
    let source = lf;
    if (!stored) {
      const frame = await lf.collect();
      temporary.push(frame);
      source = frame.lazy();
    }
    let found = await inspect(source, await source.schema(), policy.index, policy.by);
    if (judge(found, policy)) {
      const frame = await fix(source, policy).collect();
      temporary.push(frame);
      source = frame.lazy();
      found = await inspect(source, frame.schema, policy.index, policy.by);
    }
    const frame = await source.collect({ ...collect, metadata: encodeInfo(found.info) });
    return make(frame.lazy(), found.info, frame);
  } finally {
    await Promise.allSettled(temporary.map((frame) => frame.release()));
  }
}

/**
 * The time series of a stored frame made by `asTimeSeries()` (from its metadata), as `make`
 * makes it.
 */
export function storedTimeSeries<L extends LazyQuery<L, unknown>, D extends DataFrameBase<L>, T>(
  frame: D,
  make: (lazy: L, info: TimeSeriesInfo, frame: D) => T,
): T {
  return make(frame.lazy(), decodeInfo(frame.metadata, frame.id), frame);
}

/** The key of the method a time series makes the series its methods return with. */
export const SERIES: unique symbol = Symbol("polaroid.RemoteTimeSeries.series");

/**
 * A lazy frame known to be a time series: `index` sorted within each symbol of `by`. Methods
 * that keep the rows return a T; `collect()` stores it with its metadata. Written over the
 * frame classes: L its lazy frames, D its stored frames, T the series its methods return
 * (RemoteTimeSeries, sdk/frame/lazy_frame.ts, is the TimeSeries of RemoteLazyFrames).
 */
export abstract class TimeSeries<L extends LazyQuery<L, D>, D extends DataFrameBase<L>, T> {
  readonly #lazy: L;
  readonly #info: TimeSeriesInfo;
  readonly #frame: D | undefined;

  /** Made by `asTimeSeries()`, not this constructor. */
  constructor(lazy: L, info: TimeSeriesInfo, frame?: D) {
    this.#lazy = lazy;
    this.#info = Object.freeze({ ...info, by: [...info.by] });
    this.#frame = frame;
  }

  /** The time column. */
  get index(): string {
    return this.#info.index;
  }
  /** The symbol columns. */
  get by(): string[] {
    return [...this.#info.by];
  }
  /** The facts checked when the series was stored (rows, symbols, frequency, span). */
  get info(): Readonly<TimeSeriesInfo> {
    return this.#info;
  }
  /** The stored frame, for a series straight from `asTimeSeries()` or `collect()`. */
  get frame(): D | undefined {
    return this.#frame;
  }
  /** The series as a plain lazy frame. */
  lazy(): L {
    return this.#lazy;
  }

  /** A new series of the class this one's methods return (T). */
  abstract [SERIES](lazy: L, info: TimeSeriesInfo, frame?: D): T;

  #next(lf: L): T {
    return this[SERIES](lf, this.#info);
  }

  #byOption(): { by?: string[] } {
    return this.#info.by.length === 0 ? {} : { by: [...this.#info.by] };
  }

  /** Runs the series into a new handle that keeps its time-series metadata. */
  async collect(options: Omit<CollectOptions, "metadata"> = {}): Promise<T> {
    const frame = await this.#lazy.collect({ ...options, metadata: encodeInfo(this.#info) });
    return this[SERIES](frame.lazy(), this.#info, frame);
  }

  // ---- Bars, windows, shifts ----------------------------------------------------------------

  /** OHLCV bars per symbol (see OhlcvOptions; the index and symbols are the series'). */
  ohlcv(options: Omit<OhlcvOptions, "index" | "by" | "sorted">): L {
    return ohlcv(this.#lazy, { ...options, index: this.index, by: this.by, sorted: true });
  }
  /** Rolling statistics over a number of rows or a duration, per symbol. */
  rolling(options: RollingWindowOptions): T {
    return this.#next(rollingWindows(this.#lazy, this.index, this.by, options));
  }
  /** Expanding-window statistics from each symbol's first row. */
  expanding(options: ExpandingOptions): T {
    return this.#next(this.#lazy.withColumns(...expandingWindows(this.by, options)));
  }
  /** Exponentially weighted mean, std and var per symbol. */
  ewm(options: EwmWindowOptions): T {
    return this.#next(this.#lazy.withColumns(...ewmExprs(this.by, options)));
  }
  /**
   * Earlier values as new columns: `n` rows back (`<column>_lag_<n>`) or as of a duration
   * earlier (`<column>_lag_<duration>`: the last row at or before t − duration).
   */
  lag(columns: string | string[], by: number | string = 1): T {
    return this.#shift(columns, by, "lag");
  }
  /** Later values: `n` rows on, or the first row at or after t + duration. */
  lead(columns: string | string[], by: number | string = 1): T {
    return this.#shift(columns, by, "lead");
  }

  #shift(columns: string | string[], by: number | string, direction: "lag" | "lead") {
    const names = typeof columns === "string" ? [columns] : columns;
    if (typeof by === "string") {
      return this.#next(shiftByTime(this.#lazy, this.index, this.by, names, by, direction));
    }
    let lf = this.#lazy;
    for (const name of names) {
      lf = new Finance(lf)[direction](name, by, {
        ...this.#byOption(),
        alias: `${name}_${direction}_${by}`,
      });
    }
    return this.#next(lf);
  }
  /** Difference with `n` rows back, per symbol (`<column>_diff`). */
  diff(column: string, n = 1): T {
    return this.#next(new Finance(this.#lazy).diff(column, n, this.#byOption()));
  }
  /** Relative change from `n` rows back, per symbol (`<column>_pct_change`). */
  pctChange(column: string, n = 1): T {
    return this.#next(new Finance(this.#lazy).pctChange(column, n, this.#byOption()));
  }
  /** Simple, log or cumulative returns per symbol (see ReturnsOptions). */
  returns(column: string, options: Omit<ReturnsOptions, "by"> = {}): T {
    return this.#next(new Finance(this.#lazy).returns(column, { ...options, ...this.#byOption() }));
  }
  /** Volatility estimators per symbol (see VolatilityOptions). */
  volatility(options: Omit<VolatilityOptions, "by"> = {}): L {
    return new Finance(this.#lazy).volatility({ ...options, ...this.#byOption() });
  }

  // ---- Alignment --------------------------------------------------------------------------

  /**
   * Asof join with another series of the same index and symbol columns (kdb+ aj by
   * default; see AsofJoinOptions for aj0, tolerance and interpolation).
   */
  asofJoin(
    right: T | L | D,
    options: AsofJoinOptions = {},
  ): T {
    const other = right instanceof TimeSeries || "lazy" in (right as object)
      ? (right as { lazy(): L }).lazy()
      : right as L;
    return this.#next(asofJoin(this.#lazy, other, this.index, this.by, options));
  }
  /** Forward fill per symbol, bounded by rows (`limit`) and/or age (`maxAge`). */
  fillForward(options: FillForwardOptions = {}): T {
    const columns = options.columns ?? this.#values("fillForward");
    return this.#next(
      this.#lazy.withColumns(...fillForwardExprs(this.index, this.by, columns, options)),
    );
  }
  /** A row every `every` per symbol, merged with the existing rows and filled. */
  upsample(options: UpsampleOptions & { columns?: string[] }): T {
    const values = options.columns ??
      (options.fill === undefined || options.fill === "null" ? [] : this.#values("upsample"));
    return this.#next(upsample(this.#lazy, this.index, this.by, values, options));
  }
  /** The same instants shown in another time zone. */
  convertTimeZone(timeZone: string): T {
    return this.#next(
      this.#lazy.withColumns(col(this.index).dt.convertTimeZone(timeZone)),
    );
  }
  /** The same wall-clock times read in another zone (null: naive); see dt.replaceTimeZone. */
  replaceTimeZone(
    timeZone: string | null,
    options: {
      ambiguous?: "raise" | "earliest" | "latest" | "null";
      nonExistent?: "raise" | "null";
    } = {},
  ): T {
    return this.#next(this.#lazy.withColumns(
      col(this.index).dt.replaceTimeZone(timeZone, options.ambiguous, options.nonExistent),
    ));
  }

  /** The value columns of a stored series (its columns but the index and symbols). */
  #values(op: string): string[] {
    if (this.#frame === undefined) {
      fail(
        "columns",
        `given to ${op}() on a derived series (its columns are known once stored)`,
        undefined,
      );
    }
    const skip = new Set([this.index, ...this.by]);
    return this.#frame.columns.filter((name) => !skip.has(name));
  }

  // ---- Statistics (server-side, one small frame per symbol) --------------------------------

  /** Augmented Dickey-Fuller test per symbol. */
  adf(column: string, options: Omit<AdfOptions, "by"> = {}): L {
    return this.#lazy.adf(column, { ...options, ...this.#byOption() });
  }
  /** KPSS test per symbol. */
  kpss(column: string, options: Omit<KpssOptions, "by"> = {}): L {
    return this.#lazy.kpss(column, { ...options, ...this.#byOption() });
  }
  /** Half-life of mean reversion per symbol. */
  halfLife(column: string): L {
    return this.#lazy.halfLife(column, this.#byOption());
  }
  /** Hurst exponent per symbol. */
  hurst(column: string, options: Omit<HurstOptions, "by"> = {}): L {
    return this.#lazy.hurst(column, { ...options, ...this.#byOption() });
  }
}
