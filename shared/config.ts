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
import {
  bytes,
  choice,
  ConfigError,
  endpoint,
  type Env,
  flag,
  GIB,
  int,
  MIB,
  optionalBytes,
  raw,
  str,
} from "./config_env.ts";
import {
  type ComputeLimits,
  computeLimits,
  type ServerLimits,
  serverLimits,
} from "./config_limits.ts";

import { type AuthConfig, authConfig } from "./config_auth.ts";
import { s3Connection } from "./config_s3.ts";
import { type TlsConfig, tlsConfig } from "./config_tls.ts";
import { type BulkConfig, bulkConfig } from "./config_bulk.ts";
import { type NatsAuth, natsAuth } from "./config_nats.ts";
import { type OutboundPolicy, parseAllowHosts } from "./outbound.ts";
import { type OutputConfig, outputConfig } from "./config_output.ts";

function natsAuthOf(env: Env): { natsAuth?: NatsAuth } {
  const auth = natsAuth(env);
  return auth === undefined ? {} : { natsAuth: auth };
}

export { ConfigError };

export type LogLevel = "debug" | "info" | "warn" | "error";

/** What every service shares. */
export interface CommonConfig {
  /** Interface to bind (POLAROID_HOST). @default "127.0.0.1" */
  host: string;
  /** POLAROID_LOG_LEVEL. @default "info" */
  logLevel: LogLevel;
  /** POLAROID_NATS_URL. @default "nats://127.0.0.1:4222" */
  natsUrl: string;
  /** This service's NATS user (config_nats.ts); none: connect without credentials. */
  natsAuth?: NatsAuth;
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
  /** Who may call, and this service's own credential (config_auth.ts). */
  auth: AuthConfig;
  /** TLS of the gRPC server and of this service's calls to the others (config_tls.ts). */
  tls: TlsConfig;
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
   * The Polars engine plans run on unless a request asks for the other (POLAROID_ENGINE):
   * `streaming` (Polars' streaming engine, Python Polars 2's default: faster on large
   * group-bys and filters) or `in-memory` (nodejs-polars' default). The engines give the same
   * values; the order of rows an operation leaves undefined differs, and a plan the default
   * streaming engine fails with a query error runs again in memory (docs/adr/0019).
   * @default "streaming"
   */
  engine: "streaming" | "in-memory";
  /**
   * POLAROID_HANDLE_STORE: `memory` keeps each result in the worker that made it;
   * `external` also writes it to the state store, so any worker can read it. @default "memory"
   */
  handleStore: "memory" | "external";
  /** The state store (with `external`). */
  stateStore: StateStoreConfig | undefined;
  /** Where live tables are scanned from (see IngestConfig.liveStore). */
  liveStore: StateStoreConfig | undefined;
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
   * With `external` (POLAROID_STORE_WRITE): `through` writes a result's object before its
   * handle exists; `behind` registers the result and answers first, then writes its object
   * (the worker serves it meanwhile, other workers wait for the object; it is lost like a
   * memory-store frame if the worker dies before the write ends). Named results and requests
   * with `durable` are written through either way (docs/adr/0017). @default "through"
   */
  storeWrite: "behind" | "through";
  /**
   * Writes behind under way at most per worker (POLAROID_STORE_WRITE_BEHIND_MAX); a result
   * past it is written through. @default 8
   */
  storeWriteBehindMax: number;
  /**
   * How long a worker reading a handle whose object another worker is still writing waits
   * for it (POLAROID_STORE_WRITE_WAIT_MS), within the call's deadline. @default 60000
   */
  storeWriteWaitMs: number;
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
  /** Where sinks and writes go (config_output.ts). */
  output: OutputConfig;
  /** The bulk HTTP port for large results and uploads (config_bulk.ts). */
  bulk: BulkConfig;
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
  return storeOf(env);
}

/**
 * The state store of live tables (ingest writes them, compute scans them): the one named by
 * POLAROID_STATE_DIR or POLAROID_S3_BUCKET, whatever POLAROID_HANDLE_STORE says; undefined
 * when neither is set (live tables are then off: sources buffer in memory only).
 */
function liveStore(env: Env): StateStoreConfig | undefined {
  if (
    raw(env, "POLAROID_STATE_DIR") === undefined && raw(env, "POLAROID_S3_BUCKET") === undefined
  ) {
    return undefined;
  }
  return storeOf(env);
}

/** POLAROID_STATE_DIR (fs) or POLAROID_S3_BUCKET (s3), exactly one. */
function storeOf(env: Env): StateStoreConfig {
  const dir = raw(env, "POLAROID_STATE_DIR");
  const bucket = raw(env, "POLAROID_S3_BUCKET");
  if ((dir === undefined) === (bucket === undefined)) {
    throw new ConfigError(
      `Cannot configure the state store as exactly one of POLAROID_STATE_DIR and POLAROID_S3_BUCKET must be set: current value is ${
        dir === undefined ? "neither" : "both"
      }`,
    );
  }
  if (dir !== undefined) return { kind: "fs", dir };
  return {
    kind: "s3",
    bucket: bucket!,
    prefix: str(env, "POLAROID_S3_PREFIX", ""),
    ...s3Connection(env),
  };
}

export interface HandlesConfig extends CommonConfig, ServerPorts {
  /** POLAROID_DEFAULT_TTL_SECONDS. @default 3600 */
  defaultTtlSeconds: number;
  /** POLAROID_MAX_TTL_SECONDS. @default 604800 */
  maxTtlSeconds: number;
  /** POLAROID_MAX_HANDLES_PER_TENANT. @default 100000 */
  maxHandlesPerTenant: number;
  /**
   * Bytes of frames one tenant's live handles may hold together (POLAROID_MAX_BYTES_PER_TENANT,
   * a size such as 64GiB); unset is unbounded. @default undefined
   */
  maxBytesPerTenant: number | undefined;
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
  /** Sources one tenant may run (POLAROID_INGEST_MAX_SOURCES_PER_TENANT). @default 16 */
  maxSourcesPerTenant: number;
  /**
   * Where outbound sources may connect (POLAROID_INGEST_ALLOW_HOSTS: names, *.suffixes,
   * addresses, CIDR ranges); private, loopback and link-local addresses only when listed.
   * @default any public address
   */
  outbound: OutboundPolicy;
  /**
   * Where sources' live tables are (POLAROID_STATE_DIR or POLAROID_S3_BUCKET, as compute's);
   * without one, sources keep their batches in this process's memory only. @default none
   */
  liveStore: StateStoreConfig | undefined;
  /**
   * The JetStream stream JetStream sources read (POLAROID_INGEST_STREAM_MAX_BYTES,
   * POLAROID_INGEST_STREAM_MAX_AGE_SECONDS): publishers are refused past its bytes, messages
   * older than its age go. @default 1GiB, 604800
   */
  durableStream: { maxBytes: number; maxAgeSeconds: number };
  /** Follows of live tables served at once (POLAROID_INGEST_MAX_FOLLOWS). @default 256 */
  maxFollows: number;
  /** ...by one tenant (POLAROID_INGEST_MAX_FOLLOWS_PER_TENANT). @default 64 */
  maxFollowsPerTenant: number;
  /**
   * Parse the batches of sources with a live table on a worker thread
   * (POLAROID_INGEST_PARSE_WORKER), so that reading goes on meanwhile. @default true
   */
  parseWorker: boolean;
  /**
   * Credentials of outbound sources by "<tenant>/<name>", read from the JSON file
   * POLAROID_INGEST_CREDENTIALS_FILE (`{ tenant: { name: { headers?, tls? } } }`). @default none
   */
  credentials: ReadonlyMap<string, IngestCredential>;
  /** Bytes one Append call may send (POLAROID_INGEST_MAX_APPEND_BYTES). @default 256MiB */
  maxAppendBytes: number;
  /**
   * Bytes all Append calls under way may hold together (POLAROID_INGEST_MAX_APPEND_BUFFER_BYTES).
   * @default 1GiB
   */
  maxAppendBufferBytes: number;
  /** Source defaults, overridable per source. */
  maxBatchRows: number;
  maxBatchDelayMs: number;
  maxBufferBytes: number;
}

function common(env: Env, defaultMaxCalls: number): CommonConfig {
  const host = str(env, "POLAROID_HOST", "127.0.0.1");
  const auth = authConfig(env, host);
  const tls = tlsConfig(env);
  if (auth.mode === "mtls" && tls.clientCa === undefined) {
    throw new ConfigError(
      "Cannot start as POLAROID_AUTH=mtls needs POLAROID_TLS_CLIENT_CA_FILE (with POLAROID_TLS_CERT_FILE and POLAROID_TLS_KEY_FILE): identities come from client certificates",
    );
  }
  return {
    host,
    logLevel: choice(env, "POLAROID_LOG_LEVEL", ["debug", "info", "warn", "error"], "info"),
    natsUrl: str(env, "POLAROID_NATS_URL", "nats://127.0.0.1:4222"),
    maxMessageBytes: bytes(env, "POLAROID_MAX_MESSAGE_BYTES", 64 * MIB),
    maxConcurrentCalls: int(env, "POLAROID_MAX_CONCURRENT_CALLS", defaultMaxCalls, 0),
    server: serverLimits(env),
    auth,
    tls,
    ...natsAuthOf(env),
  };
}

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
    engine: choice(env, "POLAROID_ENGINE", ["in-memory", "streaming"] as const, "streaming"),
    handleStore: choice(env, "POLAROID_HANDLE_STORE", ["memory", "external"] as const, "memory"),
    stateStore: stateStore(env, "POLAROID_HANDLE_STORE"),
    liveStore: liveStore(env),
    cacheBytes: bytes(env, "POLAROID_CACHE_BYTES", 2 * GIB),
    contentAddressed: flag(env, "POLAROID_CONTENT_ADDRESSED", false),
    storeWrite: choice(env, "POLAROID_STORE_WRITE", ["behind", "through"] as const, "through"),
    storeWriteBehindMax: int(env, "POLAROID_STORE_WRITE_BEHIND_MAX", 8, 0, 1024),
    storeWriteWaitMs: int(env, "POLAROID_STORE_WRITE_WAIT_MS", 60_000, 0),
    planCacheEntries: int(env, "POLAROID_PLAN_CACHE_ENTRIES", 1024, 0),
    spillDir: str(env, "POLAROID_SPILL_DIR", join(tmpdir(), "polaroid-spill")),
    limits: computeLimits(env),
    jobs: {
      concurrency: int(env, "POLAROID_JOB_CONCURRENCY", 1, 0, 64),
      ackWaitMs: int(env, "POLAROID_JOB_ACK_WAIT_MS", 30_000, 1000),
      maxDeliver: int(env, "POLAROID_JOB_MAX_DELIVER", 5, 1, 100),
    },
    output: outputConfig(env),
    bulk: bulkConfig(env),
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
    maxBytesPerTenant: optionalBytes(env, "POLAROID_MAX_BYTES_PER_TENANT"),
    stateStore: stateStore(env, "POLAROID_HANDLE_STORE"),
    gcIntervalMs: int(env, "POLAROID_GC_INTERVAL_MS", 60_000, 100),
    gcGraceSeconds: int(env, "POLAROID_GC_GRACE_SECONDS", 600, 0),
    sweepIntervalMs: int(env, "POLAROID_SWEEP_INTERVAL_MS", 1000, 10),
    workerLeaseMs: int(env, "POLAROID_WORKER_LEASE_MS", 30_000, 300, 2 ** 32 - 1),
    catalog: choice(env, "POLAROID_CATALOG", ["memory", "jetstream"] as const, "memory"),
  };
}

/** A credential of outbound sources: request headers (metadata), and TLS material (PEM). */
export interface IngestCredential {
  headers: Record<string, string>;
  tls?: { ca?: string; cert?: string; key?: string };
}

/** Reads POLAROID_INGEST_CREDENTIALS_FILE; ConfigError naming it when it is unreadable or malformed. */
function ingestCredentials(path: string | undefined): Map<string, IngestCredential> {
  const out = new Map<string, IngestCredential>();
  if (path === undefined) return out;
  const bad = (why: string) =>
    new ConfigError(
      `Cannot start as 'POLAROID_INGEST_CREDENTIALS_FILE' must name a JSON file of { tenant: { name: { headers?: { header: value }, tls?: { ca?, cert?, key? } } } }: ${why}`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Deno.readTextFileSync(path));
  } catch (error) {
    // The message names the file, never its content.
    throw bad(error instanceof SyntaxError ? "it is not JSON" : `it cannot be read (${path})`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObject(parsed)) throw bad("its top level is not an object");
  for (const [tenant, names] of Object.entries(parsed)) {
    if (!isObject(names)) throw bad(`tenant ${JSON.stringify(tenant)} is not an object`);
    for (const [name, entry] of Object.entries(names)) {
      if (!isObject(entry)) throw bad(`${tenant}/${name} is not an object`);
      const headers = entry.headers ?? {};
      if (!isObject(headers) || Object.values(headers).some((v) => typeof v !== "string")) {
        throw bad(`${tenant}/${name} has headers that are not strings`);
      }
      const tls = entry.tls;
      if (
        tls !== undefined &&
        (!isObject(tls) ||
          Object.entries(tls).some(([k, v]) =>
            !["ca", "cert", "key"].includes(k) || typeof v !== "string"
          ))
      ) {
        throw bad(`${tenant}/${name} has a tls that is not { ca?, cert?, key? } of PEM text`);
      }
      out.set(`${tenant}/${name}`, {
        headers: headers as Record<string, string>,
        ...(tls === undefined ? {} : { tls: tls as IngestCredential["tls"] & object }),
      });
    }
  }
  return out;
}

/** Parses the ingest service's configuration. */
export function loadIngestConfig(env: Env): IngestConfig {
  return {
    ...common(env, 0),
    ...ports(env, "INGEST", 50053, 9093),
    computeEndpoint: endpoint(env, "POLAROID_COMPUTE_ENDPOINT", "127.0.0.1:50051"),
    maxSources: int(env, "POLAROID_INGEST_MAX_SOURCES", 64, 1),
    maxSourcesPerTenant: int(env, "POLAROID_INGEST_MAX_SOURCES_PER_TENANT", 16, 1),
    maxBatchRows: int(env, "POLAROID_INGEST_MAX_BATCH_ROWS", 10_000, 1),
    maxBatchDelayMs: int(env, "POLAROID_INGEST_MAX_BATCH_DELAY_MS", 50, 1),
    maxBufferBytes: bytes(env, "POLAROID_INGEST_MAX_BUFFER_BYTES", 256 * MIB),
    outbound: parseAllowHosts(raw(env, "POLAROID_INGEST_ALLOW_HOSTS")),
    liveStore: liveStore(env),
    maxFollows: int(env, "POLAROID_INGEST_MAX_FOLLOWS", 256, 0),
    maxFollowsPerTenant: int(env, "POLAROID_INGEST_MAX_FOLLOWS_PER_TENANT", 64, 0),
    parseWorker: flag(env, "POLAROID_INGEST_PARSE_WORKER", true),
    credentials: ingestCredentials(raw(env, "POLAROID_INGEST_CREDENTIALS_FILE")),
    maxAppendBytes: bytes(env, "POLAROID_INGEST_MAX_APPEND_BYTES", 256 * MIB),
    maxAppendBufferBytes: bytes(env, "POLAROID_INGEST_MAX_APPEND_BUFFER_BYTES", GIB),
    durableStream: {
      maxBytes: bytes(env, "POLAROID_INGEST_STREAM_MAX_BYTES", GIB),
      maxAgeSeconds: int(env, "POLAROID_INGEST_STREAM_MAX_AGE_SECONDS", 604_800, 1),
    },
  };
}
