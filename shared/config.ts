/**
 * Configuration: every `POLAROID_*` variable is parsed here, once, at start-up, into typed
 * objects that are passed down. A bad value stops the service with a message naming the
 * variable. Nothing else reads the environment.
 *
 * @module
 */

import { tmpdir } from "node:os";
import { join } from "node:path";
import { isWorkerId, WORKER_ID } from "./ids.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** Thrown at start-up for a malformed variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function str(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

function int(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(
      `Cannot start as '${name}' must be an integer in [${min}, ${max}]: current value is ${
        JSON.stringify(value)
      }`,
    );
  }
  return n;
}

const SIZE = /^(\d+)\s*(b|kib|k|mib|m|gib|g|tib|t)?$/i;
const UNITS: Record<string, number> = {
  b: 1,
  k: KIB,
  kib: KIB,
  m: MIB,
  mib: MIB,
  g: GIB,
  gib: GIB,
  t: 1024 * GIB,
  tib: 1024 * GIB,
};

/** A byte size: a plain integer or one with a unit (`512MiB`, `2g`). */
function bytes(env: Env, name: string, fallback: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const match = SIZE.exec(value);
  const n = match ? Number(match[1]) * UNITS[(match[2] ?? "b").toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new ConfigError(
      `Cannot start as '${name}' must be a positive byte size such as 512MiB: current value is ${
        JSON.stringify(value)
      }`,
    );
  }
  return n;
}

/** An optional byte size: undefined when the variable is unset or empty. */
function optionalBytes(env: Env, name: string): number | undefined {
  return raw(env, name) === undefined ? undefined : bytes(env, name, 0);
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (value !== "true" && value !== "false") {
    throw new ConfigError(
      `Cannot configure ${name} as it must be true or false: current value is ${value}`,
    );
  }
  return value === "true";
}

function choice<T extends string>(env: Env, name: string, options: readonly T[], fallback: T): T {
  const value = raw(env, name) ?? fallback;
  if (!(options as readonly string[]).includes(value)) {
    throw new ConfigError(
      `Cannot start as '${name}' must be one of ${options.join(", ")}: current value is ${
        JSON.stringify(value)
      }`,
    );
  }
  return value as T;
}

const ENDPOINT = /^[A-Za-z0-9.\-_:[\]]+:\d{1,5}$/;

function endpoint(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  if (!ENDPOINT.test(value)) {
    throw new ConfigError(
      `Cannot start as '${name}' must be host:port: current value is ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export type LogLevel = "debug" | "info" | "warn" | "error";

/** What every service shares. */
export interface CommonConfig {
  /** Interface to bind (POLAROID_HOST). @default "127.0.0.1" */
  host: string;
  /** POLAROID_LOG_LEVEL. @default "info" */
  logLevel: LogLevel;
  /** POLAROID_NATS_URL. @default "nats://127.0.0.1:4222" */
  natsUrl: string;
  /** Largest gRPC message in either direction (POLAROID_MAX_MESSAGE_BYTES). @default 64MiB */
  maxMessageBytes: number;
  /**
   * Calls one process serves at once, health checks left out (POLAROID_MAX_CONCURRENT_CALLS);
   * a call beyond it is refused with RESOURCE_EXHAUSTED, not queued; 0 means no bound.
   * @default 64 for a compute worker, 0 for the handles and ingest services
   */
  maxConcurrentCalls: number;
  /** How the gRPC server protects itself from its peers. */
  server: ServerLimits;
}

/**
 * Bounds a gRPC server puts on its peers before it does any work for them (docs/limits.md,
 * "Calls and messages", "Connections").
 */
export interface ServerLimits {
  /**
   * Bytes of one request message of a call that sends one (a plan, a handle request), checked
   * before it is decoded (POLAROID_MAX_REQUEST_BYTES); a streamed request's messages are
   * bounded by POLAROID_MAX_MESSAGE_BYTES instead. @default 16MiB
   */
  maxRequestBytes: number;
  /**
   * Protobuf fields (tags and lengths) one request message may hold
   * (POLAROID_MAX_REQUEST_FIELDS): decoding stops there, so a body of millions of empty
   * messages is refused after bounded work. @default 2000000
   */
  maxRequestFields: number;
  /** Open connections in all (POLAROID_MAX_CONNECTIONS). @default 1024 */
  maxConnections: number;
  /** Open connections from one address (POLAROID_MAX_CONNECTIONS_PER_PEER). @default 128 */
  maxConnectionsPerPeer: number;
  /**
   * Streams (calls) one connection may have open at once
   * (POLAROID_MAX_STREAMS_PER_CONNECTION), announced to the client in HTTP/2 SETTINGS.
   * @default 128
   */
  maxStreamsPerConnection: number;
  /**
   * Time a new connection has to send its HTTP/2 preface (POLAROID_HANDSHAKE_TIMEOUT_MS).
   * @default 10000
   */
  handshakeTimeoutMs: number;
  /**
   * Time a stream may make no progress (POLAROID_STREAM_IDLE_TIMEOUT_MS): a client that reads
   * nothing of a response stream, or sends nothing of a request stream, for this long has its
   * call ended and its slot given back. @default 60000
   */
  streamIdleTimeoutMs: number;
  /** Time one request stream (an upload) may take in all (POLAROID_UPLOAD_TIMEOUT_MS). @default 600000 */
  uploadTimeoutMs: number;
  /**
   * Interval of HTTP/2 pings on a connection, so a peer that vanished without closing its
   * socket is noticed and its calls ended (POLAROID_KEEPALIVE_MS); 0 turns pings off. A ping
   * unanswered for a third of it (at least 5 s) closes the connection. @default 30000
   */
  keepaliveMs: number;
  /**
   * Health turns NOT_SERVING when every call slot has been taken for this long without one
   * coming back (POLAROID_STUCK_AFTER_MS), so a supervisor restarts the process. @default 120000
   */
  stuckAfterMs: number;
  /**
   * `/healthz` answers NOT_SERVING while the main thread has been blocked longer than this
   * (POLAROID_MAX_EVENT_LOOP_BLOCK_MS); it is served from a thread of its own, so it answers
   * even then. @default 10000
   */
  maxEventLoopBlockMs: number;
}

export interface ServerPorts {
  /** gRPC port; 0 picks a free one. */
  grpcPort: number;
  /** HTTP port for /healthz and /metrics; 0 picks a free one. */
  httpPort: number;
}

export interface ComputeConfig extends CommonConfig, ServerPorts {
  /**
   * This worker's name in the catalog and its lease (POLAROID_WORKER_ID): parts of
   * [A-Za-z0-9_-] joined by dots, at most 128 characters. A stable id (e.g. "compute-2" under
   * a supervisor) lets the handles service mark the handles a restarted worker lost at its
   * first heartbeat; with the default, they are lost when the old id's lease runs out.
   * @default "compute-<pid>"
   */
  workerId: string;
  /**
   * How often the worker asks the handles service which of the handles it holds are still
   * live, and drops the others (POLAROID_RECONCILE_INTERVAL_MS); it also does so each time its
   * NATS connection comes back, as freed events sent meanwhile were lost. @default 60000
   */
  reconcileIntervalMs: number;
  /** POLAROID_HANDLES_ENDPOINT. @default "127.0.0.1:50052" */
  handlesEndpoint: string;
  /** Root of the files plans may scan (POLAROID_DATA_ROOT). @default "./data" */
  dataRoot: string;
  /**
   * POLAROID_HANDLE_STORE: `memory` keeps each result in the worker that made it;
   * `external` also writes it to the state store, so any worker can read it. @default "memory"
   */
  handleStore: "memory" | "external";
  /** The state store (with `external`). */
  stateStore: StateStoreConfig | undefined;
  /**
   * With `external`: bytes of frames a worker keeps in memory as a cache of the store
   * (POLAROID_CACHE_BYTES); the least recently used are dropped first. @default 2GiB
   */
  cacheBytes: number;
  /**
   * With `external`: name each result's object by the SHA-256 of its bytes
   * (POLAROID_CONTENT_ADDRESSED), so equal results of a tenant are stored once. @default false
   */
  contentAddressed: boolean;
  /**
   * Results of earlier plans kept for reuse by equal plans (POLAROID_PLAN_CACHE_ENTRIES);
   * 0 turns the plan cache off. @default 1024
   */
  planCacheEntries: number;
  /**
   * Directory for the results of plans run on the streaming engine (POLAROID_SPILL_DIR):
   * each worker keeps its spill files in `<dir>/<worker id>`, clears it when it starts and
   * stops, and removes a file when its result is freed. @default "<os temp dir>/polaroid-spill"
   */
  spillDir: string;
  limits: ComputeLimits;
  jobs: JobsConfig;
}

/** The job queue (JetStream stream POLAROID_JOBS) as this worker takes from it. */
export interface JobsConfig {
  /** Jobs this worker runs at once (POLAROID_JOB_CONCURRENCY); 0 takes none. @default 1 */
  concurrency: number;
  /**
   * Time without a heartbeat after which a job is given to another worker
   * (POLAROID_JOB_ACK_WAIT_MS); a running job beats every third of it. @default 30000
   */
  ackWaitMs: number;
  /** Deliveries of one job before it is given up (POLAROID_JOB_MAX_DELIVER). @default 5 */
  maxDeliver: number;
}

export interface ComputeLimits {
  /** POLAROID_MAX_UPLOAD_BYTES. @default 4GiB */
  maxUploadBytes: number;
  /**
   * Bytes all uploads in progress on a worker may hold together while they arrive
   * (POLAROID_MAX_UPLOAD_BUFFER_BYTES); past it an upload is refused as a busy worker's call.
   * @default 8GiB
   */
  maxUploadBufferBytes: number;
  /**
   * Bytes one upload may decode to, every buffer counted at its size once decompressed as
   * the upload declares it (POLAROID_MAX_UPLOAD_DECODED_BYTES); checked before the engine
   * reads the upload. @default 16GiB
   */
  maxUploadDecodedBytes: number;
  /**
   * Decoded bytes one upload may declare per byte it sends (POLAROID_MAX_IPC_EXPANSION):
   * stops small compressed uploads that expand to huge frames. Real data compresses a few
   * times; a column of one repeated value, thousands of times. @default 100
   */
  maxIpcExpansion: number;
  /**
   * Decoded bytes any upload may reach whatever its expansion (POLAROID_IPC_EXPANSION_FLOOR),
   * so that small uploads of very compressible data pass. @default 64MiB
   */
  ipcExpansionFloor: number;
  /**
   * Fields of an upload's schema at all levels, children of nested types included
   * (POLAROID_MAX_SCHEMA_FIELDS); top-level ones are bounded by POLAROID_MAX_RESULT_COLUMNS.
   * @default 100000
   */
  maxSchemaFields: number;
  /**
   * Nesting of an upload's schema, a top-level field being at depth 1
   * (POLAROID_MAX_SCHEMA_DEPTH, at most 1000). @default 64
   */
  maxSchemaDepth: number;
  /** Rows of any one result (POLAROID_MAX_RESULT_ROWS). @default 2_000_000_000 */
  maxResultRows: number;
  /**
   * Columns of any one result (POLAROID_MAX_RESULT_COLUMNS), checked on the plan's schema
   * before it runs. @default 10000
   */
  maxResultColumns: number;
  /** Estimated bytes of any one result (POLAROID_MAX_RESULT_BYTES). @default 16GiB */
  maxResultBytes: number;
  /** Bytes one Collect may stream (POLAROID_MAX_COLLECT_BYTES). @default 8GiB */
  maxCollectBytes: number;
  /** POLAROID_DEFAULT_BATCH_SIZE. @default 65536 */
  defaultBatchSize: number;
  /** POLAROID_MAX_BATCH_SIZE. @default 1048576 */
  maxBatchSize: number;
  /** Nodes in one plan, expressions included (POLAROID_MAX_PLAN_NODES). @default 100000 */
  maxPlanNodes: number;
  /**
   * Nesting depth of one plan, expressions included (POLAROID_MAX_PLAN_DEPTH). The engine
   * itself refuses more than 1000: deeper plans overflow a Polars worker thread's stack.
   * @default 1000
   */
  maxPlanDepth: number;
  /** Rows a cross join may produce (POLAROID_MAX_CROSS_JOIN_ROWS). @default 100000000 */
  maxCrossJoinRows: number;
  /**
   * Rows an inner, left or full join may produce (POLAROID_MAX_JOIN_ROWS). When the heights
   * of its inputs allow more, the exact output is counted from the multiplicities of the
   * keys on both sides before the join runs. @default 1000000000
   */
  maxJoinRows: number;
  /**
   * Bytes of any one literal of a plan (POLAROID_MAX_LITERAL_BYTES): a string literal, or a
   * string or list argument of a function. @default 1MiB
   */
  maxLiteralBytes: number;
  /** Bytes of all the literals of one plan (POLAROID_MAX_PLAN_LITERAL_BYTES). @default 8MiB */
  maxPlanLiteralBytes: number;
  /**
   * Values one plan node may generate (POLAROID_MAX_GENERATED_VALUES): rows of ranges,
   * extensions and samples, items of the lists that ranges, repeats and list concatenations
   * make, bounded from the rows of the node's input before it runs. @default 50000000
   */
  maxGeneratedValues: number;
  /**
   * Bytes one plan node may make out of the plan itself (POLAROID_MAX_GENERATED_BYTES): the
   * bytes each row gets from literal strings, padding and separators, times the rows they
   * are broadcast over, bounded before the node runs. @default 2GiB
   */
  maxGeneratedBytes: number;
  /** Output columns of a pivot (POLAROID_MAX_PIVOT_COLUMNS), index columns included. @default 10000 */
  maxPivotColumns: number;
  /** Output cells (rows × columns) of a pivot (POLAROID_MAX_PIVOT_CELLS). @default 200000000 */
  maxPivotCells: number;
  /** Windows one dynamic group-by may allocate (POLAROID_MAX_DYNAMIC_WINDOWS). @default 100000000 */
  maxDynamicWindows: number;
  /** Input rows of a statistical test, all groups together (POLAROID_MAX_STAT_TEST_ROWS). @default 50000000 */
  maxStatTestRows: number;
  /** Bytes of frames this worker holds (POLAROID_MAX_WORKER_BYTES). @default 16GiB */
  maxWorkerBytes: number;
  /**
   * Memory budget of one plan (POLAROID_MEMORY_LIMIT, bytes, `K`/`M`/`G` suffixes allowed):
   * a plan whose estimated input (sizes of the files it scans plus the frames of the
   * handles it reads) is larger runs on Polars' streaming engine even when the request did
   * not ask for it. @default undefined (no automatic switch)
   */
  memoryLimit: number | undefined;
}

/** Where the external handle store keeps objects. */
export type StateStoreConfig =
  | { kind: "fs"; dir: string }
  | {
    kind: "s3";
    /** POLAROID_S3_ENDPOINT (e.g. http://127.0.0.1:4568); absent means AWS. */
    endpoint: string | undefined;
    /** POLAROID_S3_BUCKET */
    bucket: string;
    /** POLAROID_S3_PREFIX. @default "" */
    prefix: string;
    /** POLAROID_S3_REGION. @default "us-east-1" */
    region: string;
    /** POLAROID_S3_ACCESS_KEY_ID / POLAROID_S3_SECRET_ACCESS_KEY */
    accessKeyId: string;
    secretAccessKey: string;
    /** POLAROID_S3_PATH_STYLE (local servers). @default true with an endpoint */
    forcePathStyle: boolean;
  };

/**
 * The state store of POLAROID_HANDLE_STORE=external: POLAROID_STATE_DIR (fs) or
 * POLAROID_S3_BUCKET (s3), exactly one; undefined for the memory store.
 */
function stateStore(env: Env, mode: string): StateStoreConfig | undefined {
  if (raw(env, mode) !== "external") return undefined;
  const dir = raw(env, "POLAROID_STATE_DIR");
  const bucket = raw(env, "POLAROID_S3_BUCKET");
  if ((dir === undefined) === (bucket === undefined)) {
    throw new ConfigError(
      `Cannot configure the external handle store as exactly one of POLAROID_STATE_DIR and POLAROID_S3_BUCKET must be set: current value is ${
        dir === undefined ? "neither" : "both"
      }`,
    );
  }
  if (dir !== undefined) return { kind: "fs", dir };
  const endpoint = raw(env, "POLAROID_S3_ENDPOINT");
  const pathStyle = raw(env, "POLAROID_S3_PATH_STYLE");
  if (pathStyle !== undefined && pathStyle !== "true" && pathStyle !== "false") {
    throw new ConfigError(
      `Cannot configure POLAROID_S3_PATH_STYLE as it must be true or false: current value is ${pathStyle}`,
    );
  }
  return {
    kind: "s3",
    endpoint,
    bucket: bucket!,
    prefix: str(env, "POLAROID_S3_PREFIX", ""),
    region: str(env, "POLAROID_S3_REGION", "us-east-1"),
    accessKeyId: str(env, "POLAROID_S3_ACCESS_KEY_ID", ""),
    secretAccessKey: str(env, "POLAROID_S3_SECRET_ACCESS_KEY", ""),
    forcePathStyle: pathStyle === undefined ? endpoint !== undefined : pathStyle === "true",
  };
}

export interface HandlesConfig extends CommonConfig, ServerPorts {
  /** POLAROID_DEFAULT_TTL_SECONDS. @default 3600 */
  defaultTtlSeconds: number;
  /** POLAROID_MAX_TTL_SECONDS. @default 604800 */
  maxTtlSeconds: number;
  /** POLAROID_MAX_HANDLES_PER_TENANT. @default 100000 */
  maxHandlesPerTenant: number;
  /** With POLAROID_HANDLE_STORE=external: where freed handles' objects are deleted. */
  stateStore: StateStoreConfig | undefined;
  /** How often the store's garbage is collected (POLAROID_GC_INTERVAL_MS). @default 60000 */
  gcIntervalMs: number;
  /**
   * Unnamed objects younger than this are kept (POLAROID_GC_GRACE_SECONDS): a worker writes
   * a result before it registers its handle. @default 600
   */
  gcGraceSeconds: number;
  /** How often expired handles and worker leases are swept (POLAROID_SWEEP_INTERVAL_MS). @default 1000 */
  sweepIntervalMs: number;
  /**
   * How long a compute worker's lease lasts after its last heartbeat
   * (POLAROID_WORKER_LEASE_MS); workers beat every third of it. When it runs out, the handles
   * the worker held only in memory are marked lost (HandleLostError). @default 30000
   */
  workerLeaseMs: number;
  /**
   * Where the catalog lives (POLAROID_CATALOG): "memory" in this process, or "jetstream" in
   * the NATS JetStream KV bucket `polaroid_handles` shared by every replica. @default "memory"
   */
  catalog: "memory" | "jetstream";
}

export interface IngestConfig extends CommonConfig, ServerPorts {
  /** Where snapshots are uploaded (POLAROID_COMPUTE_ENDPOINT). @default "127.0.0.1:50051" */
  computeEndpoint: string;
  /** POLAROID_INGEST_MAX_SOURCES. @default 64 */
  maxSources: number;
  /** Source defaults, overridable per source. */
  maxBatchRows: number;
  maxBatchDelayMs: number;
  maxBufferBytes: number;
}

function common(env: Env, defaultMaxCalls: number): CommonConfig {
  return {
    host: str(env, "POLAROID_HOST", "127.0.0.1"),
    logLevel: choice(env, "POLAROID_LOG_LEVEL", ["debug", "info", "warn", "error"], "info"),
    natsUrl: str(env, "POLAROID_NATS_URL", "nats://127.0.0.1:4222"),
    maxMessageBytes: bytes(env, "POLAROID_MAX_MESSAGE_BYTES", 64 * MIB),
    maxConcurrentCalls: int(env, "POLAROID_MAX_CONCURRENT_CALLS", defaultMaxCalls, 0),
    server: {
      maxRequestBytes: bytes(env, "POLAROID_MAX_REQUEST_BYTES", 16 * MIB),
      maxRequestFields: int(env, "POLAROID_MAX_REQUEST_FIELDS", 2_000_000, 1),
      maxConnections: int(env, "POLAROID_MAX_CONNECTIONS", 1024, 1),
      maxConnectionsPerPeer: int(env, "POLAROID_MAX_CONNECTIONS_PER_PEER", 128, 1),
      maxStreamsPerConnection: int(env, "POLAROID_MAX_STREAMS_PER_CONNECTION", 128, 1, 2 ** 31 - 1),
      handshakeTimeoutMs: int(env, "POLAROID_HANDSHAKE_TIMEOUT_MS", 10_000, 100),
      streamIdleTimeoutMs: int(env, "POLAROID_STREAM_IDLE_TIMEOUT_MS", 60_000, 100),
      uploadTimeoutMs: int(env, "POLAROID_UPLOAD_TIMEOUT_MS", 600_000, 100),
      keepaliveMs: int(env, "POLAROID_KEEPALIVE_MS", 30_000, 0),
      stuckAfterMs: int(env, "POLAROID_STUCK_AFTER_MS", 120_000, 100),
      maxEventLoopBlockMs: int(env, "POLAROID_MAX_EVENT_LOOP_BLOCK_MS", 10_000, 100),
    },
  };
}

/** The server limits' defaults, for servers started without a configuration (tests). */
export const DEFAULT_SERVER_LIMITS: ServerLimits = common({}, 0).server;

function ports(env: Env, prefix: string, grpc: number, http: number): ServerPorts {
  return {
    grpcPort: int(env, `POLAROID_${prefix}_PORT`, grpc, 0, 65535),
    httpPort: int(env, `POLAROID_${prefix}_HTTP_PORT`, http, 0, 65535),
  };
}

/** POLAROID_WORKER_ID, or "compute-<pid>". */
function workerId(env: Env, pid: number): string {
  const value = str(env, "POLAROID_WORKER_ID", `compute-${pid}`);
  if (!isWorkerId(value)) {
    throw new ConfigError(
      `Cannot start as 'POLAROID_WORKER_ID' must match ${WORKER_ID.source} within 128 characters: current value is ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}

/** Parses the compute worker's configuration. */
export function loadComputeConfig(env: Env, pid = 0): ComputeConfig {
  return {
    ...common(env, 64),
    ...ports(env, "COMPUTE", 50051, 9091),
    workerId: workerId(env, pid),
    reconcileIntervalMs: int(env, "POLAROID_RECONCILE_INTERVAL_MS", 60_000, 100),
    handlesEndpoint: endpoint(env, "POLAROID_HANDLES_ENDPOINT", "127.0.0.1:50052"),
    dataRoot: str(env, "POLAROID_DATA_ROOT", "./data"),
    handleStore: choice(env, "POLAROID_HANDLE_STORE", ["memory", "external"] as const, "memory"),
    stateStore: stateStore(env, "POLAROID_HANDLE_STORE"),
    cacheBytes: bytes(env, "POLAROID_CACHE_BYTES", 2 * GIB),
    contentAddressed: flag(env, "POLAROID_CONTENT_ADDRESSED", false),
    planCacheEntries: int(env, "POLAROID_PLAN_CACHE_ENTRIES", 1024, 0),
    spillDir: str(env, "POLAROID_SPILL_DIR", join(tmpdir(), "polaroid-spill")),
    limits: {
      maxUploadBytes: bytes(env, "POLAROID_MAX_UPLOAD_BYTES", 4 * GIB),
      maxUploadBufferBytes: bytes(env, "POLAROID_MAX_UPLOAD_BUFFER_BYTES", 8 * GIB),
      maxUploadDecodedBytes: bytes(env, "POLAROID_MAX_UPLOAD_DECODED_BYTES", 16 * GIB),
      maxIpcExpansion: int(env, "POLAROID_MAX_IPC_EXPANSION", 100, 1),
      ipcExpansionFloor: bytes(env, "POLAROID_IPC_EXPANSION_FLOOR", 64 * MIB),
      maxSchemaFields: int(env, "POLAROID_MAX_SCHEMA_FIELDS", 100_000, 1),
      maxSchemaDepth: int(env, "POLAROID_MAX_SCHEMA_DEPTH", 64, 1, 1000),
      maxResultRows: int(env, "POLAROID_MAX_RESULT_ROWS", 2_000_000_000, 1),
      maxResultColumns: int(env, "POLAROID_MAX_RESULT_COLUMNS", 10_000, 1),
      maxResultBytes: bytes(env, "POLAROID_MAX_RESULT_BYTES", 16 * GIB),
      maxCollectBytes: bytes(env, "POLAROID_MAX_COLLECT_BYTES", 8 * GIB),
      defaultBatchSize: int(env, "POLAROID_DEFAULT_BATCH_SIZE", 65536, 1),
      maxBatchSize: int(env, "POLAROID_MAX_BATCH_SIZE", 1_048_576, 1),
      maxPlanNodes: int(env, "POLAROID_MAX_PLAN_NODES", 100_000, 1),
      maxPlanDepth: int(env, "POLAROID_MAX_PLAN_DEPTH", 1000, 1),
      maxCrossJoinRows: int(env, "POLAROID_MAX_CROSS_JOIN_ROWS", 100_000_000, 1),
      maxJoinRows: int(env, "POLAROID_MAX_JOIN_ROWS", 1_000_000_000, 1),
      maxLiteralBytes: bytes(env, "POLAROID_MAX_LITERAL_BYTES", MIB),
      maxPlanLiteralBytes: bytes(env, "POLAROID_MAX_PLAN_LITERAL_BYTES", 8 * MIB),
      maxGeneratedValues: int(env, "POLAROID_MAX_GENERATED_VALUES", 50_000_000, 1),
      maxGeneratedBytes: bytes(env, "POLAROID_MAX_GENERATED_BYTES", 2 * GIB),
      maxPivotColumns: int(env, "POLAROID_MAX_PIVOT_COLUMNS", 10_000, 1),
      maxPivotCells: int(env, "POLAROID_MAX_PIVOT_CELLS", 200_000_000, 1),
      maxDynamicWindows: int(env, "POLAROID_MAX_DYNAMIC_WINDOWS", 100_000_000, 1),
      maxStatTestRows: int(env, "POLAROID_MAX_STAT_TEST_ROWS", 50_000_000, 1),
      maxWorkerBytes: bytes(env, "POLAROID_MAX_WORKER_BYTES", 16 * GIB),
      memoryLimit: optionalBytes(env, "POLAROID_MEMORY_LIMIT"),
    },
    jobs: {
      concurrency: int(env, "POLAROID_JOB_CONCURRENCY", 1, 0, 64),
      ackWaitMs: int(env, "POLAROID_JOB_ACK_WAIT_MS", 30_000, 1000),
      maxDeliver: int(env, "POLAROID_JOB_MAX_DELIVER", 5, 1, 100),
    },
  };
}

/** Parses the handles service's configuration. */
export function loadHandlesConfig(env: Env): HandlesConfig {
  return {
    ...common(env, 0),
    ...ports(env, "HANDLES", 50052, 9092),
    defaultTtlSeconds: int(env, "POLAROID_DEFAULT_TTL_SECONDS", 3600, 1),
    maxTtlSeconds: int(env, "POLAROID_MAX_TTL_SECONDS", 604_800, 1),
    maxHandlesPerTenant: int(env, "POLAROID_MAX_HANDLES_PER_TENANT", 100_000, 1),
    stateStore: stateStore(env, "POLAROID_HANDLE_STORE"),
    gcIntervalMs: int(env, "POLAROID_GC_INTERVAL_MS", 60_000, 100),
    gcGraceSeconds: int(env, "POLAROID_GC_GRACE_SECONDS", 600, 0),
    sweepIntervalMs: int(env, "POLAROID_SWEEP_INTERVAL_MS", 1000, 10),
    workerLeaseMs: int(env, "POLAROID_WORKER_LEASE_MS", 30_000, 300, 2 ** 32 - 1),
    catalog: choice(env, "POLAROID_CATALOG", ["memory", "jetstream"] as const, "memory"),
  };
}

/** Parses the ingest service's configuration. */
export function loadIngestConfig(env: Env): IngestConfig {
  return {
    ...common(env, 0),
    ...ports(env, "INGEST", 50053, 9093),
    computeEndpoint: endpoint(env, "POLAROID_COMPUTE_ENDPOINT", "127.0.0.1:50051"),
    maxSources: int(env, "POLAROID_INGEST_MAX_SOURCES", 64, 1),
    maxBatchRows: int(env, "POLAROID_INGEST_MAX_BATCH_ROWS", 10_000, 1),
    maxBatchDelayMs: int(env, "POLAROID_INGEST_MAX_BATCH_DELAY_MS", 250, 1),
    maxBufferBytes: bytes(env, "POLAROID_INGEST_MAX_BUFFER_BYTES", 256 * MIB),
  };
}
