/**
 * Bad input gets its error class and gRPC code, and the cluster keeps serving after each.
 */

import assert from "node:assert/strict";
import { makeVector, Table } from "apache-arrow";
import { DataFrameServiceService, Engine } from "../shared/gen/polaroid/v1/dataframe.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import {
  col,
  ColumnNotFoundError,
  concat,
  connect,
  HandleNotFoundError,
  InvalidArgumentError,
  InvalidArrowError,
  InvalidPlanError,
  LimitExceededError,
  type PolaroidError,
} from "../sdk/mod.ts";
import { GrpcCode } from "../shared/errors.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const UPLOAD_LIMIT = 4 * 1024 * 1024;
const cluster = await testCluster({
  env: {
    POLAROID_MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT),
    POLAROID_MAX_CROSS_JOIN_ROWS: "1000000",
    POLAROID_MAX_MESSAGE_BYTES: "2MiB",
    POLAROID_MAX_RESULT_ROWS: "100000",
  },
});
const endpoint = cluster.endpoints.compute;
const raw = new RpcClient(endpoint, DataFrameServiceService, { timeoutMs: 30_000 });
Deno.test.afterAll(() => raw.close());

/** After every bad input, a good query still works on the same worker. */
async function stillServing(): Promise<void> {
  await using client = await connect({ endpoint });
  await using df = await client.fromRecords([{ a: 1n }, { a: 2n }]);
  const rows = await df.lazy().filter(col("a").gt(1n)).toRecords();
  assert.deepEqual(rows, [{ a: 2n }]);
}

function code(expected: number, cls: new (...args: never[]) => PolaroidError) {
  return (error: unknown) => {
    assert.ok(error instanceof cls, `expected ${cls.name}, got ${String(error)}`);
    assert.equal((error as PolaroidError).code, expected);
    return true;
  };
}

/** The fields of an ExecuteRequest these tests leave at their defaults. */
const EXECUTE_DEFAULTS = {
  streaming: false,
  engine: 0,
  name: "",
  skipCache: false,
  durable: false,
  metadata: {},
};

Deno.test({
  name: "an unknown column is INVALID_ARGUMENT / ColumnNotFoundError naming the column",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    await using df = await client.fromRecords([{ a: 1.0 }]);
    await assert.rejects(df.lazy().select(col("nope")).toArrow(), (e: unknown) => {
      code(GrpcCode.INVALID_ARGUMENT, ColumnNotFoundError)(e);
      assert.match((e as Error).message, /nope/);
      return true;
    });
    await stillServing();
  },
});

Deno.test({
  name: "an unknown or released handle is NOT_FOUND / HandleNotFoundError",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    await assert.rejects(
      client.handle("default.aaaaaaaaaaaaaaaaaaaaaaaaaa"),
      code(GrpcCode.NOT_FOUND, HandleNotFoundError),
    );
    const df = await client.fromRecords([{ a: 1.0 }]);
    const lf = df.lazy().select(col("a"));
    await df.release();
    await assert.rejects(lf.toArrow(), code(GrpcCode.NOT_FOUND, HandleNotFoundError));
    await stillServing();
  },
});

Deno.test({
  name: "a malformed handle id is INVALID_ARGUMENT and never reaches a lookup",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    await assert.rejects(
      client.handle("../../etc/passwd"),
      code(GrpcCode.INVALID_ARGUMENT, InvalidArgumentError),
    );
    await stillServing();
  },
});

Deno.test({
  name: "an upload of more rows than POLAROID_MAX_RESULT_ROWS is INVALID_ARGUMENT naming the limit",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    const values = new Float64Array(100_001);
    await assert.rejects(client.fromArrow(new Table({ x: makeVector(values) })), (e: unknown) => {
      code(GrpcCode.INVALID_ARGUMENT, InvalidArrowError)(e);
      assert.match((e as Error).message, /at most 100000 rows \(POLAROID_MAX_RESULT_ROWS\)/);
      return true;
    });
    await stillServing();
  },
});

Deno.test({
  name: "a malformed Arrow upload is INVALID_ARGUMENT / InvalidArrowError",
  ...INTEGRATION,
  async fn() {
    const garbage = new TextEncoder().encode("this is not arrow ipc ".repeat(100));
    await assert.rejects(
      raw.clientStream("upload", [{
        arrowIpc: Buffer.from(garbage),
        ttlSeconds: 0n,
        name: "",
        bulkBytes: 0n,
      }]),
      code(GrpcCode.INVALID_ARGUMENT, InvalidArrowError),
    );
    await stillServing();
  },
});

Deno.test({
  name: "a malformed plan is INVALID_ARGUMENT / InvalidPlanError",
  ...INTEGRATION,
  async fn() {
    await assert.rejects(
      raw.unary("execute", { plan: { node: undefined }, ttlSeconds: 0n, ...EXECUTE_DEFAULTS }),
      code(GrpcCode.INVALID_ARGUMENT, InvalidPlanError),
    );
    await assert.rejects(
      raw.unary("execute", {
        plan: { node: { $case: "filter", value: { input: undefined, predicate: undefined } } },
        ttlSeconds: 0n,
        ...EXECUTE_DEFAULTS,
      }),
      code(GrpcCode.INVALID_ARGUMENT, InvalidPlanError),
    );
    await stillServing();
  },
});

Deno.test({
  name: "a scan path outside the data root is INVALID_ARGUMENT",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    for (const path of ["../secret.parquet", "/etc/passwd.csv", "a/../../b.parquet"]) {
      const lf = path.endsWith(".csv") ? client.scanCsv(path) : client.scanParquet(path);
      await assert.rejects(
        lf.toArrow(),
        code(GrpcCode.INVALID_ARGUMENT, InvalidArgumentError),
        path,
      );
    }
    await stillServing();
  },
});

Deno.test({
  name: "an upload over the limit is RESOURCE_EXHAUSTED / LimitExceededError",
  ...INTEGRATION,
  async fn() {
    const chunk = Buffer.alloc(1024 * 1024, 1);
    const chunks = Array.from(
      { length: 6 },
      (_, i) => ({ arrowIpc: chunk, ttlSeconds: i === 0 ? 60n : 0n, name: "", bulkBytes: 0n }),
    );
    await assert.rejects(
      raw.clientStream("upload", chunks),
      code(GrpcCode.RESOURCE_EXHAUSTED, LimitExceededError),
    );
    await stillServing();
  },
});

Deno.test({
  name: "a cross join that would pass the row limit is refused before it runs",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    const rows = Array.from({ length: 2000 }, (_, i) => ({ i: BigInt(i) }));
    await using left = await client.fromRecords(rows);
    await using right = await client.fromRecords(rows);
    await assert.rejects(
      left.lazy().join(right.lazy(), { how: "cross" }).collect(),
      code(GrpcCode.RESOURCE_EXHAUSTED, LimitExceededError),
    );
    await stillServing();
  },
});

Deno.test({
  name: "a gRPC message over the size limit is RESOURCE_EXHAUSTED / LimitExceededError",
  ...INTEGRATION,
  async fn() {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    await assert.rejects(
      raw.clientStream("upload", [{ arrowIpc: big, ttlSeconds: 0n, name: "", bulkBytes: 0n }]),
      code(GrpcCode.RESOURCE_EXHAUSTED, LimitExceededError),
    );
    await stillServing();
  },
});

Deno.test({
  name: "a result over the row limit is RESOURCE_EXHAUSTED and nothing is kept",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    // An upload is bounded by the row limit too: two of 75,000 rows make 150,000.
    const values = new Float64Array(75_000).map((_, i) => i);
    await using df = await client.fromArrow(new Table({ x: makeVector(values) }));
    const before = (await client.listHandles()).length;
    await assert.rejects(
      concat([df, df]).withColumns(col("x").mul(2).alias("y")).collect(),
      (e: unknown) => {
        code(GrpcCode.RESOURCE_EXHAUSTED, LimitExceededError)(e);
        assert.match((e as Error).message, /100000/);
        return true;
      },
    );
    assert.equal((await client.listHandles()).length, before);
    await stillServing();
  },
});

Deno.test({
  name: "an unknown engine, and an engine for a stored frame, are INVALID_ARGUMENT naming 'engine'",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    await using df = await client.fromRecords([{ a: 1.0 }]);
    const plan = df.lazy().select(col("a")).plan;
    await assert.rejects(
      raw.unary("execute", { plan, ttlSeconds: 0n, ...EXECUTE_DEFAULTS, engine: 99 as Engine }),
      (e: unknown) =>
        code(GrpcCode.INVALID_ARGUMENT, InvalidArgumentError)(e) && /'engine'/.test(String(e)),
    );
    const collect = async (engine: Engine) => {
      for await (
        const _ of raw.serverStream("collect", {
          source: { $case: "handle", value: df.id },
          batchSize: 0,
          startBatch: 0n,
          streaming: false,
          engine,
          bulk: false,
        })
      ) { /* refused before any message */ }
    };
    await assert.rejects(
      collect(Engine.ENGINE_IN_MEMORY),
      (e: unknown) =>
        code(GrpcCode.INVALID_ARGUMENT, InvalidArgumentError)(e) && /plans only/.test(String(e)),
    );
    await collect(Engine.ENGINE_UNSPECIFIED);
    await stillServing();
  },
});
