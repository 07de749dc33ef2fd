/**
 * Request limits of a real compute worker, refused before memory is spent and as
 * RESOURCE_EXHAUSTED (LimitExceededError): concurrent calls (POLAROID_MAX_CONCURRENT_CALLS),
 * message size in both directions (POLAROID_MAX_MESSAGE_BYTES), result columns
 * (POLAROID_MAX_RESULT_COLUMNS); plans that would allocate without bound (big literals
 * broadcast, generated rows under a cross join, list fan-out, many-to-many joins, pivots and
 * statistical tests over large inputs), refused before the worker's memory grows or its
 * event loop stalls, measured from outside (VmRSS, health checks answered meanwhile). Then
 * its graceful drain: a worker sent SIGTERM during a long Collect stream serves that stream
 * to its end, says NOT_SERVING meanwhile, refuses new calls and exits 0 within the grace
 * period.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { makeVector, Table } from "apache-arrow";
import { col, concatList, connect, intRange, intRanges, lit } from "../sdk/mod.ts";
import { scanFilePlan, scanHandlePlan } from "../sdk/plan/plan.ts";
import { InvalidArrowError, LimitExceededError, UnavailableError } from "../shared/errors.ts";
import { HealthService } from "../shared/gen/grpc/health/v1/health.ts";
import {
  CollectRequest,
  DataFrameServiceService,
  ExecuteRequest,
  type UploadRequest,
} from "../shared/gen/polaroid/v1/dataframe.ts";
import { FileFormat } from "../shared/gen/polaroid/v1/plan.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { ServingStatus } from "../shared/grpc/health.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { figures, measure } from "./_measure.ts";

const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
const cluster = await testCluster({
  serviceEnv: {
    compute: {
      POLAROID_MAX_CONCURRENT_CALLS: "2",
      POLAROID_MAX_MESSAGE_BYTES: "2MiB",
      POLAROID_MAX_RESULT_COLUMNS: "3",
      POLAROID_MAX_STAT_TEST_ROWS: "1000000",
    },
  },
  // The worker is stopped on purpose in the last test.
  notice: () => {},
});
const { compute, computeHttp } = cluster.endpoints;

// 1M rows (16 MB) under the data root: a Collect of it in small batches is a long stream.
const ROWS = 1_000_000;
pl.DataFrame({
  a: pl.Series("a", Array.from({ length: ROWS }, (_, i) => i)).cast(pl.Int64),
  b: pl.Series("b", Array.from({ length: ROWS }, (_, i) => i * 0.5)),
}).writeParquet(`${cluster.dataRoot}/big.parquet`);
const BIG = scanFilePlan({ format: FileFormat.FILE_FORMAT_PARQUET, path: "big.parquet" });

/** A client of the worker; `options` left equal, clients share one connection. */
function frames(options: { maxMessageBytes?: number } = {}) {
  return new RpcClient(compute, DataFrameServiceService, { timeoutMs: 30_000, ...options });
}

async function inFlight(method: string): Promise<number> {
  const text = await (await fetch(`${computeHttp}/metrics`)).text();
  const line = text.split("\n").find((l) =>
    l.startsWith("polaroid_grpc_in_flight{") && l.includes(`method="${method}"`)
  );
  return line ? Number(line.split(" ").at(-1)) : 0;
}

Deno.test({
  name: "a call beyond POLAROID_MAX_CONCURRENT_CALLS is refused at once with RESOURCE_EXHAUSTED",
  ...INTEGRATION,
  async fn() {
    const client = frames();
    const stop = new AbortController();
    // Two uploads that send nothing hold two calls open without holding any data.
    const stalled = (): AsyncIterable<UploadRequest> => ({
      [Symbol.asyncIterator]: () => ({
        next: () =>
          new Promise((resolve) =>
            stop.signal.addEventListener("abort", () => resolve({ done: true, value: undefined }))
          ),
      }),
    });
    const held = [1, 2].map(() =>
      client.clientStream("upload", stalled(), { signal: stop.signal }).catch((e) => e)
    );
    try {
      const deadline = Date.now() + 10_000;
      while ((await inFlight("/polaroid.v1.DataFrameService/Upload")) < 2) {
        assert.ok(Date.now() < deadline, "the two uploads did not start within 10 s");
        await new Promise((r) => setTimeout(r, 50));
      }
      const started = performance.now();
      await assert.rejects(
        client.unary("execute", ExecuteRequest.fromPartial({ plan: BIG })),
        (e: unknown) => {
          assert.ok(e instanceof LimitExceededError, String(e));
          assert.match(e.message, /at most 2 calls at once \(POLAROID_MAX_CONCURRENT_CALLS\)/);
          return true;
        },
      );
      assert.ok(performance.now() - started < 2000, "refused at once, not queued");
      // Health is neither refused nor counted, and the worker stays healthy.
      const health = new RpcClient(compute, HealthService, { timeoutMs: 5000 });
      assert.equal((await health.unary("check", { service: "" })).status, ServingStatus.SERVING);
      health.close();
      assert.equal((await fetch(`${computeHttp}/healthz`)).status, 200);
    } finally {
      stop.abort();
      await Promise.all(held);
    }
    // The client's cancels reach the worker a little later: wait until it saw them.
    const deadline = Date.now() + 10_000;
    while ((await inFlight("/polaroid.v1.DataFrameService/Upload")) > 0) {
      assert.ok(Date.now() < deadline, "the cancelled uploads did not end within 10 s");
      await new Promise((r) => setTimeout(r, 50));
    }
    // Once the held calls are gone, calls are taken again.
    const response = await client.unary(
      "execute",
      ExecuteRequest.fromPartial({ plan: BIG, ttlSeconds: 60n }),
    );
    assert.equal(response.handle?.rows, BigInt(ROWS));
    client.close();
  },
});

Deno.test({
  name: "a message over POLAROID_MAX_MESSAGE_BYTES is refused with RESOURCE_EXHAUSTED both ways",
  ...INTEGRATION,
  async fn() {
    const client = frames({ maxMessageBytes: 64 * 1024 * 1024 });
    try {
      // A request of 3 MiB (a huge handle id): refused before it is decoded.
      const huge = scanHandlePlan(`default.${"x".repeat(3 * 1024 * 1024)}`);
      await assert.rejects(
        client.unary("execute", ExecuteRequest.fromPartial({ plan: huge })),
        (e: unknown) => {
          assert.ok(e instanceof LimitExceededError, String(e));
          assert.match(e.message, /larger than max \(\d+ vs\.? 2097152\)/);
          return true;
        },
      );
      // A response batch of 200k rows (3.2 MB) does not fit in one message either.
      const batches = client.serverStream(
        "collect",
        CollectRequest.fromPartial({ source: { $case: "plan", value: BIG }, batchSize: 200_000 }),
      );
      await assert.rejects(Array.fromAsync(batches), (e: unknown) => {
        assert.ok(e instanceof LimitExceededError, String(e));
        return true;
      });
      // Batches under the bound stream fine.
      let rows = 0;
      for await (
        const batch of client.serverStream(
          "collect",
          CollectRequest.fromPartial({ source: { $case: "plan", value: BIG }, batchSize: 100_000 }),
        )
      ) {
        assert.ok(batch.arrowIpc.length <= MAX_MESSAGE_BYTES);
        rows += Number(batch.rows);
      }
      assert.equal(rows, ROWS);
    } finally {
      client.close();
    }
  },
});

Deno.test({
  name: "a plan with more result columns than POLAROID_MAX_RESULT_COLUMNS is refused",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: compute });
    const three = await client.fromRecords([{ a: 1, b: 2, c: 3 }, { a: 5, b: 6, c: 7 }]);
    const wide = three.lazy().withColumns(col("a").add(3).alias("d"));
    await assert.rejects(wide.collect(), (e: unknown) => {
      assert.ok(e instanceof LimitExceededError, String(e));
      assert.match(e.message, /at most 3 columns: current value is 4/);
      return true;
    });
    const narrow = await wide.select("a", "d").collect();
    assert.deepEqual(await narrow.toRecords(), [{ a: 1, d: 4 }, { a: 5, d: 8 }]);
    // An upload is held as a frame too: a wider one is refused before the engine reads it.
    await assert.rejects(
      client.fromRecords([{ a: 1, b: 2, c: 3, d: 4 }]),
      (e: unknown) => {
        assert.ok(e instanceof InvalidArrowError, String(e));
        assert.match(e.message, /at most 3 top-level fields \(POLAROID_MAX_RESULT_COLUMNS\)/);
        return true;
      },
    );
  },
});

// 5M rows (k: 100 values, g: 2 values, on: all distinct) and 2M ticks under the data root:
// large inputs for pivots and statistical tests.
const WIDE_ROWS = 5_000_000;
pl.DataFrame({
  k: pl.Series("k", Int32Array.from({ length: WIDE_ROWS }, (_, i) => i % 100)),
  g: pl.Series("g", Int32Array.from({ length: WIDE_ROWS }, (_, i) => i % 2)),
  on: pl.Series("on", Int32Array.from({ length: WIDE_ROWS }, (_, i) => i)),
  v1: pl.Series("v1", Float64Array.from({ length: WIDE_ROWS }, (_, i) => i * 0.5)),
  v2: pl.Series("v2", Float64Array.from({ length: WIDE_ROWS }, (_, i) => i * 0.25)),
}).writeParquet(`${cluster.dataRoot}/wide.parquet`);
let tick = 0;
pl.DataFrame({
  v: pl.Series(
    "v",
    Float64Array.from(
      { length: 2_000_000 },
      (_, i) => tick = 0.9 * tick + Math.sin(i * 1.3) + (i * 7919 % 101) / 50,
    ),
  ),
}).writeParquet(`${cluster.dataRoot}/ticks.parquet`);

/** One health check of the worker, on gRPC and on /healthz. */
function healthCheck(health: RpcClient<typeof HealthService>): () => Promise<void> {
  return async () => {
    await health.unary("check", { service: "" });
    await (await fetch(`${computeHttp}/healthz`)).body?.cancel();
  };
}

const MIB = 2 ** 20;

Deno.test({
  name: "plans that would allocate without bound are refused before the worker allocates",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: compute, timeoutMs: 120_000 });
    const health = new RpcClient(compute, HealthService, { timeoutMs: 30_000 });
    const one = (await client.fromRecords([{ a: 1 }])).lazy();
    // 50k rows on each side, every key equal: 2.5e9 pairs.
    const keyed = () =>
      new Table({ k: makeVector(new Int32Array(50_000)), v: makeVector(new Float64Array(50_000)) });
    const [left, right] = [await client.fromArrow(keyed()), await client.fromArrow(keyed())];
    const frames = new RpcClient(compute, DataFrameServiceService, {
      timeoutMs: 120_000,
      maxMessageBytes: 64 * MIB,
    });
    const collectRows = async (plan: ExecuteRequest["plan"]) => {
      const request = CollectRequest.fromPartial({ source: { $case: "plan", value: plan! } });
      return (await Array.fromAsync(frames.serverStream("collect", request))).length;
    };
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      [
        "1 MB literal over 100k rows, then Collect",
        () =>
          collectRows(
            client.scanParquet("big.parquet").head(100_000).withColumns(
              lit("x".repeat(1_000_000)).alias("s"),
            ).plan,
          ),
        /current value is up to 100000000000 \(up to 1000000 bytes per value over 100000 rows\)/,
      ],
      [
        "select(intRange) under a cross join",
        () =>
          one.select(intRange(0, 10_000_000)).join(one.select(intRange(0, 10_000_000).alias("b")), {
            how: "cross",
          }).collect(),
        /Cannot cross join 10000000 × 10000000 rows/,
      ],
      [
        "concatList fan-out from 1 row",
        () =>
          one.select(concatList(Array.from({ length: 10 }, () => intRanges(0, 10_000_000))))
            .collect(),
        /\(POLAROID_MAX_GENERATED_VALUES\): current value is up to 100000000$/,
      ],
      [
        "many-to-many join on repeated keys",
        () => left.lazy().join(right.lazy(), { on: "k" }).collect(),
        /\(POLAROID_MAX_JOIN_ROWS\): current value is 2500000000 /,
      ],
      [
        "pivot of 5M rows into 5M columns",
        () => client.scanParquet("wide.parquet").pivot("v1", { index: "k", on: "on" }).collect(),
        /at most 10000 columns: current value is 5000001$/,
      ],
      [
        "statistical test over 2M rows",
        () => client.scanParquet("ticks.parquet").hurst("v").collect(),
        /\(POLAROID_MAX_STAT_TEST_ROWS\): current value is 2000000$/,
      ],
    ];
    try {
      for (const [name, call, message] of cases) {
        const m = await measure(cluster.pids().compute!, healthCheck(health), call);
        console.log(figures(name, m));
        assert.ok(!m.result.ok, `${name}: refused`);
        const error = m.result.error;
        assert.ok(error instanceof LimitExceededError, `${name}: ${error}`);
        assert.match(error.message, message);
        assert.ok(
          m.rssMax - m.rssBefore < 256 * MIB,
          `${name}: RSS grew by ${(m.rssMax - m.rssBefore) / MIB} MiB`,
        );
        assert.ok(m.healthMaxMs < 2000, `${name}: health answered within ${m.healthMaxMs} ms`);
      }
      const checks = cluster.logs("compute").split("\n").filter((l) => l.includes('"joinCheckMs"'));
      console.log(
        `join check (key counts of both sides, 50k × 50k rows): ${
          JSON.parse(checks.at(-1)!).joinCheckMs
        } ms`,
      );
    } finally {
      frames.close();
      health.close();
    }
  },
});

Deno.test({
  name: "a pivot and a statistical test over large inputs leave the worker answering health checks",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: compute, timeoutMs: 300_000 });
    const health = new RpcClient(compute, HealthService, { timeoutMs: 30_000 });
    try {
      // 5M rows into 100 rows × 3 columns; then Hurst over 300k ticks (seconds of CPU).
      const pivot = await measure(cluster.pids().compute!, healthCheck(health), async () => {
        const df = await client.scanParquet("wide.parquet").pivot("v1", { index: "k", on: "g" })
          .collect();
        return [df.height, df.width];
      });
      console.log(figures("pivot of 5M rows", pivot));
      assert.deepEqual(pivot.result.ok && pivot.result.value, [100, 3]);
      const test = await measure(cluster.pids().compute!, healthCheck(health), async () => {
        const df = await client.scanParquet("ticks.parquet").head(300_000).hurst("v").collect();
        return df.height;
      });
      console.log(figures("hurst over 300k rows", test));
      assert.deepEqual(test.result.ok && test.result.value, 1);
      for (const m of [pivot, test]) {
        assert.ok(m.healthMaxMs < 1000, `health answered within ${m.healthMaxMs} ms`);
      }
    } finally {
      health.close();
    }
  },
});

Deno.test({
  name: "a worker sent SIGTERM finishes its Collect stream, takes no new call, exits 0",
  ...INTEGRATION,
  async fn() {
    const client = frames();
    const batchSize = 10_000;
    const stream = client.serverStream(
      "collect",
      CollectRequest.fromPartial({ source: { $case: "plan", value: BIG }, batchSize }),
    );
    let rows = 0;
    let batches = 0;
    let afterSignal = 0;
    let exited: Promise<Deno.CommandStatus> | undefined;
    let signalledAt = 0;
    for await (const batch of stream) {
      rows += Number(batch.rows);
      batches++;
      if (exited) afterSignal++;
      if (batches === 2) {
        signalledAt = performance.now();
        exited = cluster.kill("compute", "SIGTERM");
        // Draining: /healthz says 503 (NOT_SERVING).
        const deadline = Date.now() + 5000;
        while ((await fetch(`${computeHttp}/healthz`)).status !== 503) {
          assert.ok(Date.now() < deadline, "/healthz did not turn 503 within 5 s");
          await new Promise((r) => setTimeout(r, 20));
        }
        // The open connection got a GOAWAY: a new call is not taken on it (the client's
        // shield refuses it, grpc-js retries it on a new connection)...
        await assert.rejects(
          client.unary("execute", ExecuteRequest.fromPartial({ plan: BIG })),
          UnavailableError,
        );
        // ...and a new connection is not accepted.
        const fresh = frames({ maxMessageBytes: 3 * 1024 * 1024 });
        await assert.rejects(
          fresh.unary("execute", ExecuteRequest.fromPartial({ plan: BIG })),
          UnavailableError,
        );
        fresh.close();
      }
      // A slow reader: the stream lasts well past the signal.
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(rows, ROWS, "every row arrived");
    assert.equal(batches, ROWS / batchSize);
    assert.ok(afterSignal > 10, `the stream went on after SIGTERM (${afterSignal} batches)`);
    const status = await exited!;
    const drainMs = performance.now() - signalledAt;
    assert.equal(status.code, 0, "the worker exits 0");
    assert.equal(status.signal, null);
    assert.ok(drainMs < 10_000, `it stopped within the 10 s grace period (${drainMs} ms)`);
    assert.match(cluster.logs("compute"), /"msg":"stopped"/);
    client.close();
  },
});
