/**
 * The client: the one module of the SDK that talks to compute workers (DataFrameService and
 * HandleService on the same endpoint; several endpoints are balanced and calls retried, see
 * transport/connection.ts). Frames record plans; every call goes through here.
 *
 * @module
 */

import type { ColumnsOrExpr } from "./functions.ts";
import { deserializePlan } from "./frame/lazy_plan.ts";
import { scanOptionsProto } from "./scan_options.ts";
import { type RecordBatch, Table } from "apache-arrow";
import { checkName, type ScanCsvOptions, type UploadOptions } from "./transport/client_options.ts";
import { FailedPreconditionError, HandleNotFoundError, InternalError } from "../shared/errors.ts";
import {
  type CollectResponse,
  DataFrameServiceService,
} from "../shared/gen/polaroid/v1/dataframe.ts";
import type { HandleInfo } from "../shared/gen/polaroid/v1/handle.ts";
import { HandleServiceService } from "../shared/gen/polaroid/v1/handles.ts";
import {
  FileFormat,
  type FileScan,
  type Plan,
  type ScanOptions,
} from "../shared/gen/polaroid/v1/plan.ts";
import type { RequestOf, ResponseOf } from "../shared/grpc/types.ts";
import { collectBatches, collectTable, DATAFRAME_SERVICE } from "./transport/arrow.ts";
import { uploadTable } from "./transport/upload.ts";
import { bulkOptions } from "./transport/bulk_options.ts";
import { type BulkDownloadOptions, routedCollect } from "./transport/collect.ts";
import { firstHandleId, sourceHandleId } from "./transport/balancer.ts";
import {
  type ChannelOptions,
  type ChannelPool,
  checkCount,
  openChannels,
  resolveEndpoints,
  type RoutingOptions,
} from "./transport/connection.ts";
import { JOB_SERVICE, JobCalls } from "./jobs.ts";
import { type Schema, schemaFromProto } from "./datatypes.ts";
import { RemoteDataFrame, RemoteLazyFrame } from "./frame/lazy_frame.ts";
import { scanFilePlan, scanHandlePlan } from "./plan/plan.ts";
import { type Row, tableFromRecords } from "./records.ts";
import { wireEngine } from "./transport/engine.ts";
import type { ResumeOptions } from "./transport/resume.ts";
import type {
  CollectOptions,
  Explanation,
  Session,
  SinkCallOptions,
  Source,
  StreamOptions,
} from "./transport/session.ts";
import type { SinkRequest, SinkResponse } from "../shared/gen/polaroid/v1/sink.ts";
import { type SqlOptions, sqlPlan } from "./sql.ts";

/** The compute endpoint used when neither the option nor POLAROID_ENDPOINT names one. */
export type { ScanCsvOptions, UploadOptions } from "./transport/client_options.ts";

export const DEFAULT_ENDPOINT = "127.0.0.1:50051";

/** Options of `connect()`. */
export interface ConnectOptions extends ChannelOptions, RoutingOptions {
  /**
   * "host:port" of a compute worker (or of a load balancer in front of several); exclusive
   * with `endpoints`. @default POLAROID_ENDPOINT, else "127.0.0.1:50051"
   */
  endpoint?: string;
  /**
   * "host:port" of each of several compute workers (sharing an external handle store):
   * calls are balanced over them (`balance`) and retried on the next one (`retry`);
   * exclusive with `endpoint`. @default POLAROID_ENDPOINT split at commas
   */
  endpoints?: readonly string[];
  /** Rows per record batch of downloads; 0 means the server's default. @default 0 */
  batchSize?: number;
  /**
   * Large downloads and uploads go over a worker's bulk HTTP port when it offers one
   * (docs/adr/0016), over gRPC when it does not or when the port cannot be reached; false
   * keeps everything on gRPC. Not with client certificates (`tls.cert`): the bulk port
   * cannot verify them. @default true (false with `tls.cert`)
   */
  bulk?: boolean;
  /**
   * How a stored frame's download goes on after the connection broke: it is reopened from
   * the next batch, not from the start.
   * @default { maxRetries: 5, initialDelayMs: 100, maxDelayMs: 2000 }
   */
  resume?: ResumeOptions;
}

/** A connection to one or several Polaroid compute endpoints. */
export interface Client extends AsyncDisposable {
  /** "host:port" this client calls (the first of `endpoints`). */
  readonly endpoint: string;
  /** "host:port" of every endpoint this client balances calls over. */
  readonly endpoints: readonly string[];
  /** Uploads an apache-arrow Table; the result is a stored frame. */
  fromArrow(table: Table, options?: UploadOptions): Promise<RemoteDataFrame>;
  /** Uploads rows (bigints stay exact Int64); `schema` fixes column types. */
  fromRecords(
    rows: readonly Row[],
    schema?: Schema,
    options?: UploadOptions,
  ): Promise<RemoteDataFrame>;
  /**
   * A lazy scan of Parquet file(s) under the server's data root (globs allowed). nodejs-polars'
   * scan options are refused, naming the option (docs/compat.md, Options).
   */
  scanParquet(path: string, options?: Record<string, unknown>): RemoteLazyFrame;
  /**
   * A lazy scan of a CSV file under the server's data root; `hasHeader` and `sep` are applied,
   * nodejs-polars' other scan options are refused, naming the option.
   */
  scanCsv(path: string, options?: ScanCsvOptions): RemoteLazyFrame;
  /** Same as `scanCsv` (nodejs-polars spelling). */
  scanCSV(path: string, options?: ScanCsvOptions): RemoteLazyFrame;
  /** A lazy scan of Arrow IPC file(s) under the server's data root (globs allowed). */
  scanIpc(path: string, options?: Record<string, unknown>): RemoteLazyFrame;
  /** Same as `scanIpc` (nodejs-polars spelling). */
  scanIPC(path: string, options?: Record<string, unknown>): RemoteLazyFrame;
  /** A lazy scan of a newline-delimited JSON file under the server's data root (options refused). */
  scanJson(path: string, options?: Record<string, unknown>): RemoteLazyFrame;
  /**
   * A lazy scan of a live table an ingest source appends to (`SourceSpec.table`): each plan
   * reads the table's committed rows as they are when it starts (docs/ingest.md).
   */
  scanLive(table: string): RemoteLazyFrame;
  /**
   * Opens a stored frame by id (HandleNotFoundError when it is gone). The frame takes over
   * one reference: `release()` drops it (call `retain()` first to share the handle).
   */
  handle(id: string): Promise<RemoteDataFrame>;
  /** Every handle the tenant holds (all pages). */
  listHandles(): Promise<HandleInfo[]>;
  /**
   * A lazy SQL query over `tables` (lazy or stored frames by name) and, with `ownedHandles`,
   * the tenant's named frames; it composes with every RemoteLazyFrame method.
   */
  sql(query: string, options?: SqlOptions): RemoteLazyFrame;
  /**
   * Expressions evaluated with no frame (nodejs-polars' `pl.select(...)`), on the server: a
   * literal is one row, `pl.intRange(0, 3)` three, `pl.len()` 0.
   */
  select(...exprs: ColumnsOrExpr[]): RemoteLazyFrame;
  /**
   * A lazy frame from a plan `lf.serialize(format)` wrote (nodejs-polars'
   * `LazyDataFrame.deserialize`), bound to this client: a saved query replayed.
   */
  deserialize(data: Uint8Array | string, format?: "json" | "bincode"): RemoteLazyFrame;
  /** Closes the connection; closing twice is harmless. */
  close(): Promise<void>;
}

/** The services the client calls on each endpoint. */
const SERVICES = { frames: DATAFRAME_SERVICE, handles: HandleServiceService, ...JOB_SERVICE };
type Frames = typeof DataFrameServiceService;
type Handles = typeof HandleServiceService;

class ClientImpl implements Client, Session {
  readonly #rpc: ChannelPool<typeof SERVICES>;
  readonly #batchSize: number;
  readonly #resume: ResumeOptions;
  readonly #bulk: BulkDownloadOptions | undefined;
  /** JobService calls, for frames' `submit()` (see jobs.ts). */
  readonly jobs: JobCalls;
  #closed = false;

  constructor(
    rpc: ChannelPool<typeof SERVICES>,
    batchSize: number,
    resume: ResumeOptions = {},
    bulk?: BulkDownloadOptions,
  ) {
    this.jobs = new JobCalls(rpc);
    this.#rpc = rpc;
    this.#batchSize = batchSize;
    this.#resume = resume;
    this.#bulk = bulk;
  }

  get endpoint(): string {
    return this.endpoints[0]!;
  }

  get endpoints(): readonly string[] {
    return this.#rpc.endpoints;
  }

  /** A DataFrameService call, routed by the handle it reads (`key`) and retried. */
  #frames<K extends "execute" | "schema" | "explain">(
    method: K,
    key: string | undefined,
    request: RequestOf<Frames[K]>,
  ): Promise<ResponseOf<Frames[K]>> {
    return this.#rpc.call(method, key, (rpc, call) => rpc.frames.unary(method, request, call));
  }

  /** A HandleService call, routed by the handle it names and retried. */
  #handles<
    K extends
      | "describeHandle"
      | "listHandles"
      | "retainHandle"
      | "releaseHandle"
      | "pinHandle"
      | "unpinHandle",
  >(
    method: K,
    request: RequestOf<Handles[K]>,
  ): Promise<ResponseOf<Handles[K]>> {
    const key = "id" in request ? request.id : undefined;
    return this.#rpc.call(method, key, (rpc, call) => rpc.handles.unary(method, request, call));
  }

  #live(what: string): void {
    if (this.#closed) {
      throw new FailedPreconditionError(
        `Cannot ${what} as the client is closed: current endpoint is ${this.endpoint}`,
      );
    }
  }

  #handle(info: HandleInfo | undefined, what: string): HandleInfo {
    if (!info) throw new InternalError(`Cannot ${what} as the server returned no handle`);
    return info;
  }

  #frame(info: HandleInfo | undefined, what: string): RemoteDataFrame {
    return new RemoteDataFrame(this, this.#handle(info, what));
  }

  async fromArrow(table: Table, options: UploadOptions = {}): Promise<RemoteDataFrame> {
    if (!(table instanceof Table)) {
      throw new TypeError(
        `Cannot upload as 'table' must be an apache-arrow Table: current value is ${String(table)}`,
      );
    }
    this.#live("upload");
    const name = checkName("upload", options.name);
    const ttlSeconds = options.ttlSeconds ?? 0;
    const info = await uploadTable(this.#rpc, table, {
      ttlSeconds,
      name,
      ...(this.#bulk ? { bulk: this.#bulk } : {}),
    });
    return new RemoteDataFrame(this, info);
  }

  async fromRecords(
    rows: readonly Row[],
    schema?: Schema,
    options?: UploadOptions,
  ): Promise<RemoteDataFrame> {
    return await this.fromArrow(tableFromRecords(rows, schema), options);
  }

  #scan(file: FileScan): RemoteLazyFrame {
    return new RemoteLazyFrame(this, scanFilePlan(file));
  }

  scanParquet(path: string, options?: Record<string, unknown>): RemoteLazyFrame {
    return this.#scan(
      fileScan(FileFormat.FILE_FORMAT_PARQUET, path, scanOptionsProto("pl.scanParquet", options)),
    );
  }

  scanCsv(path: string, options: ScanCsvOptions = {}): RemoteLazyFrame {
    const file = fileScan(
      FileFormat.FILE_FORMAT_CSV,
      path,
      scanOptionsProto("pl.scanCSV", options),
    );
    if (options.hasHeader !== undefined) file.hasHeader = options.hasHeader;
    if (options.sep !== undefined) {
      if (typeof options.sep !== "string" || [...options.sep].length !== 1) {
        throw new TypeError(
          `Cannot scan CSV as 'sep' must be one character: current value is ${
            JSON.stringify(options.sep)
          }`,
        );
      }
      file.separator = options.sep;
    }
    return this.#scan(file);
  }

  scanCSV(path: string, options?: ScanCsvOptions): RemoteLazyFrame {
    return this.scanCsv(path, options);
  }

  scanIpc(path: string, options?: Record<string, unknown>): RemoteLazyFrame {
    return this.#scan(
      fileScan(FileFormat.FILE_FORMAT_IPC, path, scanOptionsProto("pl.scanIPC", options)),
    );
  }

  scanIPC(path: string, options?: Record<string, unknown>): RemoteLazyFrame {
    return this.scanIpc(path, options);
  }

  scanJson(path: string, options?: Record<string, unknown>): RemoteLazyFrame {
    return this.#scan(
      fileScan(FileFormat.FILE_FORMAT_NDJSON, path, scanOptionsProto("pl.scanJson", options)),
    );
  }

  sql(query: string, options?: SqlOptions): RemoteLazyFrame {
    return new RemoteLazyFrame(this, sqlPlan(query, options));
  }

  scanLive(table: string): RemoteLazyFrame {
    if (typeof table !== "string" || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(table)) {
      throw new TypeError(
        `Cannot scan live table as 'table' must match [a-z0-9][a-z0-9_-]{0,63}: current value is ${
          JSON.stringify(String(table).slice(0, 80))
        }`,
      );
    }
    return new RemoteLazyFrame(this, {
      node: { $case: "scan", value: { source: { $case: "live", value: { table } } } },
    });
  }

  select(...exprs: ColumnsOrExpr[]): RemoteLazyFrame {
    const empty: Plan = {
      node: { $case: "scan", value: { source: { $case: "empty", value: {} } } },
    };
    return new RemoteLazyFrame(this, empty).select(...exprs);
  }

  deserialize(data: Uint8Array | string, format: "json" | "bincode" = "json"): RemoteLazyFrame {
    return new RemoteLazyFrame(this, deserializePlan(data, format));
  }

  async handle(id: string): Promise<RemoteDataFrame> {
    scanHandlePlan(id); // checks the id's shape
    this.#live("open handle");
    return this.#frame(await this.#handles("describeHandle", { id }), "open handle");
  }

  async listHandles(): Promise<HandleInfo[]> {
    this.#live("list handles");
    const all: HandleInfo[] = [];
    let after = "";
    do {
      const page = await this.#handles("listHandles", { limit: 0, after, names: [] });
      all.push(...page.handles);
      after = page.nextAfter;
    } while (after !== "");
    return all;
  }

  // Session: the calls frames make.

  async execute(plan: Plan, options: CollectOptions = {}): Promise<HandleInfo> {
    checkCount("collect", "ttlSeconds", options.ttlSeconds);
    const name = checkName("collect", options.name);
    this.#live("collect");
    const response = await this.#frames("execute", firstHandleId(plan), {
      plan,
      ttlSeconds: BigInt(options.ttlSeconds ?? 0),
      streaming: options.streaming ?? false,
      engine: wireEngine("collect", options.engine),
      name,
      skipCache: options.cache === false,
      durable: options.durable === true,
      metadata: options.metadata ?? {},
    });
    return this.#handle(response.handle, "collect");
  }

  /** The Collect messages of a source (routed, retried and resumed: see transport/collect.ts). */
  #collect(source: Source, options: StreamOptions): AsyncIterable<CollectResponse> {
    checkCount("download", "batchSize", options.batchSize, 2 ** 32 - 1);
    checkCount("download", "startBatch", options.startBatch);
    if (options.startBatch && source.$case === "plan") {
      throw new TypeError(
        `Cannot download from a start batch as 'startBatch' applies to stored frames only: current value is ${options.startBatch}`,
      );
    }
    this.#live("download");
    return routedCollect(this.#rpc, source, {
      ...options,
      batchSize: options.batchSize ?? this.#batchSize,
      resume: this.#resume,
      ...(this.#bulk ? { bulk: this.#bulk } : {}),
    });
  }

  async table(source: Source, options: StreamOptions = {}): Promise<Table> {
    return await collectTable(this.#collect(source, options));
  }

  async *batches(source: Source, options: StreamOptions = {}): AsyncGenerator<RecordBatch> {
    yield* collectBatches(this.#collect(source, options));
  }

  async schema(source: Source): Promise<Schema> {
    this.#live("resolve schema");
    const response = await this.#frames("schema", sourceHandleId(source), { source });
    return schemaFromProto(response.schema);
  }

  async explain(plan: Plan): Promise<Explanation> {
    this.#live("explain");
    const { logical, optimized } = await this.#frames("explain", firstHandleId(plan), { plan });
    return { logical, optimized };
  }

  async sink(request: SinkRequest, options: SinkCallOptions = {}): Promise<SinkResponse> {
    checkCount("write", "timeoutMs", options.timeoutMs);
    this.#live("write");
    return await this.#rpc.call(
      "sink",
      firstHandleId(request.plan),
      (rpc, call) => rpc.frames.unary("sink", request, call),
      {
        signal: options.signal,
        ...(options.timeoutMs === undefined ? {} : { deadline: Date.now() + options.timeoutMs }),
      },
    );
  }

  async retain(id: string): Promise<HandleInfo> {
    this.#live("retain handle");
    return await this.#handles("retainHandle", { id });
  }

  async pin(id: string): Promise<HandleInfo> {
    this.#live("pin handle");
    return await this.#handles("pinHandle", { id });
  }

  async unpin(id: string): Promise<HandleInfo> {
    this.#live("unpin handle");
    return await this.#handles("unpinHandle", { id });
  }

  async release(id: string): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#handles("releaseHandle", { id });
    } catch (error) {
      if (!(error instanceof HandleNotFoundError)) throw error;
    }
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#rpc.close();
      this.#bulk?.credentials.client?.close();
    }
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Connects to compute endpoints: `options.endpoint` or `options.endpoints`, else the
 * POLAROID_ENDPOINT environment variable (one endpoint or a comma-separated list, read only
 * when the program has `--allow-env`), else "127.0.0.1:50051". Waits up to
 * `connectTimeoutMs` for the servers and rejects with UnavailableError if none answers. A
 * string argument is the endpoint.
 */
export async function connect(options: ConnectOptions | string = {}): Promise<Client> {
  const opts: ConnectOptions = typeof options === "string" ? { endpoint: options } : options;
  const endpoints = resolveEndpoints(opts, "POLAROID_ENDPOINT", DEFAULT_ENDPOINT);
  checkCount("connect", "batchSize", opts.batchSize, 2 ** 32 - 1);
  checkCount("connect", "resume.maxRetries", opts.resume?.maxRetries);
  checkCount("connect", "resume.initialDelayMs", opts.resume?.initialDelayMs);
  checkCount("connect", "resume.maxDelayMs", opts.resume?.maxDelayMs);
  const useBulk = bulkOptions(opts, opts.bulk); // checked before anything is opened
  const rpc = await openChannels(endpoints, SERVICES, opts);
  return new ClientImpl(rpc, opts.batchSize ?? 0, opts.resume, useBulk?.());
}

/** A file scan, with its nodejs-polars options when any are set. */
function fileScan(format: FileFormat, path: string, options: ScanOptions | undefined): FileScan {
  return options === undefined ? { format, path } : { format, path, options };
}
