import assert from "node:assert/strict";
import { AlreadyExistsError, NotFoundError, UnavailableError } from "../shared/errors.ts";
import { IngestServiceService, type SourceInfo } from "../shared/gen/polaroid/v1/ingest.ts";
import { startGrpcServer } from "../shared/grpc/server.ts";
import { bind } from "../shared/grpc/types.ts";
import { createLogger } from "../shared/telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../shared/telemetry/metrics.ts";
import { connectIngest } from "./ingest.ts";

/** A small in-process IngestService over real gRPC that keeps sources in a map. */
async function startIngestServer() {
  const sources = new Map<string, SourceInfo>();
  const tenants: string[] = [];
  const info = (name: string) => {
    const found = sources.get(name);
    if (!found) {
      throw new NotFoundError(`Cannot find source as it is unknown: current value is ${name}`);
    }
    return found;
  };
  const binding = bind(IngestServiceService, {
    addSource(request, ctx) {
      tenants.push(ctx.tenant);
      const name = request.spec!.name;
      if (sources.has(name)) return Promise.reject(new AlreadyExistsError(`source ${name} exists`));
      const source: SourceInfo = {
        spec: request.spec,
        state: "running",
        messages: 0n,
        rows: 0n,
        rejected: 0n,
        batches: 0n,
        bufferedRows: 0n,
        bufferedBytes: 0n,
        droppedRows: 0n,
        lastError: "",
        natsSubject: "",
        recentRejections: [],
        reconnectGaps: 0n,
        liveTable: "",
        committedRows: 0n,
        segments: 0n,
        pendingBytes: 0n,
        nextAttemptAtMs: 0n,
        committedOffsets: {},
      };
      sources.set(name, source);
      return Promise.resolve(source);
    },
    // Follows and appends are tested against the real service (tests/follow_test.ts,
    // tests/append_test.ts).
    async *follow() {},
    append: () => Promise.reject(new NotFoundError("no tables here")),
    listSources() {
      return Promise.resolve({ sources: [...sources.values()] });
    },
    removeSource(request) {
      info(request.name);
      sources.delete(request.name);
      return Promise.resolve({});
    },
    snapshotSource(request, ctx) {
      info(request.name);
      return Promise.resolve({
        handle: {
          id: `${ctx.tenant}.abcdefghijklmnopqrstuvwxyz`,
          owner: ctx.tenant,
          rows: 0n,
          bytes: 0n,
          createdAtMs: 0n,
          name: "",
          ttlSeconds: request.ttlSeconds,
          expiresAtMs: 0n,
          refcount: 1,
          worker: "test",
          metadata: {},
          objectKey: "",
          objectPending: false,
          pinned: false,
          lost: false,
        },
      });
    },
  });
  const server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [binding],
    maxMessageBytes: 1024 * 1024,
    logger: createLogger("sdk-ingest-test", { write: () => {} }),
    metrics: createRpcMetrics(createRegistry("sdk_ingest_test")),
  });
  return {
    endpoint: `127.0.0.1:${server.port}`,
    sources,
    tenants,
    [Symbol.asyncDispose]: () => server.close(0),
  };
}

Deno.test("IngestClient adds, lists, snapshots and removes a NATS source", async () => {
  await using server = await startIngestServer();
  await using ingest = await connectIngest({ endpoint: server.endpoint, tenant: "desk" });
  const added = await ingest.addNatsSource({
    name: "ticks",
    subject: "md.>",
    queueGroup: "ingest",
    maxBatchRows: 500,
    maxBatchDelayMs: 50,
    maxBufferBytes: 2 ** 33,
    table: "md_ticks",
    retention: { maxRows: 1_000_000, maxAgeSeconds: 86_400 },
    overflow: "drop",
  });
  assert.equal(added.state, "running");
  assert.deepEqual(server.sources.get("ticks")!.spec, {
    name: "ticks",
    kind: { $case: "nats", value: { subject: "md.>", queueGroup: "ingest" } },
    maxBatchRows: 500,
    maxBatchDelayMs: 50,
    maxBufferBytes: 2n ** 33n,
    table: "md_ticks",
    retention: { maxRows: 1_000_000n, maxBytes: 0n, maxAgeSeconds: 86_400n },
    overflow: "drop",
  });
  assert.deepEqual(server.tenants, ["desk"]);
  await assert.rejects(ingest.addNatsSource({ name: "ticks", subject: "x" }), AlreadyExistsError);
  assert.deepEqual((await ingest.listSources()).map((s) => s.spec?.name), ["ticks"]);
  assert.equal(
    await ingest.snapshot("ticks", { ttlSeconds: 60 }),
    "desk.abcdefghijklmnopqrstuvwxyz",
  );
  await ingest.removeSource("ticks");
  assert.deepEqual(await ingest.listSources(), []);
  await assert.rejects(ingest.snapshot("ticks"), NotFoundError);
  await ingest.close();
  await ingest.close();
});

Deno.test("IngestClient checks its options before calling", async () => {
  await using server = await startIngestServer();
  await using ingest = await connectIngest(server.endpoint);
  await assert.rejects(
    ingest.addNatsSource({ name: "a", subject: "" }),
    /'subject' must be a non-empty string/,
  );
  await assert.rejects(
    ingest.addNatsSource({ name: "a", subject: "s", maxBatchRows: -1 }),
    RangeError,
  );
  await assert.rejects(ingest.snapshot("a", { ttlSeconds: 1.5 }), RangeError);
  await assert.rejects(
    ingest.addNatsSource({ name: "a", subject: "s", retention: { maxRows: -5 } }),
    /retention\.maxRows/,
  );
  await assert.rejects(
    ingest.addNatsSource({ name: "a", subject: "s", overflow: "later" as "drop" }),
    /'overflow' must be "block" or "drop"/,
  );
  assert.deepEqual(server.sources.size, 0);
});

Deno.test("connectIngest() rejects with UnavailableError when nothing listens", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await assert.rejects(
    connectIngest({ endpoint: `127.0.0.1:${port}`, connectTimeoutMs: 200 }),
    UnavailableError,
  );
});
