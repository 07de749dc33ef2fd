/**
 * What frames need from a connection. Frames only record plans; every call to the servers
 * goes through this interface, implemented by the client (the one module doing I/O). It
 * answers in plain data (a stored result is its HandleInfo: id, schema, rows, bytes, name,
 * metadata), never in frames: the frames wrap what it returns (sdk/frame/).
 *
 * @module
 */

import type { RecordBatch, Table } from "apache-arrow";
import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import type { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import type { SinkRequest, SinkResponse } from "../../shared/gen/polaroid/v1/sink.ts";
import type { Schema } from "../datatypes.ts";

/** What to read: a plan to run, or a stored frame. */
export type Source = { $case: "plan"; value: Plan } | { $case: "handle"; value: string };

/** Options of reading a result as Arrow. */
export interface StreamOptions {
  /** Rows per record batch; 0 or absent means the server's default. */
  batchSize?: number;
  /** Stops the stream. */
  signal?: AbortSignal;
  /**
   * Stored frames only: start at this batch (of `batchSize` rows), e.g. to go on with a
   * stream that was stopped; a frame's batches are the same on every read. @default 0
   */
  startBatch?: number;
  /**
   * Plans only: run the plan on Polars' streaming engine, in bounded memory, for scans
   * larger than memory. @default false (the server may still choose it, see
   * POLAROID_MEMORY_LIMIT)
   */
  streaming?: boolean;
  /**
   * Plans only: the Polars engine, as in nodejs-polars' `collectSync({ engine })`: `"auto"`,
   * the server's default (POLAROID_ENGINE, in-memory unless set otherwise), `"streaming"` or
   * `"in-memory"`. The streaming engine is faster on large group-bys; the order of rows an
   * operation does not define (a join's, unpivot's, an unsorted value count's) may differ
   * from the in-memory engine's. @default "auto"
   */
  engine?: EngineChoice;
}

/** A Polars engine, or the server's choice. */
export type EngineChoice = "auto" | "streaming" | "in-memory";

/** Options of running a plan into a stored frame. */
export interface CollectOptions {
  /** Idle time to live of the result; 0 or absent means the server's default. */
  ttlSeconds?: number;
  /**
   * A name for the result, unique among the tenant's live frames (AlreadyExistsError
   * otherwise); SQL reads it as a table of that name. @default "" (no name)
   */
  name?: string;
  /**
   * Run the plan on Polars' streaming engine, in bounded memory, for scans larger than
   * memory. @default false (the server may still choose it, see POLAROID_MEMORY_LIMIT)
   */
  streaming?: boolean;
  /** The Polars engine (see StreamOptions.engine). @default "auto" */
  engine?: EngineChoice;
  /**
   * Reuse the live result of an equal earlier plan over the same frames, if the server has
   * one (the plan cache); false always recomputes. @default true
   */
  cache?: boolean;
  /**
   * With a cluster on the external handle store: the result's object is written before the
   * handle is returned, even where workers write behind (POLAROID_STORE_WRITE=behind, whose
   * results are lost if their worker goes before the write ends). @default false
   */
  durable?: boolean;
  /**
   * Labels kept with the result handle (`df.metadata`): at most 16 entries, keys of dotted
   * lower-case words, 64 KiB together. A result with metadata is never a cached one.
   * @default {}
   */
  metadata?: Record<string, string>;
}

/** The logical and optimized plan, as Polars prints them. */
export interface Explanation {
  logical: string;
  optimized: string;
}

/** Options of one write call (Sink). */
export interface SinkCallOptions {
  /** Stops the write: the server leaves nothing at the path. */
  signal?: AbortSignal;
  /** Bound on the call, retries included. @default the client's timeoutMs */
  timeoutMs?: number;
}

/** The server calls that frames make. */
export interface Session {
  /** Runs a plan and stores the result (Execute): the stored result's handle. */
  execute(plan: Plan, options?: CollectOptions): Promise<HandleInfo>;
  /** The result as one Table (Collect). */
  table(source: Source, options?: StreamOptions): Promise<Table>;
  /** The result as record batches, as they arrive (Collect). */
  batches(source: Source, options?: StreamOptions): AsyncGenerator<RecordBatch>;
  /** The result's schema, without running a plan (Schema). */
  schema(source: Source): Promise<Schema>;
  /** The plan as Polars prints it (Explain). */
  explain(plan: Plan): Promise<Explanation>;
  /** Adds a reference to a stored frame (RetainHandle). */
  retain(id: string): Promise<HandleInfo>;
  /** Drops a reference to a stored frame (ReleaseHandle); a frame already gone is not an error. */
  release(id: string): Promise<void>;
  /** Keeps a stored frame alive until unpinned (PinHandle). */
  pin(id: string): Promise<HandleInfo>;
  /** Undoes pin(); a frame without references is freed (UnpinHandle). */
  unpin(id: string): Promise<HandleInfo>;
  /** Runs a plan and writes its result out (Sink; sdk/frame/sink.ts). */
  sink(request: SinkRequest, options?: SinkCallOptions): Promise<SinkResponse>;
}
