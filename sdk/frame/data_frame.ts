/**
 * A frame stored on the server under a handle. It knows its schema and shape; `lazy()`
 * starts a query on it, `toArrow()`/`toRecords()` download it, and `release()` (or
 * `await using`) frees it. Written over the lazy frame class L its queries are:
 * RemoteDataFrame (lazy_frame.ts) is the DataFrameBase of RemoteLazyFrames, and adds
 * `asTimeSeries()`.
 *
 * @module
 */

import type { RecordBatch, Table } from "apache-arrow";
import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import type { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import { type DataType, type Schema, schemaFromProto } from "../datatypes.ts";
import { LAZY, type LazyQuery } from "./lazy_query.ts";
import { scanHandlePlan } from "../plan/plan.ts";
import { describePlan } from "../plan/plan_stats.ts";
import { type Row, tableToRecords } from "../records.ts";
import { SchemaCache } from "../schema_cache.ts";
import type { Session, StreamOptions } from "../transport/session.ts";
import {
  SINK_FORMAT,
  type SinkCsvOptions,
  type SinkResult,
  writeFrame,
  writeJson,
} from "./sink.ts";

/** Parquet codecs (nodejs-polars' WriteParquetOptions). */
type SinkParquetCodec = "uncompressed" | "snappy" | "gzip" | "lzo" | "brotli" | "lz4" | "zstd";

/** A stored frame, named by its handle id; its queries are Ls. */
export abstract class DataFrameBase<L extends LazyQuery<L, unknown>> implements AsyncDisposable {
  readonly #session: Session;
  readonly #info: HandleInfo;
  readonly #schema: Readonly<Schema>;
  #references = 1;

  /** Frames come from a Client (`collect()`, `fromArrow()`, `handle()`), not this constructor. */
  constructor(session: Session, info: HandleInfo) {
    this.#session = session;
    this.#info = info;
    this.#schema = Object.freeze(schemaFromProto(info.schema));
  }

  /** A new lazy frame of the class this frame's queries are (L). */
  abstract [LAZY](session: Session, plan: Plan | Promise<Plan>, schemas?: SchemaCache): L;

  /** The handle id. */
  get id(): string {
    return this.#info.id;
  }

  /** The frame's name ("" when it has none); SQL reads named frames as tables. */
  get name(): string {
    return this.#info.name;
  }

  /** The labels the frame was made with (see CollectOptions.metadata). */
  get metadata(): Readonly<Record<string, string>> {
    return this.#info.metadata;
  }

  /** What the catalog said of the handle when this frame was made. */
  get info(): Readonly<HandleInfo> {
    return this.#info;
  }

  /** Column name to type, in column order. */
  get schema(): Readonly<Schema> {
    return this.#schema;
  }

  get columns(): string[] {
    return Object.keys(this.#schema);
  }

  get dtypes(): DataType[] {
    return Object.values(this.#schema);
  }

  /** The number of rows. */
  get height(): number {
    return Number(this.#info.rows);
  }

  /** The number of columns. */
  get width(): number {
    return this.columns.length;
  }

  get shape(): { height: number; width: number } {
    return { height: this.height, width: this.width };
  }

  /** A lazy query starting from this frame (its schema is known: no round trip asks for it). */
  lazy(): L {
    const plan = scanHandlePlan(this.#info.id);
    const schemas = new SchemaCache();
    schemas.seed(plan, this.#schema);
    return this[LAZY](this.#session, plan, schemas);
  }

  /**
   * Summary statistics as nodejs-polars' `df.describe()`: rows mean, std, min, max and median
   * after a "describe" column, numeric and boolean columns as Float64 (as a lazy frame).
   */
  describe(): L {
    const lf = this.lazy();
    return this[LAZY](this.#session, describePlan(lf.plan, this.#schema));
  }

  /** Downloads the frame as one apache-arrow Table. */
  toArrow(options: StreamOptions = {}): Promise<Table> {
    return this.#session.table({ $case: "handle", value: this.#info.id }, options);
  }

  /** Downloads the frame as rows (Int64 as bigint, Datetime as Date). */
  async toRecords(options: StreamOptions = {}): Promise<Row[]> {
    return tableToRecords(await this.toArrow(options));
  }

  /** Yields the frame's record batches as they arrive. */
  stream(options: StreamOptions = {}): AsyncGenerator<RecordBatch> {
    return this.#session.batches({ $case: "handle", value: this.#info.id }, options);
  }

  // ---- Writing out (sink.ts): on the server, under its output root or to `s3://<bucket>/<key>` ----

  /** Writes the frame as Parquet (nodejs-polars' default: uncompressed), atomically. */
  writeParquet(
    path: string,
    options?: { compression?: SinkParquetCodec },
  ): Promise<SinkResult> {
    return writeFrame(
      this.#session,
      this.#plan(),
      "DataFrame.writeParquet",
      SINK_FORMAT.parquet,
      path,
      options,
    );
  }
  /** Writes the frame as CSV, as nodejs-polars' `writeCSV(path, options)` does. */
  writeCSV(path: string, options?: SinkCsvOptions): Promise<SinkResult> {
    return writeFrame(
      this.#session,
      this.#plan(),
      "DataFrame.writeCSV",
      SINK_FORMAT.csv,
      path,
      options,
    );
  }
  /** Same as `writeCSV`. */
  writeCsv(path: string, options?: SinkCsvOptions): Promise<SinkResult> {
    return this.writeCSV(path, options);
  }
  /** Writes the frame as an Arrow IPC file (nodejs-polars' default: uncompressed). */
  writeIPC(
    path: string,
    options?: { compression?: "uncompressed" | "lz4" | "zstd" },
  ): Promise<SinkResult> {
    return writeFrame(
      this.#session,
      this.#plan(),
      "DataFrame.writeIPC",
      SINK_FORMAT.ipc,
      path,
      options,
    );
  }
  /** Same as `writeIPC`. */
  writeIpc(
    path: string,
    options?: { compression?: "uncompressed" | "lz4" | "zstd" },
  ): Promise<SinkResult> {
    return this.writeIPC(path, options);
  }
  /** Writes the frame as newline-delimited JSON (`format: "lines"`, nodejs-polars' default). */
  writeJSON(path: string, options?: { format?: "lines" | "json" }): Promise<SinkResult> {
    return writeJson(this.#session, this.#plan(), path, options);
  }

  #plan() {
    return scanHandlePlan(this.#info.id);
  }

  /** Adds a reference on the server; each `retain()` needs its own `release()`. */
  async retain(): Promise<void> {
    await this.#session.retain(this.#info.id);
    this.#references++;
  }

  /**
   * Pins the frame on the server: it never expires and outlives its last release until
   * `unpin()`.
   */
  async pin(): Promise<void> {
    await this.#session.pin(this.#info.id);
  }

  /** Undoes `pin()`; a frame whose references were all released is freed. */
  async unpin(): Promise<void> {
    await this.#session.unpin(this.#info.id);
  }

  /**
   * Drops this frame's reference; the server frees the frame when none is left. Calling it
   * more often than the frame holds references does nothing.
   */
  async release(): Promise<void> {
    if (this.#references === 0) return;
    this.#references--;
    try {
      await this.#session.release(this.#info.id);
    } catch (error) {
      this.#references++;
      throw error;
    }
  }

  /** `await using df = await lf.collect()` releases the frame at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }

  toString(): string {
    return `RemoteDataFrame(${this.id}, ${this.height} x ${this.width})`;
  }

  // Shortcuts to `this.lazy().method(...)`; each returns an L.
  get filter(): L["filter"] {
    return this.#lazy("filter");
  }
  get select(): L["select"] {
    return this.#lazy("select");
  }
  get withColumns(): L["withColumns"] {
    return this.#lazy("withColumns");
  }
  get withColumn(): L["withColumn"] {
    return this.#lazy("withColumn");
  }
  get groupBy(): L["groupBy"] {
    return this.#lazy("groupBy");
  }
  get join(): L["join"] {
    return this.#lazy("join");
  }
  get sort(): L["sort"] {
    return this.#lazy("sort");
  }
  get head(): L["head"] {
    return this.#lazy("head");
  }
  get limit(): L["limit"] {
    return this.#lazy("limit");
  }
  get tail(): L["tail"] {
    return this.#lazy("tail");
  }
  get slice(): L["slice"] {
    return this.#lazy("slice");
  }
  get unique(): L["unique"] {
    return this.#lazy("unique");
  }
  get drop(): L["drop"] {
    return this.#lazy("drop");
  }
  get rename(): L["rename"] {
    return this.#lazy("rename");
  }
  get cast(): L["cast"] {
    return this.#lazy("cast");
  }
  get joinAsof(): L["joinAsof"] {
    return this.#lazy("joinAsof");
  }
  get groupByDynamic(): L["groupByDynamic"] {
    return this.#lazy("groupByDynamic");
  }
  get groupByRolling(): L["groupByRolling"] {
    return this.#lazy("groupByRolling");
  }
  /** Long to wide, as nodejs-polars' `df.pivot()` (runs on the server; columns are bounded). */
  get pivot(): L["pivot"] {
    return this.#lazy("pivot");
  }
  get unpivot(): L["unpivot"] {
    return this.#lazy("unpivot");
  }
  get melt(): L["melt"] {
    return this.#lazy("melt");
  }
  get explode(): L["explode"] {
    return this.#lazy("explode");
  }
  get unnest(): L["unnest"] {
    return this.#lazy("unnest");
  }
  get withRowIndex(): L["withRowIndex"] {
    return this.#lazy("withRowIndex");
  }
  get dropNulls(): L["dropNulls"] {
    return this.#lazy("dropNulls");
  }
  get fillNull(): L["fillNull"] {
    return this.#lazy("fillNull");
  }
  get fillNan(): L["fillNan"] {
    return this.#lazy("fillNan");
  }
  get shift(): L["shift"] {
    return this.#lazy("shift");
  }
  get reverse(): L["reverse"] {
    return this.#lazy("reverse");
  }
  get max(): L["max"] {
    return this.#lazy("max");
  }
  get min(): L["min"] {
    return this.#lazy("min");
  }
  get mean(): L["mean"] {
    return this.#lazy("mean");
  }
  get median(): L["median"] {
    return this.#lazy("median");
  }
  get sum(): L["sum"] {
    return this.#lazy("sum");
  }
  get std(): L["std"] {
    return this.#lazy("std");
  }
  get var(): L["var"] {
    return this.#lazy("var");
  }
  get quantile(): L["quantile"] {
    return this.#lazy("quantile");
  }

  #lazy<K extends keyof L>(name: K): L[K] {
    const lf = this.lazy();
    const method = lf[name];
    return (typeof method === "function" ? method.bind(lf) : method) as L[K];
  }
}
