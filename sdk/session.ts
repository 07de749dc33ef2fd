/**
 * What frames need from a connection. Frames only record plans; every call to the servers
 * goes through this interface, implemented by the client (the one module doing I/O).
 *
 * @module
 */

import type { RecordBatch, Table } from "apache-arrow";
import type { HandleInfo } from "../shared/gen/polaroid/v1/handle.ts";
import type { Plan } from "../shared/gen/polaroid/v1/plan.ts";
import type { Schema } from "./datatypes.ts";
import type { RemoteDataFrame } from "./data_frame.ts";

/** What to read: a plan to run, or a stored frame. */
export type Source = { $case: "plan"; value: Plan } | { $case: "handle"; value: string };

/** Options of reading a result as Arrow. */
export interface StreamOptions {
  /** Rows per record batch; 0 or absent means the server's default. */
  batchSize?: number;
  /** Stops the stream. */
  signal?: AbortSignal;
}

/** Options of running a plan into a stored frame. */
export interface CollectOptions {
  /** Idle time to live of the result; 0 or absent means the server's default. */
  ttlSeconds?: number;
}

/** The logical and optimized plan, as Polars prints them. */
export interface Explanation {
  logical: string;
  optimized: string;
}

/** The server calls that frames make. */
export interface Session {
  /** Runs a plan and stores the result (Execute). */
  execute(plan: Plan, options?: CollectOptions): Promise<RemoteDataFrame>;
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
}
