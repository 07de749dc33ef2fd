/**
 * RemoteDataFrame: a frame stored on the server under a handle. It knows its schema and
 * shape; `lazy()` starts a query on it, `toArrow()`/`toRecords()` download it, and
 * `release()` (or `await using`) frees it.
 *
 * @module
 */

import type { RecordBatch, Table } from "apache-arrow";
import type { HandleInfo } from "../shared/gen/polaroid/v1/handle.ts";
import { type DataType, type Schema, schemaFromProto } from "./datatypes.ts";
import { RemoteLazyFrame } from "./lazy_frame.ts";
import { scanHandlePlan } from "./plan.ts";
import { describePlan } from "./plan_stats.ts";
import { type Row, tableToRecords } from "./records.ts";
import { SchemaCache } from "./schema_cache.ts";
import type { Session, StreamOptions } from "./session.ts";
import {
  SINK_FORMAT,
  type SinkCsvOptions,
  type SinkResult,
  writeFrame,
  writeJson,
} from "./sink.ts";
import {
  asTimeSeries,
  type AsTimeSeriesOptions,
  type RemoteTimeSeries,
  storedTimeSeries,
} from "./time_series.ts";

/** Parquet codecs (nodejs-polars' WriteParquetOptions). */
type SinkParquetCodec = "uncompressed" | "snappy" | "gzip" | "lzo" | "brotli" | "lz4" | "zstd";

/** A stored frame, named by its handle id. */
export class RemoteDataFrame implements AsyncDisposable {
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

  /**
   * This frame as a time series: without options, one stored by `asTimeSeries()` (its
   * metadata names the columns); with options, checked and stored anew.
   */
  asTimeSeries(options?: AsTimeSeriesOptions): Promise<RemoteTimeSeries> {
    if (options === undefined) return Promise.try(() => storedTimeSeries(this));
    return asTimeSeries(this.lazy(), options);
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
  lazy(): RemoteLazyFrame {
    const plan = scanHandlePlan(this.#info.id);
    const schemas = new SchemaCache();
    schemas.seed(plan, this.#schema);
    return new RemoteLazyFrame(this.#session, plan, schemas);
  }

  /**
   * Summary statistics as nodejs-polars' `df.describe()`: rows mean, std, min, max and median
   * after a "describe" column, numeric and boolean columns as Float64 (as a lazy frame).
   */
  describe(): RemoteLazyFrame {
    const lf = this.lazy();
    return new RemoteLazyFrame(this.#session, describePlan(lf.plan, this.#schema));
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

  // Shortcuts to `this.lazy().method(...)`; each returns a RemoteLazyFrame.
  get filter(): RemoteLazyFrame["filter"] {
    return this.#lazy("filter");
  }
  get select(): RemoteLazyFrame["select"] {
    return this.#lazy("select");
  }
  get withColumns(): RemoteLazyFrame["withColumns"] {
    return this.#lazy("withColumns");
  }
  get withColumn(): RemoteLazyFrame["withColumn"] {
    return this.#lazy("withColumn");
  }
  get groupBy(): RemoteLazyFrame["groupBy"] {
    return this.#lazy("groupBy");
  }
  get join(): RemoteLazyFrame["join"] {
    return this.#lazy("join");
  }
  get sort(): RemoteLazyFrame["sort"] {
    return this.#lazy("sort");
  }
  get head(): RemoteLazyFrame["head"] {
    return this.#lazy("head");
  }
  get limit(): RemoteLazyFrame["limit"] {
    return this.#lazy("limit");
  }
  get tail(): RemoteLazyFrame["tail"] {
    return this.#lazy("tail");
  }
  get slice(): RemoteLazyFrame["slice"] {
    return this.#lazy("slice");
  }
  get unique(): RemoteLazyFrame["unique"] {
    return this.#lazy("unique");
  }
  get drop(): RemoteLazyFrame["drop"] {
    return this.#lazy("drop");
  }
  get rename(): RemoteLazyFrame["rename"] {
    return this.#lazy("rename");
  }
  get cast(): RemoteLazyFrame["cast"] {
    return this.#lazy("cast");
  }
  get joinAsof(): RemoteLazyFrame["joinAsof"] {
    return this.#lazy("joinAsof");
  }
  get groupByDynamic(): RemoteLazyFrame["groupByDynamic"] {
    return this.#lazy("groupByDynamic");
  }
  get groupByRolling(): RemoteLazyFrame["groupByRolling"] {
    return this.#lazy("groupByRolling");
  }
  /** Long to wide, as nodejs-polars' `df.pivot()` (runs on the server; columns are bounded). */
  get pivot(): RemoteLazyFrame["pivot"] {
    return this.#lazy("pivot");
  }
  get unpivot(): RemoteLazyFrame["unpivot"] {
    return this.#lazy("unpivot");
  }
  get melt(): RemoteLazyFrame["melt"] {
    return this.#lazy("melt");
  }
  get explode(): RemoteLazyFrame["explode"] {
    return this.#lazy("explode");
  }
  get unnest(): RemoteLazyFrame["unnest"] {
    return this.#lazy("unnest");
  }
  get withRowIndex(): RemoteLazyFrame["withRowIndex"] {
    return this.#lazy("withRowIndex");
  }
  get dropNulls(): RemoteLazyFrame["dropNulls"] {
    return this.#lazy("dropNulls");
  }
  get fillNull(): RemoteLazyFrame["fillNull"] {
    return this.#lazy("fillNull");
  }
  get fillNan(): RemoteLazyFrame["fillNan"] {
    return this.#lazy("fillNan");
  }
  get shift(): RemoteLazyFrame["shift"] {
    return this.#lazy("shift");
  }
  get reverse(): RemoteLazyFrame["reverse"] {
    return this.#lazy("reverse");
  }
  get max(): RemoteLazyFrame["max"] {
    return this.#lazy("max");
  }
  get min(): RemoteLazyFrame["min"] {
    return this.#lazy("min");
  }
  get mean(): RemoteLazyFrame["mean"] {
    return this.#lazy("mean");
  }
  get median(): RemoteLazyFrame["median"] {
    return this.#lazy("median");
  }
  get sum(): RemoteLazyFrame["sum"] {
    return this.#lazy("sum");
  }
  get std(): RemoteLazyFrame["std"] {
    return this.#lazy("std");
  }
  get var(): RemoteLazyFrame["var"] {
    return this.#lazy("var");
  }
  get quantile(): RemoteLazyFrame["quantile"] {
    return this.#lazy("quantile");
  }

  #lazy<K extends keyof RemoteLazyFrame>(name: K): RemoteLazyFrame[K] {
    const lf = this.lazy();
    const method = lf[name];
    return (typeof method === "function" ? method.bind(lf) : method) as RemoteLazyFrame[K];
  }
}
