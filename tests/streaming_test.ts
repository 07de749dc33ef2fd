/**
 * Streaming results through a live cluster: bounded client and worker memory, cancellation
 * that stops the worker and frees the result, resuming a handle's stream from a batch (by
 * hand, and by itself through a connection cut for real by a TCP proxy).
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { makeVector, type RecordBatch, Table } from "apache-arrow";
import {
  CancelledError,
  col,
  connect,
  InvalidArgumentError,
  type RemoteDataFrame,
} from "../sdk/mod.ts";
import { isBrokenStream } from "../sdk/transport/resume.ts";
import { DataFrameServiceService } from "../shared/gen/polaroid/v1/dataframe.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { assertSameTable, frameToTable, INTEGRATION, testCluster } from "./_harness.ts";
import { startCutProxy } from "./streaming_proxy.ts";

const spillDir = await Deno.makeTempDir({ prefix: "polaroid-spill-" });
const cluster = await testCluster({ env: { POLAROID_SPILL_DIR: spillDir } });
const endpoint = cluster.endpoints.compute;
const gc = (globalThis as { gc?: () => void }).gc;

async function metric(name: string, labels = ""): Promise<number> {
  const text = await (await fetch(`${cluster.endpoints.computeHttp}/metrics`)).text();
  const line = text.split("\n").find((l) =>
    (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && l.includes(labels)
  );
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

/** The compute worker's rpc log lines of one method, parsed. */
function rpcLines(method: string): Record<string, unknown>[] {
  return cluster.logs("compute").split("\n")
    .filter((l) => l.startsWith("{") && l.includes(`/${method}"`))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === "rpc");
}

async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 0));
  }
}

function clientBytes(): number {
  const m = Deno.memoryUsage();
  return m.heapUsed + m.external;
}

/** Uploads x: Float64 = i and k: Int64 = 3i + 2^53 (exact only as Int64) for i < rows. */
async function uploadSequence(
  client: Awaited<ReturnType<typeof connect>>,
  rows: number,
): Promise<RemoteDataFrame> {
  const x = new Float64Array(rows);
  const k = new BigInt64Array(rows);
  for (let i = 0; i < rows; i++) {
    x[i] = i;
    k[i] = BigInt(i) * 3n + 9_007_199_254_740_992n;
  }
  return await client.fromArrow(new Table({ x: makeVector(x), k: makeVector(k) }));
}

/** Checks that batches hold the sequence of uploadSequence() in order, and counts rows. */
function checkSequence(batches: Iterable<RecordBatch>, from = 0): number {
  let next = from;
  for (const batch of batches) {
    const x = batch.getChild("x")!.toArray() as Float64Array;
    const k = batch.getChild("k")!.toArray() as BigInt64Array;
    for (let r = 0; r < batch.numRows; r++, next++) {
      if (x[r] !== next || k[r] !== BigInt(next) * 3n + 9_007_199_254_740_992n) {
        assert.fail(`row ${next}: x=${x[r]} k=${k[r]}`);
      }
    }
  }
  return next - from;
}

Deno.test({
  name: "a 5M-row handle streams in 10k-row batches with client and worker memory bounded",
  ...INTEGRATION,
  async fn() {
    assert.ok(gc, "run with --v8-flags=--expose-gc");
    await using client = await connect({ endpoint, timeoutMs: 300_000 });
    const rows = 5_000_000;
    await using df = await uploadSequence(client, rows);
    // A first stream warms the worker's allocator (its arenas keep what they once held, so
    // RSS after one pass depends on what ran before): the bound is checked on the second.
    for await (const _ of df.stream({ batchSize: 10_000 })) {
      // read it all
    }
    await settle();
    const baseline = clientBytes();
    const serverBase = await metric("polaroid_process_resident_memory_bytes");
    let serverPeak = serverBase;
    let peak = 0;
    let seen = 0;
    let batches = 0;
    for await (const batch of df.stream({ batchSize: 10_000 })) {
      seen += checkSequence([batch], seen);
      if (++batches % 25 === 0) {
        await settle();
        peak = Math.max(peak, clientBytes() - baseline);
        serverPeak = Math.max(serverPeak, await metric("polaroid_process_resident_memory_bytes"));
      }
    }
    assert.equal(seen, rows);
    assert.equal(batches, 500);
    const tableBytes = rows * 16;
    // In flight: the messages gRPC buffers (about 16 per side), not the table.
    assert.ok(
      peak < tableBytes / 8,
      `client memory grew by ${peak} bytes while streaming a ${tableBytes}-byte table`,
    );
    assert.ok(
      serverPeak - serverBase < tableBytes / 4,
      `worker RSS grew by ${
        serverPeak - serverBase
      } bytes while streaming a ${tableBytes}-byte table`,
    );
  },
});

Deno.test({
  name: "cancelling a plan's stream after the first batch stops the worker and frees the result",
  ...INTEGRATION,
  async fn() {
    const rows = 20_000_000;
    const file = `${cluster.dataRoot}/big.parquet`;
    await using _removed = { [Symbol.asyncDispose]: () => Deno.remove(file).catch(() => {}) };
    {
      const a = new BigInt64Array(rows);
      const b = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        a[i] = BigInt(i);
        b[i] = i * 0.5;
      }
      pl.DataFrame([pl.Series("a", a as unknown as number[]), pl.Series("b", b)])
        .writeParquet(file, { compression: "snappy" });
    }
    await settle();
    const resultBytes = rows * 16;
    await using client = await connect({ endpoint, timeoutMs: 300_000 });
    const before = {
      batches: await metric("polaroid_compute_collect_batches_total"),
      cancelled: await metric(
        "polaroid_compute_collect_streams_ended_total",
        'outcome="cancelled"',
      ),
      rss: await metric("polaroid_process_resident_memory_bytes"),
    };
    const controller = new AbortController();
    let received = 0;
    let held = 0;
    await assert.rejects(async () => {
      const stream = client.scanParquet("big.parquet").stream({
        batchSize: 10_000,
        signal: controller.signal,
      });
      for await (const batch of stream) {
        received += batch.numRows;
        held = await metric("polaroid_process_resident_memory_bytes");
        assert.equal(await metric("polaroid_compute_collect_streams"), 1);
        assert.equal(await metric("polaroid_compute_collect_held_bytes"), resultBytes);
        controller.abort();
      }
    }, CancelledError);
    assert.equal(received, 10_000);
    assert.ok(held - before.rss > resultBytes * 0.8, `RSS ${before.rss} → ${held}`);

    const line = await waitFor(() =>
      rpcLines("Collect").find((l) => l.code === "CANCELLED" && l.rows === rows)
    );
    assert.ok(line, "the worker logged the cancelled Collect");
    assert.equal(line.stream, "cancelled");
    const sent = Number(line.batches);
    assert.ok(sent >= 1 && sent < 100, `the worker sent ${sent} of 2000 batches`);
    await new Promise((r) => setTimeout(r, 500));
    const batches = await metric("polaroid_compute_collect_batches_total");
    assert.equal(batches - before.batches, sent, "no batch was made after the cancel");
    assert.equal(
      await metric("polaroid_compute_collect_streams_ended_total", 'outcome="cancelled"'),
      before.cancelled + 1,
    );
    assert.equal(await metric("polaroid_compute_collect_streams"), 0);
    assert.equal(await metric("polaroid_compute_collect_held_bytes"), 0);
    const freed = await waitFor(async () => {
      const rss = await metric("polaroid_process_resident_memory_bytes");
      return held - rss > resultBytes * 0.7 ? rss : undefined;
    });
    assert.ok(freed !== undefined, `less than 70% of ${resultBytes} bytes came back to the OS`);
  },
});

Deno.test({
  name:
    "a streaming run keeps its result in a spill file: nothing held in memory, the file gone after",
  ...INTEGRATION,
  async fn() {
    const rows = 2_000_000;
    const file = `${cluster.dataRoot}/spilled.parquet`;
    await using _removed = { [Symbol.asyncDispose]: () => Deno.remove(file).catch(() => {}) };
    const local = pl.DataFrame([
      pl.Series("a", BigInt64Array.from({ length: rows }, (_, i) => BigInt(i))),
      pl.Series("b", Float64Array.from({ length: rows }, (_, i) => i * 0.25)),
    ]);
    local.writeParquet(file, { compression: "snappy" });
    await using client = await connect({ endpoint, timeoutMs: 300_000 });
    const spillFiles = async () => {
      const names: string[] = [];
      // Each worker spills into a directory of its own under POLAROID_SPILL_DIR.
      for await (const worker of Deno.readDir(spillDir)) {
        if (!worker.isDirectory) continue;
        for await (const entry of Deno.readDir(`${spillDir}/${worker.name}`)) {
          names.push(entry.name);
        }
      }
      return names;
    };

    // A stream of a plan: batches are read from the spill file, which goes with the stream.
    const controller = new AbortController();
    let received = 0;
    await assert.rejects(async () => {
      const stream = client.scanParquet("spilled.parquet").filter(col("a").gtEq(10n)).stream({
        batchSize: 50_000,
        signal: controller.signal,
        streaming: true,
      });
      for await (const batch of stream) {
        received += batch.numRows;
        assert.equal(await metric("polaroid_compute_collect_held_bytes"), 0);
        assert.equal((await spillFiles()).length, 1);
        if (received >= 100_000) controller.abort();
      }
    }, CancelledError);
    assert.ok(await waitFor(async () => (await spillFiles()).length === 0 || undefined));

    // A handle: the result stays spilled, reads equal in-process, release removes the file.
    const bytesBefore = await metric("polaroid_compute_frame_bytes");
    const kept = await client.scanParquet("spilled.parquet")
      .filter(col("a").gtEq(10n))
      .collect({ streaming: true, cache: false });
    assert.equal(kept.height, rows - 10);
    assert.equal(await metric("polaroid_compute_frame_bytes"), bytesBefore, "held outside memory");
    assert.equal((await spillFiles()).length, 1);
    const expected = local.lazy().filter(pl.col("a").gtEq(pl.lit(10).cast(pl.Int64)));
    assertSameTable(
      await kept.lazy().slice(1_000_000, 5).toArrow(),
      frameToTable(expected.slice(1_000_000, 5).collectSync()),
    );
    assertSameTable(
      await kept.lazy().groupBy(col("a").modulo(3n).alias("m")).agg(col("b").sum()).sort("m")
        .toArrow(),
      frameToTable(
        expected.groupBy(pl.col("a").modulo(pl.lit(3).cast(pl.Int64)).alias("m")).agg(
          pl.col("b").sum(),
        ).sort("m")
          .collectSync(),
      ),
    );
    let streamed = 0;
    for await (const batch of kept.stream({ batchSize: 400_000, startBatch: 4 })) {
      streamed += batch.numRows;
    }
    assert.equal(streamed, rows - 10 - 4 * 400_000);
    await kept.release();
    assert.ok(await waitFor(async () => (await spillFiles()).length === 0 || undefined));
  },
});

Deno.test({
  name: "a stream stopped after 4 batches goes on from startBatch: 4 to the same table",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    const n = 100_000;
    const local = pl.DataFrame([
      pl.Series(
        "i",
        BigInt64Array.from(
          { length: n },
          (_, i) => 9_007_199_254_740_993n + BigInt(i),
        ) as unknown as number[],
      ),
      pl.Series("s", Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `s${i}`))),
      pl.Series("f", Array.from({ length: n }, (_, i) => i / 7)),
    ]);
    const expected = frameToTable(local);
    await using df = await client.fromArrow(expected);
    const first: RecordBatch[] = [];
    const controller = new AbortController();
    for await (const batch of df.stream({ batchSize: 7000, signal: controller.signal })) {
      first.push(batch);
      if (first.length === 4) {
        controller.abort();
        break;
      }
    }
    const rest: RecordBatch[] = [];
    for await (const batch of df.stream({ batchSize: 7000, startBatch: 4 })) rest.push(batch);
    assert.deepEqual(first.map((b) => b.numRows), [7000, 7000, 7000, 7000]);
    assert.equal(rest.length, 11);
    assertSameTable(new Table([...first, ...rest]), expected);
    assert.equal(rpcLines("Collect").at(-1)?.startBatch, 4);

    const end = await df.toArrow({ batchSize: 7000, startBatch: 15 });
    assert.equal(end.numRows, 0);
    await assert.rejects(
      df.toArrow({ batchSize: 7000, startBatch: 16 }),
      (e: unknown) =>
        e instanceof InvalidArgumentError && /'start_batch' must be at most 15/.test(e.message),
    );
    await assert.rejects(df.lazy().stream({ startBatch: 1 }).next(), TypeError);
    const rpc = new RpcClient(endpoint, DataFrameServiceService);
    try {
      const plan = df.lazy().plan;
      await assert.rejects(
        (async () => {
          for await (
            const _ of rpc.serverStream("collect", {
              source: { $case: "plan", value: plan },
              batchSize: 10,
              startBatch: 1n,
              streaming: false,
              engine: 0,
              bulk: false,
            })
          ) { /* nothing arrives */ }
        })(),
        (e: unknown) => e instanceof InvalidArgumentError && /handles only/.test(e.message),
      );
    } finally {
      rpc.close();
    }
  },
});

Deno.test({
  name: "a handle's stream resumes by itself from the next batch when the connection is cut",
  ...INTEGRATION,
  async fn() {
    await using owner = await connect({ endpoint });
    const rows = 1_000_000;
    await using df = await uploadSequence(owner, rows);
    // The first connection also carries connect's check and handle(): cut it mid-stream.
    await using proxy = startCutProxy({
      upstream: endpoint,
      cutAfterBytes: [3_000_000, 4_000_000],
    });
    const waits: number[] = [];
    await using client = await connect({
      endpoint: proxy.endpoint,
      resume: {
        sleep: (ms) => {
          waits.push(ms);
          return new Promise((r) => setTimeout(r, ms));
        },
      },
    });
    const remote = await client.handle(df.id);
    await remote.retain();
    const logged = rpcLines("Collect").length;
    let seen = 0;
    for await (const batch of remote.stream({ batchSize: 10_000 })) {
      seen += checkSequence([batch], seen);
    }
    await remote.release();
    assert.equal(seen, rows);
    assert.equal(proxy.cuts, 2);
    assert.ok(proxy.connections >= 3, `${proxy.connections} connections`);
    assert.deepEqual(waits, [100, 100]);
    const lines = await waitFor(() => {
      const mine = rpcLines("Collect").slice(logged).filter((l) => l.handle === df.id);
      return mine.length >= 3 ? mine : undefined;
    });
    assert.ok(lines, "three Collect calls were logged");
    // A call's line is written when it ends: order them by where they started.
    lines.sort((a, b) => Number(a.startBatch ?? 0) - Number(b.startBatch ?? 0));
    const starts = lines.map((l) => Number(l.startBatch ?? 0));
    assert.equal(starts[0], 0);
    assert.ok(starts[1]! > 0 && starts[2]! > starts[1]!, `resumed at ${starts.join(", ")}`);
    // The worker saw each cut as a cancelled call, stopped it and let go of its work.
    assert.deepEqual(lines.map((l) => l.stream), ["cancelled", "cancelled", "completed"]);
  },
});

Deno.test({
  name: "a cut stream with resuming off fails as a broken stream",
  ...INTEGRATION,
  async fn() {
    await using owner = await connect({ endpoint });
    await using df = await uploadSequence(owner, 500_000);
    await using proxy = startCutProxy({ upstream: endpoint, cutAfterBytes: [2_000_000] });
    await using client = await connect({ endpoint: proxy.endpoint, resume: { maxRetries: 0 } });
    const remote = await client.handle(df.id);
    await remote.retain();
    let seen = 0;
    await assert.rejects(async () => {
      for await (const batch of remote.stream({ batchSize: 10_000 })) seen += batch.numRows;
    }, (e: unknown) => isBrokenStream(e));
    await remote.release();
    assert.ok(seen > 0 && seen < 500_000, `${seen} rows before the cut`);
  },
});
