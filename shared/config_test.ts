import assert from "node:assert/strict";
import { ConfigError, loadComputeConfig, loadHandlesConfig, loadIngestConfig } from "./config.ts";

Deno.test("loadComputeConfig() gives documented defaults for an empty environment", () => {
  const config = loadComputeConfig({}, 42);
  assert.equal(config.grpcPort, 50051);
  assert.equal(config.workerId, "compute-42");
  assert.equal(config.maxMessageBytes, 64 * 1024 * 1024);
  assert.equal(config.handleStore, "memory");
});

Deno.test("loadComputeConfig() parses byte sizes with units", () => {
  const config = loadComputeConfig({ POLAROID_MAX_UPLOAD_BYTES: "512MiB" });
  assert.equal(config.limits.maxUploadBytes, 512 * 1024 * 1024);
});

Deno.test("a malformed variable stops start-up with its name in the message", () => {
  assert.throws(() => loadHandlesConfig({ POLAROID_HANDLES_PORT: "99999" }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /POLAROID_HANDLES_PORT/);
    return true;
  });
  assert.throws(
    () => loadIngestConfig({ POLAROID_COMPUTE_ENDPOINT: "no port" }),
    /POLAROID_COMPUTE_ENDPOINT/,
  );
  assert.throws(
    () => loadComputeConfig({ POLAROID_HANDLE_STORE: "disk" }),
    /POLAROID_HANDLE_STORE/,
  );
  assert.throws(
    () => loadComputeConfig({ POLAROID_MAX_UPLOAD_BYTES: "lots" }),
    /POLAROID_MAX_UPLOAD_BYTES/,
  );
});

Deno.test("loadComputeConfig() reads POLAROID_MEMORY_LIMIT with K/M/G suffixes, unset by default", () => {
  assert.equal(loadComputeConfig({}).limits.memoryLimit, undefined);
  assert.equal(loadComputeConfig({ POLAROID_MEMORY_LIMIT: "" }).limits.memoryLimit, undefined);
  assert.equal(loadComputeConfig({ POLAROID_MEMORY_LIMIT: "1500" }).limits.memoryLimit, 1500);
  assert.equal(loadComputeConfig({ POLAROID_MEMORY_LIMIT: "64K" }).limits.memoryLimit, 65536);
  assert.equal(
    loadComputeConfig({ POLAROID_MEMORY_LIMIT: "512M" }).limits.memoryLimit,
    512 * 1024 * 1024,
  );
  assert.equal(
    loadComputeConfig({ POLAROID_MEMORY_LIMIT: "2g" }).limits.memoryLimit,
    2 * 1024 * 1024 * 1024,
  );
  assert.throws(
    () => loadComputeConfig({ POLAROID_MEMORY_LIMIT: "-1G" }),
    /POLAROID_MEMORY_LIMIT/,
  );
});

Deno.test("loadComputeConfig() reads POLAROID_SPILL_DIR, defaulting under the temp dir", () => {
  assert.match(loadComputeConfig({}).spillDir, /polaroid-spill$/);
  assert.equal(loadComputeConfig({ POLAROID_SPILL_DIR: "/var/spill" }).spillDir, "/var/spill");
});

Deno.test("the external handle store needs exactly one of a state directory and a bucket", () => {
  const fs = loadComputeConfig({ POLAROID_HANDLE_STORE: "external", POLAROID_STATE_DIR: "/s" });
  assert.deepEqual(fs.stateStore, { kind: "fs", dir: "/s" });
  assert.equal(fs.cacheBytes, 2 * 1024 ** 3);
  const s3 = loadHandlesConfig({
    POLAROID_HANDLE_STORE: "external",
    POLAROID_S3_BUCKET: "b",
    POLAROID_S3_ENDPOINT: "http://127.0.0.1:4568",
  });
  assert.equal(s3.stateStore?.kind, "s3");
  assert.ok(s3.stateStore?.kind === "s3" && s3.stateStore.forcePathStyle);
  assert.equal(loadComputeConfig({}).stateStore, undefined);
  for (const env of [{}, { POLAROID_STATE_DIR: "/s", POLAROID_S3_BUCKET: "b" }]) {
    assert.throws(
      () => loadComputeConfig({ POLAROID_HANDLE_STORE: "external", ...env }),
      ConfigError,
    );
  }
  assert.throws(() => loadComputeConfig({ POLAROID_HANDLE_STORE: "s3" }), ConfigError);
});

Deno.test("POLAROID_MAX_CONCURRENT_CALLS bounds compute at 64 by default, the others not at all", () => {
  assert.equal(loadComputeConfig({}).maxConcurrentCalls, 64);
  assert.equal(loadHandlesConfig({}).maxConcurrentCalls, 0);
  assert.equal(loadIngestConfig({}).maxConcurrentCalls, 0);
  const env = { POLAROID_MAX_CONCURRENT_CALLS: "8" };
  assert.equal(loadComputeConfig(env).maxConcurrentCalls, 8);
  assert.equal(loadHandlesConfig(env).maxConcurrentCalls, 8);
  assert.throws(
    () => loadComputeConfig({ POLAROID_MAX_CONCURRENT_CALLS: "-1" }),
    /POLAROID_MAX_CONCURRENT_CALLS/,
  );
});

Deno.test("loadComputeConfig() reads POLAROID_MAX_RESULT_COLUMNS, 10000 by default", () => {
  assert.equal(loadComputeConfig({}).limits.maxResultColumns, 10_000);
  assert.equal(
    loadComputeConfig({ POLAROID_MAX_RESULT_COLUMNS: "50" }).limits.maxResultColumns,
    50,
  );
  assert.throws(
    () => loadComputeConfig({ POLAROID_MAX_RESULT_COLUMNS: "0" }),
    /POLAROID_MAX_RESULT_COLUMNS/,
  );
});

Deno.test("loadComputeConfig() reads the limits on what an upload decodes to, with defaults", () => {
  const defaults = loadComputeConfig({}).limits;
  assert.equal(defaults.maxUploadDecodedBytes, 16 * 1024 ** 3);
  assert.equal(defaults.maxIpcExpansion, 100);
  assert.equal(defaults.ipcExpansionFloor, 64 * 1024 ** 2);
  assert.equal(defaults.maxSchemaFields, 100_000);
  assert.equal(defaults.maxSchemaDepth, 64);
  const set = loadComputeConfig({
    POLAROID_MAX_UPLOAD_DECODED_BYTES: "2g",
    POLAROID_MAX_IPC_EXPANSION: "10",
    POLAROID_IPC_EXPANSION_FLOOR: "1MiB",
    POLAROID_MAX_SCHEMA_FIELDS: "500",
    POLAROID_MAX_SCHEMA_DEPTH: "8",
  }).limits;
  assert.equal(set.maxUploadDecodedBytes, 2 * 1024 ** 3);
  assert.equal(set.maxIpcExpansion, 10);
  assert.equal(set.ipcExpansionFloor, 1024 ** 2);
  assert.equal(set.maxSchemaFields, 500);
  assert.equal(set.maxSchemaDepth, 8);
  assert.throws(
    () => loadComputeConfig({ POLAROID_MAX_SCHEMA_DEPTH: "1001" }),
    /POLAROID_MAX_SCHEMA_DEPTH/,
  );
  assert.throws(
    () => loadComputeConfig({ POLAROID_MAX_IPC_EXPANSION: "0" }),
    /POLAROID_MAX_IPC_EXPANSION/,
  );
});

Deno.test("worker leases and reconciliation: documented defaults, bounds, worker id syntax", () => {
  assert.equal(loadHandlesConfig({}).workerLeaseMs, 30_000);
  assert.equal(loadHandlesConfig({ POLAROID_WORKER_LEASE_MS: "1500" }).workerLeaseMs, 1500);
  assert.throws(() => loadHandlesConfig({ POLAROID_WORKER_LEASE_MS: "10" }), ConfigError);
  assert.equal(loadComputeConfig({}).reconcileIntervalMs, 60_000);
  assert.equal(
    loadComputeConfig({ POLAROID_RECONCILE_INTERVAL_MS: "250" }).reconcileIntervalMs,
    250,
  );
  assert.throws(() => loadComputeConfig({ POLAROID_RECONCILE_INTERVAL_MS: "0" }), ConfigError);
  assert.equal(loadComputeConfig({ POLAROID_WORKER_ID: "pod-7.host" }).workerId, "pod-7.host");
  for (const bad of ["a b", "a..b", "worker/1", "x".repeat(129)]) {
    assert.throws(
      () => loadComputeConfig({ POLAROID_WORKER_ID: bad }),
      (e: unknown) => e instanceof ConfigError && /POLAROID_WORKER_ID/.test(e.message),
    );
  }
});

Deno.test("loadComputeConfig() reads the bulk port's settings and refuses bad ones by name", () => {
  const off = loadComputeConfig({});
  assert.equal(off.bulk.port, 0);
  assert.equal(off.bulk.minBytes, 8 * 1024 * 1024);
  const on = loadComputeConfig({
    POLAROID_BULK_PORT: "50061",
    POLAROID_BULK_ADVERTISE: "worker-1.internal:443",
    POLAROID_BULK_MIN_BYTES: "1MiB",
    POLAROID_BULK_MAX_STREAMS: "2",
    POLAROID_BULK_TICKET_MS: "1000",
    POLAROID_BULK_IDLE_MS: "2000",
  });
  assert.deepEqual(on.bulk, {
    port: 50061,
    advertise: "worker-1.internal:443",
    minBytes: 1024 * 1024,
    maxStreams: 2,
    maxStreamsPerTenant: 1,
    ticketMs: 1000,
    idleMs: 2000,
  });
  assert.equal(off.bulk.maxStreamsPerTenant, 4, "half of the default 8");
  assert.equal(
    loadComputeConfig({ POLAROID_BULK_MAX_STREAMS_PER_TENANT: "8" }).bulk.maxStreamsPerTenant,
    8,
  );
  assert.throws(
    () => loadComputeConfig({ POLAROID_BULK_MAX_STREAMS_PER_TENANT: "9" }),
    /POLAROID_BULK_MAX_STREAMS_PER_TENANT/,
  );
  assert.throws(() => loadComputeConfig({ POLAROID_BULK_PORT: "70000" }), /POLAROID_BULK_PORT/);
  assert.throws(
    () => loadComputeConfig({ POLAROID_BULK_ADVERTISE: "http://x:1/path" }),
    /POLAROID_BULK_ADVERTISE/,
  );
  assert.throws(
    () => loadComputeConfig({ POLAROID_BULK_MAX_STREAMS: "0" }),
    /POLAROID_BULK_MAX_STREAMS/,
  );
});
