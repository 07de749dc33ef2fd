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
import { type Row, tableToRecords } from "./records.ts";
import type { Session, StreamOptions } from "./session.ts";

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

  /** A lazy query starting from this frame. */
  lazy(): RemoteLazyFrame {
    return new RemoteLazyFrame(this.#session, scanHandlePlan(this.#info.id));
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

  /** Adds a reference on the server; each `retain()` needs its own `release()`. */
  async retain(): Promise<void> {
    await this.#session.retain(this.#info.id);
    this.#references++;
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

  #lazy<K extends keyof RemoteLazyFrame>(name: K): RemoteLazyFrame[K] {
    const lf = this.lazy();
    const method = lf[name];
    return (typeof method === "function" ? method.bind(lf) : method) as RemoteLazyFrame[K];
  }
}
