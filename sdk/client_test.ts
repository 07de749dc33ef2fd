import assert from "node:assert/strict";
import { Float64, Int64, Table, vectorFromArray } from "apache-arrow";
import {
  FailedPreconditionError,
  HandleNotFoundError,
  InvalidPlanError,
  UnavailableError,
} from "../shared/errors.ts";
import type { CollectRequest, ExecuteRequest } from "../shared/gen/polaroid/v1/dataframe.ts";
import { startTestServer, type TestServer } from "./_test_server.ts";
import { UPLOAD_CHUNK_BYTES } from "./transport/arrow.ts";
import { type Client, connect, type ConnectOptions } from "./client.ts";
import { DataType } from "./datatypes.ts";
import { col } from "./functions.ts";

async function withClient(
  fn: (client: Client, server: TestServer) => Promise<void>,
  options: ConnectOptions = {},
): Promise<void> {
  await using server = await startTestServer();
  await using client = await connect({ endpoint: server.endpoint, ...options });
  await fn(client, server);
}

const rows = [
  { sym: "a", px: 1.5, id: 2n ** 62n + 1n },
  { sym: "b", px: 2.5, id: -7n },
  { sym: "c", px: null, id: 3n },
];

Deno.test("connect() rejects with UnavailableError naming the endpoint when no server answers", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await assert.rejects(
    connect({ endpoint: `127.0.0.1:${port}`, connectTimeoutMs: 300 }),
    (e: unknown) => {
      assert.ok(e instanceof UnavailableError);
      assert.match(
        e.message,
        new RegExp(`Cannot connect to 127\\.0\\.0\\.1:${port} as it did not answer within 300 ms`),
      );
      return true;
    },
  );
});

Deno.test("connect() takes an endpoint string and rejects a malformed one", async () => {
  await using server = await startTestServer();
  const client = await connect(server.endpoint);
  assert.equal(client.endpoint, server.endpoint);
  await client.close();
  await client.close();
  await assert.rejects(client.listHandles(), FailedPreconditionError);
  await assert.rejects(connect("no-port"), /'endpoint' must be "host:port"/);
  await assert.rejects(connect({ endpoint: server.endpoint, batchSize: -1 }), RangeError);
  await assert.rejects(
    connect({ endpoint: server.endpoint, maxMessageBytes: 1024 }),
    /at least 2097152/,
  );
  await assert.rejects(connect({ endpoint: server.endpoint, tenant: "Bad Tenant" }), /tenant/);
  await assert.rejects(connect({ endpoint: server.endpoint, token: "has space" }), /'token'/);
  await assert.rejects(connect({ endpoint: server.endpoint, token: "" }), /'token'/);
  await assert.rejects(
    connect({ endpoint: server.endpoint, tls: { ca: "x", verify: false } as never }),
    /'tls.verify' is not an option/,
  );
  await assert.rejects(
    connect({ endpoint: server.endpoint, tls: { cert: "x" } }),
    /'tls.cert' and 'tls.key' go together/,
  );
});

Deno.test("connect() falls back to POLAROID_ENDPOINT", async () => {
  await using server = await startTestServer();
  Deno.env.set("POLAROID_ENDPOINT", server.endpoint);
  try {
    await using client = await connect();
    assert.equal(client.endpoint, server.endpoint);
  } finally {
    Deno.env.delete("POLAROID_ENDPOINT");
  }
});

Deno.test("fromRecords() uploads and the frame knows its handle, schema and shape", async () => {
  await withClient(async (client, server) => {
    const df = await client.fromRecords(rows, { id: DataType.Int64 });
    assert.match(df.id, /^acme\.[a-z2-7]{26}$/);
    assert.deepEqual(df.columns, ["id", "sym", "px"]);
    assert.ok(df.schema.id!.equals(DataType.Int64));
    assert.ok(df.schema.px!.equals(DataType.Float64));
    assert.deepEqual(df.shape, { height: 3, width: 3 });
    assert.equal(df.height, 3);
    assert.equal(df.width, 3);
    assert.deepEqual(await df.toRecords(), rows.map(({ sym, px, id }) => ({ id, sym, px })));
    assert.ok(server.received.every((r) => r.tenant === "acme"));
  }, { tenant: "acme" });
});

Deno.test("fromArrow() sends a large table in chunks of at most 1 MiB, TTL in the first", async () => {
  await withClient(async (client, server) => {
    const n = 150_000;
    const table = new Table({
      i: vectorFromArray(Array.from({ length: n }, (_, k) => BigInt(k) * 3n), new Int64()),
      x: vectorFromArray(Array.from({ length: n }, (_, k) => k / 4), new Float64()),
    });
    const df = await client.fromArrow(table, { ttlSeconds: 30 });
    const [upload] = server.uploads;
    assert.ok(upload!.chunks.length >= 3);
    assert.ok(upload!.chunks.every((size) => size <= UPLOAD_CHUNK_BYTES));
    assert.equal(upload!.ttlSeconds, 30n);
    assert.equal(df.height, n);
    const back = await df.toArrow({ batchSize: 40_000 });
    assert.equal(back.numRows, n);
    assert.equal(back.batches.length, 4);
    assert.equal(back.getChild("i")!.get(n - 1), BigInt(n - 1) * 3n);
    await assert.rejects(client.fromArrow({} as Table), /must be an apache-arrow Table/);
  });
});

Deno.test("RemoteLazyFrame.toArrow() and stream() send the plan and the batch size", async () => {
  await withClient(async (client, server) => {
    const df = await client.fromRecords(rows);
    const lf = df.lazy().slice(1, 2);
    const table = await lf.toArrow();
    assert.deepEqual(table.toArray().map((r) => r.toJSON().sym), ["b", "c"]);
    const sent = server.received.filter((r) => r.method === "collect").at(-1)!
      .request as CollectRequest;
    assert.deepEqual(sent.source, { $case: "plan", value: lf.plan });
    assert.equal(sent.batchSize, 2);
    const sizes: number[] = [];
    for await (const batch of df.lazy().stream({ batchSize: 1 })) sizes.push(batch.numRows);
    assert.deepEqual(sizes, [1, 1, 1]);
    assert.deepEqual(await df.head(1).toRecords(), [{ sym: "a", px: 1.5, id: 2n ** 62n + 1n }]);
  }, { batchSize: 2 });
});

Deno.test("collect() stores the result; await using releases it", async () => {
  await withClient(async (client, server) => {
    const df = await client.fromRecords(rows);
    let id = "";
    {
      await using head = await df.lazy().head(2).collect({ ttlSeconds: 5 });
      id = head.id;
      assert.notEqual(id, df.id);
      assert.equal(head.height, 2);
      const sent = server.received.find((r) => r.method === "execute")!.request as ExecuteRequest;
      assert.equal(sent.ttlSeconds, 5n);
      assert.ok(server.infos.has(id));
    }
    assert.ok(!server.infos.has(id));
    assert.ok(server.infos.has(df.id));
  });
});

Deno.test("release() twice releases once; retain() adds a reference to release", async () => {
  await withClient(async (client, server) => {
    const df = await client.fromRecords(rows);
    await df.retain();
    assert.equal(server.infos.get(df.id)!.refcount, 2);
    await df.release();
    await df.release();
    await df.release();
    assert.ok(!server.infos.has(df.id));
    assert.equal(server.received.filter((r) => r.method === "releaseHandle").length, 2);
    const other = await client.fromRecords(rows);
    server.infos.delete(other.id); // gone on the server already: releasing is still harmless
    await other.release();
  });
});

Deno.test("handle() opens a stored frame; an unknown one is HandleNotFoundError", async () => {
  await withClient(async (client) => {
    const df = await client.fromRecords(rows);
    const again = await client.handle(df.id);
    assert.equal(again.id, df.id);
    assert.deepEqual(again.columns, df.columns);
    await assert.rejects(client.handle("default.aaaaaaaaaaaaaaaaaaaaaaaaaa"), HandleNotFoundError);
  });
});

Deno.test("listHandles() reads every page", async () => {
  await withClient(async (client, server) => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await client.fromRecords(rows)).id);
    const listed = await client.listHandles();
    assert.deepEqual(listed.map((h) => h.id).sort(), ids.sort());
    assert.equal(server.received.filter((r) => r.method === "listHandles").length, 3);
  });
});

Deno.test("schema() is asked once per frame; columns() reads it", async () => {
  await withClient(async (client, server) => {
    const df = await client.fromRecords(rows);
    const lf = df.lazy().head(2);
    const [a, b] = await Promise.all([lf.schema(), lf.schema()]);
    assert.equal(a, b);
    assert.deepEqual(await lf.columns(), ["sym", "px", "id"]);
    assert.equal(server.received.filter((r) => r.method === "schema").length, 1);
    await lf.head(1).schema();
    assert.equal(server.received.filter((r) => r.method === "schema").length, 2);
  });
});

Deno.test("describePlan() and describeOptimizedPlan() return the server's text", async () => {
  await withClient(async (client) => {
    const lf = (await client.fromRecords(rows)).lazy().head(1);
    assert.equal(await lf.describePlan(), "LOGICAL slice");
    assert.equal(await lf.describeOptimizedPlan(), "OPTIMIZED");
  });
});

Deno.test("a server error reaches the caller as its PolaroidError class", async () => {
  await withClient(async (client) => {
    const lf = (await client.fromRecords(rows)).filter(col("px").gt(1));
    await assert.rejects(lf.toArrow(), (e: unknown) => {
      assert.ok(e instanceof InvalidPlanError);
      assert.match(e.message, /current node is filter/);
      return true;
    });
    await assert.rejects(lf.collect(), InvalidPlanError);
    // A failed schema() is not cached.
    await assert.rejects(lf.schema(), InvalidPlanError);
    await assert.rejects(lf.schema(), InvalidPlanError);
  });
});

/** A "host:port" nothing listens on. */
function deadEndpoint(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return `127.0.0.1:${port}`;
}

function calls(server: TestServer, method: string): number {
  return server.received.filter((r) => r.method === method).length;
}

Deno.test("connect({ endpoints }) round-robins calls over the endpoints", async () => {
  await using a = await startTestServer();
  await using b = await startTestServer();
  await using client = await connect({ endpoints: [a.endpoint, b.endpoint] });
  assert.deepEqual(client.endpoints, [a.endpoint, b.endpoint]);
  assert.equal(client.endpoint, a.endpoint);
  for (let i = 0; i < 6; i++) await client.listHandles();
  assert.deepEqual([calls(a, "listHandles"), calls(b, "listHandles")], [3, 3]);
});

Deno.test("connect({ balance: 'affinity' }) sends every call naming a handle to one endpoint", async () => {
  await using a = await startTestServer();
  await using b = await startTestServer();
  await using client = await connect({ endpoints: [a.endpoint, b.endpoint], balance: "affinity" });
  // 32 ids: all of them on one endpoint by chance is a 2^-31 event, not a flaky test.
  const ids = Array.from(
    { length: 32 },
    (_, i) => `default.${"a".repeat(24)}${"bcdefghi"[i % 8]}${"jklm"[Math.floor(i / 8)]}`,
  );
  for (const id of ids) {
    const before = [calls(a, "describeHandle"), calls(b, "describeHandle")];
    for (let i = 0; i < 3; i++) await assert.rejects(client.handle(id), HandleNotFoundError);
    const after = [
      calls(a, "describeHandle") - before[0]!,
      calls(b, "describeHandle") - before[1]!,
    ];
    assert.ok(after.includes(3) && after.includes(0), `${id} went to ${after}`);
  }
  assert.ok(calls(a, "describeHandle") > 0 && calls(b, "describeHandle") > 0, "ids spread");
});

Deno.test("calls go on over the endpoints that answer when one is down", async () => {
  await using live = await startTestServer();
  const dead = deadEndpoint();
  // connect() resolves once one endpoint answers, long before its 5 s bound.
  const started = performance.now();
  await using client = await connect({ endpoints: [dead, live.endpoint], connectTimeoutMs: 5000 });
  assert.ok(performance.now() - started < 2000);
  // The first call meets the dead endpoint and is retried on the next; it cools down.
  const df = await client.fromRecords(rows);
  assert.deepEqual(await df.toRecords(), rows);
  const again = await client.fromRecords(rows);
  assert.equal(again.height, 3);
  assert.equal(live.uploads.length, 2, "each upload arrived once");
  assert.equal((await client.handle(again.id)).id, again.id);
});

Deno.test("a call fails with the last error and its attempt count when no endpoint answers", async () => {
  const dead = [deadEndpoint(), deadEndpoint()];
  await assert.rejects(
    connect({ endpoints: dead, connectTimeoutMs: 300 }),
    new RegExp(`Cannot connect to any of ${dead.join(", ")} as none answered within 300 ms`),
  );
  await using client = await connect({
    endpoints: dead,
    connectTimeoutMs: 0,
    retry: { attempts: 3, baseDelayMs: 1 },
  });
  await assert.rejects(client.listHandles(), (e: unknown) => {
    assert.ok(e instanceof UnavailableError);
    assert.match(e.message, /\(after 3 attempts, the last on 127\.0\.0\.1:\d+\)$/);
    return true;
  });
});

Deno.test("connect() checks endpoints, balance and retry options", async () => {
  await using server = await startTestServer();
  await assert.rejects(
    connect({ endpoint: server.endpoint, endpoints: [server.endpoint] }),
    /'endpoint' and 'endpoints' are exclusive/,
  );
  await assert.rejects(connect({ endpoints: [] }), /'endpoints' must be a non-empty array/);
  await assert.rejects(connect({ endpoints: ["a:1", "b"] }), /'endpoints' must be "host:port"/);
  await assert.rejects(connect({ endpoint: "a:1,b:2" }), /'endpoint' must be "host:port"/);
  await assert.rejects(
    connect({ endpoint: server.endpoint, balance: "random" as "affinity" }),
    /'balance' must be one of "round_robin", "affinity"/,
  );
  for (const attempts of [0, 101, 1.5]) {
    await assert.rejects(
      connect({ endpoint: server.endpoint, retry: { attempts } }),
      new RegExp(
        `'retry.attempts' must be an integer in \\[1, 100\\]: current value is ${attempts}`,
      ),
    );
  }
  await assert.rejects(
    connect({ endpoint: server.endpoint, retry: { maxDelayMs: -1 } }),
    /'retry.maxDelayMs'/,
  );
});

Deno.test("connect() reads a comma-separated list from POLAROID_ENDPOINT", async () => {
  await using a = await startTestServer();
  await using b = await startTestServer();
  Deno.env.set("POLAROID_ENDPOINT", ` ${a.endpoint}, ${b.endpoint} ,`);
  try {
    await using client = await connect();
    assert.deepEqual(client.endpoints, [a.endpoint, b.endpoint]);
    await client.listHandles();
    await client.listHandles();
    assert.deepEqual([calls(a, "listHandles"), calls(b, "listHandles")], [1, 1]);
  } finally {
    Deno.env.delete("POLAROID_ENDPOINT");
  }
});
