/**
 * The limits every request is checked against before work is done for it (docs/limits.md):
 * those of every gRPC server (ServerLimits) and those of a compute worker (ComputeLimits),
 * parsed from their `POLAROID_*` variables.
 *
 * @module
 */

import { bytes, type Env, GIB, int, MIB, optionalBytes } from "./config_env.ts";

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
  /**
   * Calls one tenant may have in flight on this server (POLAROID_TENANT_MAX_CALLS); one more
   * is refused with RESOURCE_EXHAUSTED (shared/auth/quotas.ts). 0: no bound. @default 0
   */
  tenantMaxCalls: number;
  /**
   * Calls per second one tenant may start on this server, on average (POLAROID_TENANT_RATE);
   * 0: no bound. @default 0
   */
  tenantRate: number;
  /**
   * Calls a tenant may start at once after being idle (POLAROID_TENANT_BURST).
   * @default twice POLAROID_TENANT_RATE
   */
  tenantBurst: number;
}

/** Parses the server limits (CommonConfig.server). */
export function serverLimits(env: Env): ServerLimits {
  const tenantRate = int(env, "POLAROID_TENANT_RATE", 0, 0);
  return {
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
    tenantMaxCalls: int(env, "POLAROID_TENANT_MAX_CALLS", 0, 0),
    tenantRate,
    tenantBurst: int(env, "POLAROID_TENANT_BURST", Math.max(1, 2 * tenantRate), 1),
  };
}

/** The server limits' defaults, for servers started without a configuration (tests). */
export const DEFAULT_SERVER_LIMITS: ServerLimits = serverLimits({});

/** What a compute worker refuses before it does the work (ComputeConfig.limits). */
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

/** Parses a compute worker's limits. */
export function computeLimits(env: Env): ComputeLimits {
  return {
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
  };
}
