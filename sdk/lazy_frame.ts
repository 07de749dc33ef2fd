/**
 * RemoteLazyFrame: nodejs-polars' LazyDataFrame API over a remote engine. Each method
 * returns a new frame with one more plan node, without a round trip; `collect()`,
 * `toArrow()`, `toRecords()`, `stream()`, `schema()` and `describePlan()` call the server.
 *
 * @module
 */

import type { RecordBatch, Table } from "apache-arrow";
import type { Plan } from "../shared/gen/polaroid/v1/plan.ts";
import type { DataType, Schema } from "./datatypes.ts";
import type { RemoteDataFrame } from "./data_frame.ts";
import type { Expr } from "./expr.ts";
import type { ColumnsOrExpr, ValueOrArray } from "./functions.ts";
import { RemoteLazyGroupBy } from "./group_by.ts";
import {
  castPlan,
  dropPlan,
  filterPlan,
  headPlan,
  type JoinOptions,
  joinPlan,
  renamePlan,
  selectPlan,
  slicePlan,
  type SortOptions,
  sortPlan,
  tailPlan,
  type UniqueKeepStrategy,
  type UniqueOptions,
  uniquePlan,
  withColumnsPlan,
} from "./plan.ts";
import { type Row, tableToRecords } from "./records.ts";
import type { CollectOptions, Session, StreamOptions } from "./session.ts";

/** A lazy query on the server, built like a nodejs-polars LazyDataFrame. */
export class RemoteLazyFrame {
  readonly #session: Session;
  readonly #plan: Plan;
  #schema: Promise<Schema> | undefined;

  /** Frames come from a Client (`scanParquet()`, `df.lazy()`, ...), not from this constructor. */
  constructor(session: Session, plan: Plan) {
    this.#session = session;
    this.#plan = plan;
  }

  /** The protobuf plan this frame sends (treat as read-only). */
  get plan(): Plan {
    return this.#plan;
  }

  #next(plan: Plan): RemoteLazyFrame {
    return new RemoteLazyFrame(this.#session, plan);
  }

  /** Rows where `predicate` holds (a string names a boolean column). */
  filter(predicate: Expr | string): RemoteLazyFrame {
    return this.#next(filterPlan(this.#plan, predicate));
  }

  /** Columns by name or expression. */
  select(...columns: ColumnsOrExpr[]): RemoteLazyFrame {
    return this.#next(selectPlan(this.#plan, columns));
  }

  /** Adds or replaces columns. */
  withColumns(...exprs: ColumnsOrExpr[]): RemoteLazyFrame {
    return this.#next(withColumnsPlan(this.#plan, exprs));
  }

  /** Adds or replaces one column. */
  withColumn(expr: Expr): RemoteLazyFrame {
    return this.withColumns(expr);
  }

  /**
   * Groups rows by keys; finish with `.agg(...)`.
   * @param maintainOrder keep groups in order of first appearance @default true (as nodejs-polars)
   */
  groupBy(
    by: ColumnsOrExpr,
    maintainOrder: boolean | { maintainOrder: boolean } = true,
  ): RemoteLazyGroupBy {
    const keep = typeof maintainOrder === "object" ? maintainOrder.maintainOrder : maintainOrder;
    return new RemoteLazyGroupBy(this.#plan, by, keep, (plan) => this.#next(plan));
  }

  /**
   * Joins with another frame: `{on}` or `{leftOn, rightOn}`, `how` one of inner (default),
   * left, full, semi, anti, cross; "outer" means "full" (keys kept apart unless `coalesce`).
   */
  join(other: RemoteLazyFrame | RemoteDataFrame, options: JoinOptions): RemoteLazyFrame {
    const right = other instanceof RemoteLazyFrame ? other : other.lazy();
    return this.#next(joinPlan(this.#plan, right.plan, options));
  }

  /** Sorts by columns or expressions; `descending` may hold one flag per key. */
  sort(
    by: ColumnsOrExpr,
    descending?: ValueOrArray<boolean>,
    nullsLast?: ValueOrArray<boolean>,
    maintainOrder?: boolean,
  ): RemoteLazyFrame;
  /** Sorts with options `{by, descending, nullsLast, maintainOrder}`. */
  sort(options: SortOptions): RemoteLazyFrame;
  sort(
    by: ColumnsOrExpr | SortOptions,
    descending?: ValueOrArray<boolean>,
    nullsLast?: ValueOrArray<boolean>,
    maintainOrder?: boolean,
  ): RemoteLazyFrame {
    return this.#next(sortPlan(this.#plan, by, descending, nullsLast, maintainOrder));
  }

  /** The first `n` rows. @default 5 */
  head(n = 5): RemoteLazyFrame {
    return this.#next(headPlan(this.#plan, n));
  }

  /** The first `n` rows (same as `head`). @default 5 */
  limit(n = 5): RemoteLazyFrame {
    return this.head(n);
  }

  /** The last `n` rows. @default 5 */
  tail(n = 5): RemoteLazyFrame {
    return this.#next(tailPlan(this.#plan, n));
  }

  /** The first row (as a frame). */
  first(): RemoteLazyFrame {
    return this.head(1);
  }

  /** The last row (as a frame). */
  last(): RemoteLazyFrame {
    return this.tail(1);
  }

  /** Rows [offset, offset + length); a negative offset counts from the end. */
  slice(offset: number, length?: number): RemoteLazyFrame;
  slice(options: { offset: number; length?: number }): RemoteLazyFrame;
  slice(offset: number | { offset: number; length?: number }, length?: number): RemoteLazyFrame {
    return typeof offset === "object" && offset !== null
      ? this.#next(slicePlan(this.#plan, offset.offset, offset.length))
      : this.#next(slicePlan(this.#plan, offset, length));
  }

  /** Drops duplicate rows: `unique(maintainOrder?, subset?, keep?)`. */
  unique(
    maintainOrder?: boolean,
    subset?: ValueOrArray<string>,
    keep?: UniqueKeepStrategy,
  ): RemoteLazyFrame;
  /** Drops duplicate rows: `unique(subset, keep?, maintainOrder?)` (nodejs-polars 0.25 order). */
  unique(
    subset: ValueOrArray<string>,
    keep?: UniqueKeepStrategy,
    maintainOrder?: boolean,
  ): RemoteLazyFrame;
  /** Drops duplicate rows: `unique({subset, keep, maintainOrder})`. */
  unique(options: UniqueOptions): RemoteLazyFrame;
  unique(
    first?: boolean | ValueOrArray<string> | UniqueOptions,
    second?: ValueOrArray<string> | UniqueKeepStrategy,
    third?: UniqueKeepStrategy | boolean,
  ): RemoteLazyFrame {
    return this.#next(uniquePlan(this.#plan, first, second, third));
  }

  /** Removes columns: `drop("a")`, `drop("a", "b")` or `drop(["a", "b"])`. */
  drop(...columns: ValueOrArray<string>[]): RemoteLazyFrame {
    return this.#next(dropPlan(this.#plan, columns));
  }

  /** Renames columns: `rename({old: "new"})`. */
  rename(mapping: Record<string, string>): RemoteLazyFrame {
    return this.#next(renamePlan(this.#plan, mapping));
  }

  /** Renames one column. */
  withColumnRenamed(existing: string, replacement: string): RemoteLazyFrame {
    return this.rename({ [existing]: replacement });
  }

  /** Casts columns: `cast({a: DataType.Int32})`. @param strict @default true */
  cast(dtypes: Record<string, DataType>, strict = true): RemoteLazyFrame {
    return this.#next(castPlan(this.#plan, dtypes, strict));
  }

  /** Runs the plan and keeps the result on the server, as a RemoteDataFrame (a handle). */
  collect(options: CollectOptions = {}): Promise<RemoteDataFrame> {
    return this.#session.execute(this.#plan, options);
  }

  /** Runs the plan and downloads the result as one apache-arrow Table. */
  toArrow(options: StreamOptions = {}): Promise<Table> {
    return this.#session.table({ $case: "plan", value: this.#plan }, options);
  }

  /** Runs the plan and downloads the result as rows (Int64 as bigint, Datetime as Date). */
  async toRecords(options: StreamOptions = {}): Promise<Row[]> {
    return tableToRecords(await this.toArrow(options));
  }

  /** Runs the plan and yields the result's record batches as they arrive. */
  stream(options: StreamOptions = {}): AsyncGenerator<RecordBatch> {
    return this.#session.batches({ $case: "plan", value: this.#plan }, options);
  }

  /** The logical plan, as Polars prints it. */
  async describePlan(): Promise<string> {
    return (await this.#session.explain(this.#plan)).logical;
  }

  /** The optimized plan, as Polars prints it. */
  async describeOptimizedPlan(): Promise<string> {
    return (await this.#session.explain(this.#plan)).optimized;
  }

  /** The result's column names and types (asked once per frame, then cached). */
  schema(): Promise<Schema> {
    if (this.#schema === undefined) {
      const pending = this.#session.schema({ $case: "plan", value: this.#plan });
      this.#schema = pending;
      pending.catch(() => {
        if (this.#schema === pending) this.#schema = undefined;
      });
    }
    return this.#schema;
  }

  /** The result's column names. */
  async columns(): Promise<string[]> {
    return Object.keys(await this.schema());
  }
}
