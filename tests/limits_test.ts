/**
 * Request limits of a real compute worker, refused before memory is spent and as
 * RESOURCE_EXHAUSTED (LimitExceededError): concurrent calls (POLAROID_MAX_CONCURRENT_CALLS),
 * message size in both directions (POLAROID_MAX_MESSAGE_BYTES), result columns
 * (POLAROID_MAX_RESULT_COLUMNS). Then its graceful drain: a worker sent SIGTERM during a long
 * Collect stream serves that stream to its end, says NOT_SERVING meanwhile, refuses new calls
 * and exits 0 within the grace period.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { connect } from "../sdk/mod.ts";
import { scanFilePlan, scanHandlePlan } from "../sdk/plan.ts";
import { LimitExceededError, UnavailableError } from "../shared/errors.ts";
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

const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
const cluster = await testCluster({
  serviceEnv: {
    compute: {
      POLAROID_MAX_CONCURRENT_CALLS: "2",
      POLAROID_MAX_MESSAGE_BYTES: "2MiB",
      POLAROID_MAX_RESULT_COLUMNS: "3",
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
    const wide = await client.fromRecords([{ a: 1, b: 2, c: 3, d: 4 }, { a: 5, b: 6, c: 7, d: 8 }]);
    await assert.rejects(wide.lazy().collect(), (e: unknown) => {
      assert.ok(e instanceof LimitExceededError, String(e));
      assert.match(e.message, /at most 3 columns: current value is 4/);
      return true;
    });
    const narrow = await wide.lazy().select("a", "d").collect();
    assert.deepEqual(await narrow.toRecords(), [{ a: 1, d: 4 }, { a: 5, d: 8 }]);
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
