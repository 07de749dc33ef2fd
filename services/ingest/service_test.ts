import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import pl from "nodejs-polars";
import { loadHandlesConfig, loadIngestConfig } from "../../shared/config.ts";
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  LimitExceededError,
  NotFoundError,
  UnimplementedError,
} from "../../shared/errors.ts";
import { DataFrameServiceService } from "../../shared/gen/polaroid/v1/dataframe.ts";
import { IngestServiceService, type SourceSpec } from "../../shared/gen/polaroid/v1/ingest.ts";
import { RpcClient } from "../../shared/grpc/client.ts";
import { bind } from "../../shared/grpc/types.ts";
import { newHandleId } from "../../shared/ids.ts";
import { connectNats } from "../../shared/nats.ts";
import { type RunningService, startService } from "../../shared/service.ts";
import { startNatsServer } from "../../tests/_nats_server.ts";
import { waitFor } from "../../scripts/_wait.ts";
import { buildIngestService } from "./service.ts";

/** What the stand-in compute worker received in one Upload call. */
interface Received {
  tenant: string;
  ttlSeconds: bigint;
  chunks: number;
  frame: pl.DataFrame;
}

/**
 * A small DataFrameService that stands in for the compute worker: its Upload parses the
 * Arrow IPC with nodejs-polars and records it. The compute worker's own end-to-end test
 * covers the real upload path.
 */
function startComputeStandIn(received: Received[]): Promise<RunningService> {
  const unimplemented = () => Promise.reject(new UnimplementedError("not in the stand-in"));
  const config = loadHandlesConfig({
    POLAROID_HANDLES_PORT: "0",
    POLAROID_HANDLES_HTTP_PORT: "0",
    POLAROID_LOG_LEVEL: "warn",
  });
  return startService({
    name: "compute-stand-in",
    config,
    build: () =>
      Promise.resolve({
        bindings: [bind(DataFrameServiceService, {
          execute: unimplemented,
          schema: unimplemented,
          explain: unimplemented,
          sink: unimplemented,
          // deno-lint-ignore require-yield
          collect: async function* () {
            await unimplemented();
          },
          upload: async (requests, ctx) => {
            const parts: Buffer[] = [];
            let ttlSeconds: bigint | undefined;
            for await (const request of requests) {
              ttlSeconds ??= request.ttlSeconds;
              parts.push(request.arrowIpc);
            }
            const frame = pl.readIPCStream(Buffer.concat(parts));
            received.push({
              tenant: ctx.tenant,
              ttlSeconds: ttlSeconds ?? 0n,
              chunks: parts.length,
              frame,
            });
            const now = BigInt(Date.now());
            return {
              handle: {
                id: newHandleId(ctx.tenant),
                owner: ctx.tenant,
                schema: undefined,
                rows: BigInt(frame.height),
                bytes: BigInt(parts.reduce((n, p) => n + p.byteLength, 0)),
                createdAtMs: now,
                name: "",
                ttlSeconds: ttlSeconds ?? 0n,
                expiresAtMs: now,
                refcount: 1,
                worker: "stand-in",
                metadata: {},
                objectKey: "",
                objectPending: false,
                pinned: false,
                lost: false,
              },
            };
          },
        })],
      }),
  });
}

function natsSpec(name: string, subject: string, extra: Partial<SourceSpec> = {}): SourceSpec {
  return {
    name,
    kind: { $case: "nats", value: { subject, queueGroup: "" } },
    maxBatchRows: 0,
    maxBatchDelayMs: 0,
    maxBufferBytes: 0n,
    table: "",
    overflow: "",
    ...extra,
  };
}

/** An ingest service on `natsUrl` (20 ms batches), disposed with `await using`. */
async function startIngest(natsUrl: string) {
  const config = loadIngestConfig({
    POLAROID_INGEST_PORT: "0",
    POLAROID_INGEST_HTTP_PORT: "0",
    POLAROID_NATS_URL: natsUrl,
    POLAROID_INGEST_MAX_BATCH_DELAY_MS: "20",
    POLAROID_LOG_LEVEL: "warn",
  });
  const serviceNats = await connectNats(natsUrl, { name: "ingest-test-service" });
  const service = await startService({
    name: "ingest",
    config,
    build: buildIngestService(config, { nats: serviceNats, onClose: () => serviceNats.drain() }),
  });
  // Its subscriptions have reached the server once this resolves.
  return Object.assign(service, { flushNats: () => serviceNats.flush() });
}

Deno.test("IngestService: 1000 NATS messages (+3 malformed) become a snapshot handle", async () => {
  const nats = await startNatsServer();
  const received: Received[] = [];
  const compute = await startComputeStandIn(received);
  try {
    const config = loadIngestConfig({
      POLAROID_INGEST_PORT: "0",
      POLAROID_INGEST_HTTP_PORT: "0",
      POLAROID_NATS_URL: nats.url,
      POLAROID_COMPUTE_ENDPOINT: `127.0.0.1:${compute.grpc.port}`,
      POLAROID_INGEST_MAX_SOURCES: "2",
      POLAROID_LOG_LEVEL: "warn",
    });
    const serviceNats = await connectNats(nats.url, { name: "ingest-test-service" });
    const publisher = await connectNats(nats.url, { name: "ingest-test-publisher" });
    const ingest = await startService({
      name: "ingest",
      config,
      build: buildIngestService(config, { nats: serviceNats, onClose: () => serviceNats.drain() }),
    });
    const client = new RpcClient(`127.0.0.1:${ingest.grpc.port}`, IngestServiceService, {
      tenant: "acme",
      timeoutMs: 10_000,
    });
    try {
      const added = await client.unary("addSource", {
        spec: natsSpec("trades", "feeds.trades", { maxBatchRows: 100, maxBatchDelayMs: 50 }),
      });
      assert.equal(added.state, "running");
      assert.equal(
        added.natsSubject,
        "polaroid.ingest.acme.feeds.trades",
        "the tenant's namespace",
      );
      assert.equal(added.spec?.maxBatchRows, 100);
      assert.equal(added.spec?.maxBufferBytes, BigInt(config.maxBufferBytes), "default filled in");
      await serviceNats.flush();

      const pad = "x".repeat(1100);
      for (let i = 0; i < 1000; i++) {
        publisher.publish(
          added.natsSubject,
          `{"seq": ${i}, "id": ${
            9_007_199_254_740_993n + BigInt(i)
          }, "px": ${i}.5, "pad": "${pad}"}`,
        );
        const malformed = { 0: "not json", 400: `[${i}]`, 800: '"a string"' }[i];
        if (malformed) publisher.publish(added.natsSubject, malformed);
      }
      await publisher.flush();

      let info = added;
      await waitFor(async () => {
        info = (await client.unary("listSources", {})).sources[0]!;
        return info.rows === 1000n && info.rejected === 3n;
      }, { timeoutMs: 10_000, what: "rows=1000 and rejected=3" }).catch((error) => {
        throw new Error(
          `${error.message}; last: ${
            JSON.stringify(info, (_, v) => typeof v === "bigint" ? String(v) : v)
          }`,
        );
      });
      assert.equal(info.messages, 1003n);
      assert.ok(info.batches >= 10n, "100-row batches (more if the 50 ms delay closed some)");
      assert.equal(info.bufferedRows, 1000n);
      assert.equal(info.droppedRows, 0n);
      assert.match(info.lastError, /JSON object/);
      // The malformed messages themselves are kept for debugging, newest last.
      assert.deepEqual(info.recentRejections.map((r) => r.sample), [
        "not json",
        "[400]",
        '"a string"',
      ]);
      assert.ok(info.recentRejections.every((r) => r.atMs > 0n && r.error !== ""));

      const { handle } = await client.unary("snapshotSource", { name: "trades", ttlSeconds: 60n });
      assert.equal(handle?.rows, 1000n);
      assert.match(handle?.id ?? "", /^acme\./);
      assert.equal(received.length, 1);
      const got = received[0]!;
      assert.equal(got.tenant, "acme");
      assert.equal(got.ttlSeconds, 60n);
      assert.ok(got.chunks >= 2, `a snapshot over 1 MiB travels in chunks: ${got.chunks}`);
      assert.deepEqual(got.frame.columns, ["seq", "id", "px", "pad"]);
      const sorted = got.frame.sort("seq");
      assert.deepEqual(
        sorted.getColumn("seq").toArray(),
        Array.from({ length: 1000 }, (_, i) => i),
      );
      assert.deepEqual(
        sorted.getColumn("id").cast(pl.Utf8).toArray(),
        Array.from({ length: 1000 }, (_, i) => String(9_007_199_254_740_993n + BigInt(i))),
      );
      assert.equal(sorted.getColumn("px").sum(), 1000 * 999 / 2 + 500);

      const after = (await client.unary("listSources", {})).sources[0]!;
      assert.equal(after.bufferedRows, 1000n, "a snapshot keeps the buffer");
      const metrics = await (await fetch(`http://127.0.0.1:${ingest.http.port}/metrics`)).text();
      assert.match(metrics, /polaroid_ingest_rows_total\{[^}]*source="trades"[^}]*\} 1000/);
      assert.match(metrics, /polaroid_ingest_rejected_total\{[^}]*source="trades"[^}]*\} 3/);
    } finally {
      client.close();
      await ingest.stop(1000);
      await publisher.close();
    }
  } finally {
    await compute.stop(1000);
    await nats.stop();
  }
});

Deno.test("IngestService: names, duplicates, limits, empty sources and removal", async () => {
  const nats = await startNatsServer();
  try {
    const config = loadIngestConfig({
      POLAROID_INGEST_PORT: "0",
      POLAROID_INGEST_HTTP_PORT: "0",
      POLAROID_NATS_URL: nats.url,
      POLAROID_INGEST_MAX_SOURCES: "2",
      POLAROID_LOG_LEVEL: "warn",
    });
    const serviceNats = await connectNats(nats.url, { name: "ingest-test-service" });
    await using ingest = await startService({
      name: "ingest",
      config,
      build: buildIngestService(config, {
        nats: serviceNats,
        upload: () => Promise.reject(new Error("no upload expected")),
        onClose: () => serviceNats.drain(),
      }),
    });
    const endpoint = `127.0.0.1:${ingest.grpc.port}`;
    const client = new RpcClient(endpoint, IngestServiceService, { tenant: "acme" });
    const other = new RpcClient(endpoint, IngestServiceService, { tenant: "other" });
    try {
      await assert.rejects(
        client.unary("addSource", { spec: natsSpec("Bad Name", "x") }),
        (e: unknown) => e instanceof InvalidArgumentError && /spec\.name/.test(e.message),
      );
      await assert.rejects(
        client.unary("addSource", { spec: natsSpec("ok", "a..b") }),
        (e: unknown) => e instanceof InvalidArgumentError && /subject/.test(e.message),
      );
      await assert.rejects(
        client.unary("addSource", { spec: natsSpec("ok", "a", { maxBufferBytes: 1n << 40n }) }),
        (e: unknown) => e instanceof InvalidArgumentError && /max_buffer_bytes/.test(e.message),
      );
      await client.unary("addSource", { spec: natsSpec("one", "feeds.one") });
      await assert.rejects(
        client.unary("addSource", { spec: natsSpec("one", "feeds.other") }),
        AlreadyExistsError,
      );
      await other.unary("addSource", { spec: natsSpec("one", "feeds.one") });
      await assert.rejects(
        client.unary("addSource", { spec: natsSpec("two", "x") }),
        LimitExceededError,
      );
      await assert.rejects(
        client.unary("snapshotSource", { name: "one", ttlSeconds: 0n }),
        (e: unknown) =>
          e instanceof FailedPreconditionError && /source one has no data yet/.test(e.message),
      );
      await assert.rejects(
        client.unary("snapshotSource", { name: "nope", ttlSeconds: 0n }),
        NotFoundError,
      );
      assert.deepEqual((await client.unary("listSources", {})).sources.map((s) => s.spec?.name), [
        "one",
      ]);
      await client.unary("removeSource", { name: "one" });
      await assert.rejects(client.unary("removeSource", { name: "one" }), NotFoundError);
      assert.deepEqual((await client.unary("listSources", {})).sources, []);
      assert.equal((await other.unary("listSources", {})).sources.length, 1);
      await client.unary("addSource", { spec: natsSpec("two", "x") });
    } finally {
      client.close();
      other.close();
    }
  } finally {
    await nats.stop();
  }
});

Deno.test("IngestService: a source reads its tenant's namespace only, never the bare subject", async () => {
  const nats = await startNatsServer();
  try {
    const publisher = await connectNats(nats.url, { name: "ingest-test-publisher" });
    await using ingest = await startIngest(nats.url);
    const as = (tenant: string) =>
      new RpcClient(`127.0.0.1:${ingest.grpc.port}`, IngestServiceService, { tenant });
    const acme = as("acme");
    const globex = as("globex");
    try {
      // The same subject and queue group for both: still two namespaces.
      const spec = {
        ...natsSpec("feed", "md.>"),
        kind: { $case: "nats" as const, value: { subject: "md.>", queueGroup: "replicas" } },
      };
      const mine = await acme.unary("addSource", { spec });
      const theirs = await globex.unary("addSource", { spec });
      assert.equal(mine.natsSubject, "polaroid.ingest.acme.md.>");
      assert.equal(theirs.natsSubject, "polaroid.ingest.globex.md.>");
      await ingest.flushNats();
      for (let i = 0; i < 30; i++) {
        publisher.publish("polaroid.ingest.acme.md.ticks", `{"i": ${i}}`);
      }
      for (let i = 0; i < 7; i++) {
        publisher.publish("polaroid.ingest.globex.md.ticks", `{"i": ${i}}`);
      }
      for (let i = 0; i < 5; i++) publisher.publish("md.ticks", `{"i": ${i}}`);
      await publisher.flush();
      const rows = async (client: RpcClient<typeof IngestServiceService>) =>
        (await client.unary("listSources", {})).sources[0]!.messages;
      await waitFor(async () => (await rows(acme)) === 30n && (await rows(globex)) === 7n, {
        timeoutMs: 10_000,
        what: "30 messages for acme and 7 for globex",
      });
      // A message more for either would have arrived with these.
      for (let i = 0; i < 3; i++) publisher.publish("polaroid.ingest.acme.md.ticks", `{"i": 0}`);
      await publisher.flush();
      await waitFor(async () => (await rows(acme)) === 33n, { timeoutMs: 10_000 });
      assert.equal(await rows(globex), 7n, "the bare subject and acme's reached no globex source");
    } finally {
      acme.close();
      globex.close();
      await publisher.close();
    }
  } finally {
    await nats.stop();
  }
});

Deno.test("IngestService: sources in one queue group share a subject's messages", async () => {
  const nats = await startNatsServer();
  try {
    const publisher = await connectNats(nats.url, { name: "ingest-test-publisher" });
    await using ingest = await startIngest(nats.url);
    const client = new RpcClient(`127.0.0.1:${ingest.grpc.port}`, IngestServiceService);
    try {
      for (const name of ["left", "right"]) {
        await client.unary("addSource", {
          spec: {
            ...natsSpec(name, "feeds.shared"),
            kind: { $case: "nats", value: { subject: "feeds.shared", queueGroup: "replicas" } },
          },
        });
      }
      await ingest.flushNats();
      for (let i = 0; i < 200; i++) {
        publisher.publish("polaroid.ingest.default.feeds.shared", `{"i": ${i}}`);
      }
      await publisher.flush();
      let rows: bigint[] = [];
      await waitFor(async () => {
        rows = (await client.unary("listSources", {})).sources.map((s) => s.rows);
        return rows[0]! + rows[1]! === 200n;
      }, { what: "200 rows between the two sources" });
      assert.equal(rows.length, 2);
    } finally {
      client.close();
      await publisher.close();
    }
  } finally {
    await nats.stop();
  }
});

Deno.test("IngestService: a lost NATS connection is a counted gap; the source resumes when it is back", async () => {
  let nats = await startNatsServer();
  const port = Number(new URL(nats.url).port);
  try {
    await using ingest = await startIngest(nats.url);
    const client = new RpcClient(`127.0.0.1:${ingest.grpc.port}`, IngestServiceService);
    const info = async () => (await client.unary("listSources", {})).sources[0]!;
    try {
      await client.unary("addSource", { spec: natsSpec("feed", "md.>") });
      assert.equal((await info()).state, "running");
      await nats.stop();
      await waitFor(async () => (await info()).state === "retrying", {
        timeoutMs: 20_000,
        what: "the source retrying while NATS is down",
      });
      const lost = await info();
      assert.equal(lost.reconnectGaps, 1n);
      assert.match(
        lost.lastError,
        /NATS connection lost \(messages published meanwhile are lost\)/,
      );
      const metrics = await (await fetch(`http://127.0.0.1:${ingest.http.port}/metrics`)).text();
      assert.match(metrics, /polaroid_ingest_reconnect_gaps_total\{[^}]*source="feed"[^}]*\} 1/);
      // Back on the same port: the subscription resumes and messages flow again.
      nats = await startNatsServer({ port });
      await waitFor(async () => (await info()).state === "running", {
        timeoutMs: 30_000,
        what: "the source running again",
      });
      const publisher = await connectNats(nats.url, { name: "ingest-test-publisher" });
      try {
        await waitFor(async () => {
          publisher.publish("polaroid.ingest.default.md.x", '{"i": 1}');
          await publisher.flush();
          return (await info()).rows > 0n;
        }, { timeoutMs: 20_000, what: "rows after the reconnect" });
      } finally {
        await publisher.close();
      }
      assert.equal((await info()).reconnectGaps, 1n);
    } finally {
      client.close();
    }
  } finally {
    await nats.stop();
  }
});
