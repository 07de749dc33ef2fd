/**
 * The query methods of a lazy frame: nodejs-polars' LazyDataFrame API over a remote engine.
 * Each method returns a new frame with one more plan node, without a round trip.
 * `toArrow()`, `toRecords()`, `stream()`, `schema()`, `columns()` and `describePlan()` call
 * the server. The methods whose result depends on column types (`fillNan`, `max`, `mean`,
 * ..., `quantile`) build their plan from the input's schema: known at once for a stored
 * frame's `lazy()`, else asked once (the frame stays usable meanwhile; its plan is then
 * pending, see `plan` and `resolvePlan()`).
 *
 * Written over the classes it returns, LazyQuery names no other frame kind; RemoteLazyFrame
 * (lazy_frame.ts) is its instance, adding the methods that make the other kinds. Code over
 * any lazy frame (sdk/timeseries/) takes an `L extends LazyQuery<L, D>`.
 *
 * @module
 */

import type { Buffer } from "node:buffer";
import type { RecordBatch, Table } from "apache-arrow";
import { type Plan, Plan as PlanMessage } from "../../shared/gen/polaroid/v1/plan.ts";
import type { DataType, Schema } from "../datatypes.ts";
import type { InterpolationMethod } from "../expr/_core_args.ts";
import type { Expr, ExprOrValue } from "../expr/expr.ts";
import type { ColumnsOrExpr, ValueOrArray } from "../functions.ts";
import type { FollowedBatch, FollowOptions, IngestClient } from "../ingest.ts";
import { refuseOptions } from "../option_audit.ts";
import * as P from "../plan/plan.ts";
import type { GroupByDynamicOptions, GroupByRollingOptions } from "../plan/plan_group.ts";
import type { JoinAsofOptions } from "../plan/plan_join.ts";
import * as R from "../plan/plan_reshape.ts";
import * as S from "../plan/plan_stats.ts";
import {
  type AdfOptions,
  type CointOptions,
  type HurstOptions,
  type JohansenOptions,
  type KpssOptions,
  type StatTestOptions,
  statTestPlan,
  TEST_KIND,
} from "../plan/plan_stat_tests.ts";
import { type Row, tableToRecords } from "../records.ts";
import type { SchemaCache } from "../schema_cache.ts";
import type { CollectOptions, Session, StreamOptions } from "../transport/session.ts";
import type { LazyGroupBy } from "./group_by.ts";
import { followPlan, LazyPlan, serializePlan } from "./lazy_plan.ts";
import {
  type RemoteSink,
  remoteSink,
  SINK_FORMAT,
  type SinkCsvOptions,
  type SinkIpcOptions,
  type SinkNdJsonOptions,
  type SinkParquetOptions,
} from "./sink.ts";

/** The key of the method a frame makes the lazy frames its methods return with. */
export const LAZY: unique symbol = Symbol("polaroid.RemoteLazyFrame.lazy");

/** The query of a lazy frame (for the frames and functions built on LazyQuery). */
export let queryOf: <L, D>(frame: LazyQuery<L, D>) => LazyPlan;

/** A frame built from the plans of several (pending ones waited for), of the first's class. */
export function combineFrames<L, D>(
  frames: readonly LazyQuery<L, D>[],
  build: (plans: Plan[]) => Plan,
): L {
  const query = LazyPlan.combine(frames.map((f) => queryOf(f)), build);
  const first = frames[0]!;
  return first[LAZY](query.session, query.value, query.schemas);
}

/**
 * Frames one after another (`pl.concat()`, see ConcatOptions for the other ways), as one
 * lazy frame of the first one's class; one frame is returned as it is.
 */
export function concatFrames<L extends LazyQuery<L, unknown>>(
  frames: readonly L[],
  options: R.ConcatOptions,
): L {
  if (frames.length === 1) return frames[0]!;
  return combineFrames(frames, (plans) => R.concatPlan(plans, options));
}

/**
 * A lazy query on the server, built like a nodejs-polars LazyDataFrame: the methods of
 * RemoteLazyFrame (lazy_frame.ts) that name no other frame kind. L is the lazy frame class
 * its methods return, D the stored frame class `collect()` returns.
 */
export abstract class LazyQuery<L, D> {
  readonly #query: LazyPlan;

  static {
    queryOf = (frame) => frame.#query;
  }

  /**
   * Frames come from a Client (`scanParquet()`, `df.lazy()`, ...), not from this constructor.
   * A pending `plan` is one waiting for an input's schema.
   */
  constructor(session: Session, plan: Plan | Promise<Plan>, schemas?: SchemaCache) {
    this.#query = new LazyPlan(session, plan, schemas);
  }

  /** A new lazy frame of the class this one's methods return (L). */
  abstract [LAZY](session: Session, plan: Plan | Promise<Plan>, schemas?: SchemaCache): L;

  #of(query: LazyPlan): L {
    return this[LAZY](query.session, query.value, query.schemas);
  }

  /** The protobuf plan (treat as read-only); throws TypeError while it is pending. */
  get plan(): Plan {
    return this.#query.plan;
  }

  /** The protobuf plan, once known. */
  resolvePlan(): Promise<Plan> {
    return this.#query.resolve();
  }

  /** A live table's rows as they are committed (`client.scanLive(t).follow(ingest)`). */
  follow(ingest: IngestClient, options?: FollowOptions): AsyncIterable<FollowedBatch> {
    return followPlan(this.resolvePlan(), ingest, options);
  }

  #next(build: (input: Plan) => Plan, sameSchema = false): L {
    return this.#of(this.#query.next(build, sameSchema));
  }

  #typed(build: S.SchemaBuilder): L {
    return this.#of(this.#query.typed(build));
  }

  // ---- Made by RemoteLazyFrame, as they name the other frame kinds (lazy_frame.ts) ----

  /** Groups rows by keys; finish with `.agg(...)`. @param maintainOrder @default true */
  abstract groupBy(
    by: ColumnsOrExpr,
    maintainOrder?: boolean | { maintainOrder: boolean },
  ): LazyGroupBy<L>;
  /** Groups rows into fixed time windows; finish with `.agg(...)`. */
  abstract groupByDynamic(options: GroupByDynamicOptions): LazyGroupBy<L>;
  /** Groups rows into one window per row, ending at its index; finish with `.agg(...)`. */
  abstract groupByRolling(options: GroupByRollingOptions): LazyGroupBy<L>;
  /** Joins with another frame: `{on}` or `{leftOn, rightOn}`, `how` inner (default) ... cross. */
  abstract join(other: L | D, options: P.JoinOptions): L;
  /** Joins each row to the nearest row of `other` by a sorted key (see JoinAsofOptions). */
  abstract joinAsof(other: L | D, options: JoinAsofOptions): L;
  /** Runs the plan and keeps the result on the server, as a stored frame (a handle). */
  abstract collect(options?: CollectOptions): Promise<D>;

  // ---- Statistical tests (server-side; one small frame per call; docs/timeseries.md) ----

  /** Augmented Dickey-Fuller test of `column`, per group of `by` (statsmodels' adfuller). */
  adf(column: string, options: AdfOptions = {}): L {
    return this.#next((p) => statTestPlan(p, TEST_KIND.adf, [column], { ...options }));
  }
  /** KPSS stationarity test of `column`, per group of `by` (statsmodels' kpss). */
  kpss(column: string, options: KpssOptions = {}): L {
    return this.#next((p) => statTestPlan(p, TEST_KIND.kpss, [column], { ...options }));
  }
  /** Engle-Granger cointegration test of `y` on `x` (statsmodels' coint). */
  coint(y: string, x: string | string[], options: CointOptions = {}): L {
    const columns = [y, ...(Array.isArray(x) ? x : [x])];
    return this.#next((p) => statTestPlan(p, TEST_KIND.coint, columns, { ...options }));
  }
  /** Johansen trace and max-eigenvalue tests of `columns`, one row per rank. */
  johansen(columns: string[], options: JohansenOptions = {}): L {
    return this.#next((p) => statTestPlan(p, TEST_KIND.johansen, columns, { ...options }));
  }
  /** Half-life of mean reversion of `column` (OLS of its change on its lagged level). */
  halfLife(column: string, options: StatTestOptions = {}): L {
    return this.#next((p) => statTestPlan(p, TEST_KIND.halfLife, [column], { ...options }));
  }
  /** Hurst exponent of `column` (variance of lagged differences). */
  hurst(column: string, options: HurstOptions = {}): L {
    return this.#next((p) => statTestPlan(p, TEST_KIND.hurst, [column], { ...options }));
  }

  /** Caches the result of this query for the plan's other uses of it. */
  cache(): L {
    return this.#next(R.cachePlan, true);
  }

  /** The same query (plans are immutable; the clone shares the schema cache). */
  clone(): L {
    return this.#of(this.#query);
  }

  /** Rows where `predicate` holds (a string names a boolean column). */
  filter(predicate: Expr | string): L {
    return this.#next((p) => P.filterPlan(p, predicate));
  }

  /** Columns by name or expression. */
  select(...columns: ColumnsOrExpr[]): L {
    return this.#next((p) => P.selectPlan(p, columns));
  }

  /** Adds or replaces columns. */
  withColumns(...exprs: ColumnsOrExpr[]): L {
    return this.#next((p) => P.withColumnsPlan(p, exprs));
  }

  /** Adds or replaces one column. */
  withColumn(expr: Expr): L {
    return this.withColumns(expr);
  }

  /** Sorts by columns or expressions; `descending` may hold one flag per key. */
  sort(
    by: ColumnsOrExpr,
    descending?: ValueOrArray<boolean>,
    nullsLast?: ValueOrArray<boolean>,
    maintainOrder?: boolean,
  ): L;
  /** Sorts with options `{by, descending, nullsLast, maintainOrder}`. */
  sort(options: P.SortOptions): L;
  sort(
    by: ColumnsOrExpr | P.SortOptions,
    descending?: ValueOrArray<boolean>,
    nullsLast?: ValueOrArray<boolean>,
    maintainOrder?: boolean,
  ): L {
    return this.#next((p) => P.sortPlan(p, by, descending, nullsLast, maintainOrder));
  }

  /** The first `n` rows. @default 5 */
  head(n = 5): L {
    return this.#next((p) => P.headPlan(p, n));
  }

  /** The first `n` rows (same as `head`). @default 5 */
  limit(n = 5): L {
    return this.head(n);
  }

  /** The last `n` rows. @default 5 */
  tail(n = 5): L {
    return this.#next((p) => P.tailPlan(p, n));
  }

  /** The first row (as a lazy frame; nodejs-polars collects it). */
  first(): L {
    return this.head(1);
  }

  /** The last row. */
  last(): L {
    return this.tail(1);
  }

  /** Rows [offset, offset + length); a negative offset counts from the end. */
  slice(offset: number, length?: number): L;
  slice(options: { offset: number; length?: number }): L;
  slice(offset: number | { offset: number; length?: number }, length?: number): L {
    const [o, l] = typeof offset === "object" && offset !== null
      ? [offset.offset, offset.length]
      : [offset, length];
    return this.#next((p) => P.slicePlan(p, o, l));
  }

  /** Drops duplicate rows: `unique(maintainOrder?, subset?, keep?)`. */
  unique(
    maintainOrder?: boolean,
    subset?: ValueOrArray<string>,
    keep?: P.UniqueKeepStrategy,
  ): L;
  /** Drops duplicate rows: `unique(subset, keep?, maintainOrder?)` (nodejs-polars 0.25 order). */
  unique(
    subset: ValueOrArray<string>,
    keep?: P.UniqueKeepStrategy,
    maintainOrder?: boolean,
  ): L;
  /** Drops duplicate rows: `unique({subset, keep, maintainOrder})`. */
  unique(options: P.UniqueOptions): L;
  unique(
    first?: boolean | ValueOrArray<string> | P.UniqueOptions,
    second?: ValueOrArray<string> | P.UniqueKeepStrategy,
    third?: P.UniqueKeepStrategy | boolean,
  ): L {
    return this.#next((p) => P.uniquePlan(p, first, second, third));
  }

  /** Removes columns: `drop("a")`, `drop("a", "b")` or `drop(["a", "b"])`. */
  drop(...columns: ValueOrArray<string>[]): L {
    return this.#next((p) => P.dropPlan(p, columns));
  }

  /** Drops rows with a null in any of `columns` (in any column when none is given). */
  dropNulls(...columns: ValueOrArray<string>[]): L {
    return this.#next((p) => R.dropNullsPlan(p, columns));
  }

  /** One row per list element of the columns (of every column when none is given). */
  explode(...columns: ColumnsOrExpr[]): L {
    return this.#next((p) => R.explodePlan(p, columns));
  }

  /** Struct columns become one column per field (`<column><separator><field>` if given). */
  unnest(columns: string | string[], separator?: string): L {
    return this.#next((p) => R.unnestPlan(p, columns, separator));
  }

  /** Wide to long: `valueVars` become (variable, value) rows; `idVars` repeat. */
  unpivot(
    idVars: ValueOrArray<string>,
    valueVars: ValueOrArray<string>,
    options?: R.UnpivotOptions,
  ): L {
    return this.#next((p) => R.unpivotPlan(p, idVars, valueVars, options));
  }

  /** Alias of `unpivot()`. */
  melt(
    idVars: ValueOrArray<string>,
    valueVars: ValueOrArray<string>,
    options?: R.UnpivotOptions,
  ): L {
    return this.unpivot(idVars, valueVars, options);
  }

  /** Long to wide, as DataFrame.pivot (runs eagerly on the server; columns are bounded). */
  pivot(values: ValueOrArray<string>, options: Omit<R.PivotOptions, "values">): L;
  pivot(options: R.PivotOptions): L;
  pivot(
    values: ValueOrArray<string> | R.PivotOptions,
    options?: Omit<R.PivotOptions, "values">,
  ): L {
    return this.#next((p) => R.pivotPlan(p, values, options));
  }

  /** A UInt32 row index as the first column. @default "index", offset 0 */
  withRowIndex(name = "index", offset = 0): L {
    return this.#next((p) => R.withRowIndexPlan(p, name, offset));
  }

  /** Renames columns: `rename({old: "new"})`. */
  rename(mapping: Record<string, string>): L {
    return this.#next((p) => P.renamePlan(p, mapping));
  }

  /** Renames one column. */
  withColumnRenamed(existing: string, replacement: string): L {
    return this.rename({ [existing]: replacement });
  }

  /** Casts columns: `cast({a: DataType.Int32})`. @param strict @default true */
  cast(dtypes: Record<string, DataType>, strict = true): L {
    return this.#next((p) => P.castPlan(p, dtypes, strict));
  }

  /** Replaces nulls in every column (a plain value is a literal). */
  fillNull(fillValue: ExprOrValue): L {
    return this.#next((p) => S.fillNullPlan(p, fillValue));
  }

  /** Replaces NaN in the float columns. */
  fillNan(fillValue: number | Expr): L {
    return this.#typed(S.fillNanPlan(fillValue));
  }

  /** Every column shifted by `periods` rows. */
  shift(periods: number | { periods: number }): L {
    const n = typeof periods === "object" && periods !== null ? periods.periods : periods;
    return this.#next((p) => S.shiftPlan(p, n));
  }

  /** Every column shifted by `n` rows, `fillValue` in the gap. */
  shiftAndFill(n: number, fillValue: number): L;
  shiftAndFill(options: { n: number; fillValue: number }): L;
  shiftAndFill(n: number | { n: number; fillValue: number }, fillValue?: number): L {
    const [k, v] = typeof n === "object" && n !== null ? [n.n, n.fillValue] : [n, fillValue];
    return this.#next((p) => S.shiftAndFillPlan(p, k, v as number));
  }

  /** The rows in reverse order. */
  reverse(): L {
    return this.#next(S.reversePlan);
  }

  /** One row: each column's maximum (null where its type has none). */
  max(): L {
    return this.#typed(S.statisticPlan("max"));
  }
  /** One row: each column's minimum. */
  min(): L {
    return this.#typed(S.statisticPlan("min"));
  }
  /** One row: each column's mean. */
  mean(): L {
    return this.#typed(S.statisticPlan("mean"));
  }
  /** One row: each column's median. */
  median(): L {
    return this.#typed(S.statisticPlan("median"));
  }
  /** One row: each column's sum. */
  sum(): L {
    return this.#typed(S.statisticPlan("sum"));
  }
  /** One row: each column's standard deviation. @param ddof @default 1 */
  std(ddof = 1): L {
    return this.#typed(S.statisticPlan("std", { ddof }));
  }
  /** One row: each column's variance. @param ddof @default 1 */
  var(ddof = 1): L {
    return this.#typed(S.statisticPlan("var", { ddof }));
  }
  /** One row: each column's quantile. @param interpolation @default "nearest" */
  quantile(quantile: number, interpolation: InterpolationMethod = "nearest"): L {
    return this.#typed(S.statisticPlan("quantile", { quantile, interpolation }));
  }

  /** Runs the plan and downloads the result as one apache-arrow Table. */
  toArrow(options: StreamOptions = {}): Promise<Table> {
    return this.#query.table(options);
  }

  /** Runs the plan and downloads the result as rows (Int64 as bigint, Datetime as Date). */
  async toRecords(options: StreamOptions = {}): Promise<Row[]> {
    return tableToRecords(await this.toArrow(options));
  }

  /** Runs the plan and yields the result's record batches as they arrive. */
  stream(options: StreamOptions = {}): AsyncGenerator<RecordBatch> {
    return this.#query.batches(options);
  }

  /** The logical plan, as Polars prints it. */
  async describePlan(): Promise<string> {
    return (await this.#query.explain()).logical;
  }

  /**
   * The optimized plan, as Polars prints it (with Polars' default passes: nodejs-polars'
   * optimizer switches are refused).
   */
  async describeOptimizedPlan(options?: Record<string, unknown>): Promise<string> {
    refuseOptions("LazyDataFrame.describeOptimizedPlan", options);
    return (await this.#query.explain()).optimized;
  }

  /** The result's column names and types (asked once per plan, then cached). */
  schema(): Promise<Schema> {
    return this.#query.schemaOf();
  }

  /** The result's column names (nodejs-polars' `columns` getter; asked once per plan). */
  async columns(): Promise<string[]> {
    return Object.keys(await this.schema());
  }

  /** The protobuf plan (nodejs-polars returns its native frame); throws while pending. */
  inner(): Plan {
    return this.plan;
  }

  /**
   * The plan in its wire form: "json" is the proto3 JSON of polaroid.v1.Plan, "bincode"
   * (nodejs-polars' binary format name) its protobuf encoding. @default "json"
   */
  serialize(format: "json" | "bincode" = "json"): Buffer {
    return serializePlan(this.plan, format);
  }

  // ---- Writing results out (sink.ts): `collect()` of the sink writes on the server ----

  /**
   * Writes the result as Parquet under the server's output root (or `s3://<bucket>/<key>`),
   * on the streaming engine, atomically; runs at `.collect()`, as in nodejs-polars.
   */
  sinkParquet(path: string, options?: SinkParquetOptions): RemoteSink {
    return this.#sink("LazyDataFrame.sinkParquet", SINK_FORMAT.parquet, path, options);
  }
  /** Writes the result as CSV (see sinkParquet). */
  sinkCSV(path: string, options?: SinkCsvOptions): RemoteSink {
    return this.#sink("LazyDataFrame.sinkCSV", SINK_FORMAT.csv, path, options);
  }
  /** Same as `sinkCSV`. */
  sinkCsv(path: string, options?: SinkCsvOptions): RemoteSink {
    return this.sinkCSV(path, options);
  }
  /** Writes the result as an Arrow IPC file (see sinkParquet). */
  sinkIpc(path: string, options?: SinkIpcOptions): RemoteSink {
    return this.#sink("LazyDataFrame.sinkIpc", SINK_FORMAT.ipc, path, options);
  }
  /** Writes the result as newline-delimited JSON (see sinkParquet). */
  sinkNdJson(path: string, options?: SinkNdJsonOptions): RemoteSink {
    return this.#sink("LazyDataFrame.sinkNdJson", SINK_FORMAT.ndjson, path, options);
  }
  #sink(method: string, format: number, path: string, options: unknown): RemoteSink {
    return remoteSink(this.#query.session, this.#query.resolve(), method, format, path, options);
  }

  /** The plan's proto3 JSON text; `JSON.stringify(lf)` embeds it as an object (as nodejs-polars). */
  toJSON(key?: string): string {
    const json = PlanMessage.toJSON(this.plan);
    return (key === "" ? json : JSON.stringify(json)) as string;
  }
}
