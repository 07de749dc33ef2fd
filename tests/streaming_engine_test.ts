/**
 * Plans on Polars' streaming engine through a live cluster: the same results as nodejs-polars'
 * in-memory engine, and the switch to it past POLAROID_MEMORY_LIMIT.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { type RecordBatch, Table } from "apache-arrow";
import { col, connect, DataType, QueryError } from "../sdk/mod.ts";
import { assertSameTable, frameToTable, INTEGRATION, testCluster } from "./_harness.ts";

/** Plans reading more than this switch to the streaming engine by themselves. */
const MEMORY_LIMIT = 256 * 1024;

const cluster = await testCluster({ env: { POLAROID_MEMORY_LIMIT: "256K" } });
const endpoint = cluster.endpoints.compute;

async function metric(name: string, labels = ""): Promise<number> {
  const text = await (await fetch(`${cluster.endpoints.computeHttp}/metrics`)).text();
  const line = text.split("\n").find((l) =>
    (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && l.includes(labels)
  );
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

/** The compute worker's Execute log line for a result handle, once it is written. */
async function executeLine(handle: string): Promise<Record<string, unknown> | undefined> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const line = cluster.logs("compute").split("\n")
      .filter((l) => l.startsWith("{") && l.includes('/Execute"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === "rpc" && l.handle === handle);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

/** Writes 4 Parquet files of 50k rows (k: 7 keys, q: Int64 past 2^53, v: Float64). */
async function writeDataset(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (let f = 0; f < 4; f++) {
    const n = 50_000;
    const q = new BigInt64Array(n);
    for (let i = 0; i < n; i++) q[i] = 9_007_199_254_740_993n + BigInt(f * n + i);
    pl.DataFrame([
      pl.Series("k", Array.from({ length: n }, (_, i) => `k${(i * 31 + f) % 7}`)),
      pl.Series("q", q as unknown as number[]),
      pl.Series("v", Array.from({ length: n }, (_, i) => ((i + f) % 1000) / 8)),
    ]).writeParquet(`${dir}/part-${f}.parquet`, { compression: "snappy" });
  }
}

Deno.test({
  name: "plans on the streaming engine give nodejs-polars' in-memory results",
  ...INTEGRATION,
  async fn() {
    await writeDataset(`${cluster.dataRoot}/ds`);
    await using client = await connect({ endpoint });
    await using dim = await client.fromRecords([
      { k: "k0", w: 1n },
      { k: "k3", w: 30n },
      { k: "k6", w: 60n },
    ]);
    const localDim = pl.DataFrame({ k: ["k0", "k3", "k6"], w: [1, 30, 60] })
      .withColumns(pl.col("w").cast(pl.Int64));
    const before = await metric("polaroid_compute_streaming_runs_total", 'reason="requested"');
    const local = pl.scanParquet(`${cluster.dataRoot}/ds/*.parquet`);
    const remote = client.scanParquet("ds/*.parquet");
    const cases = [
      {
        remote: remote.groupBy("k").agg(
          col("q").sum().alias("q"),
          col("v").mean().alias("v"),
          col("v").count().alias("n"),
        ).sort("k"),
        local: local.groupBy("k").agg(
          pl.col("q").sum().alias("q"),
          pl.col("v").mean().alias("v"),
          pl.col("v").count().alias("n"),
        ).sort("k"),
      },
      {
        remote: remote.filter(col("v").gt(100)).select("q", col("v").mul(2).alias("v2"))
          .sort("q"),
        local: local.filter(pl.col("v").gt(100)).select("q", pl.col("v").mul(2).alias("v2"))
          .sort("q"),
      },
      {
        remote: remote.join(dim.lazy(), { on: "k" }).groupBy("k").agg(col("w").sum().alias("w"))
          .sort("k"),
        local: local.join(localDim.lazy(), { on: "k" }).groupBy("k")
          .agg(pl.col("w").sum().alias("w")).sort("k"),
      },
    ];
    for (const c of cases) {
      const expected = frameToTable(c.local.collectSync());
      await using stored = await c.remote.collect({ streaming: true });
      const line = await executeLine(stored.id);
      assert.equal(line?.engine, "streaming");
      assert.equal(line?.spilled, true);
      assert.equal(line?.streamingReason, "requested");
      assertSameTable(await stored.toArrow(), expected);
      const batches: RecordBatch[] = [];
      for await (const b of c.remote.stream({ streaming: true, batchSize: 5000 })) batches.push(b);
      assertSameTable(new Table(batches), expected);
    }
    assert.equal(
      await metric("polaroid_compute_streaming_runs_total", 'reason="requested"'),
      before + 6,
    );
  },
});

Deno.test({
  name: "a plan reading more than POLAROID_MEMORY_LIMIT switches to the streaming engine",
  ...INTEGRATION,
  async fn() {
    await writeDataset(`${cluster.dataRoot}/limit`);
    await using client = await connect({ endpoint });
    const before = await metric("polaroid_compute_streaming_runs_total", 'reason="memory_limit"');
    await using big = await client.scanParquet("limit/*.parquet")
      .groupBy("k").agg(col("q").count().alias("n")).sort("k").collect();
    const line = await executeLine(big.id);
    assert.equal(line?.engine, "streaming", JSON.stringify(line));
    assert.equal(line?.streamingReason, "memory_limit");
    assert.ok(Number(line?.estimatedInputBytes) > MEMORY_LIMIT, JSON.stringify(line));
    assertSameTable(
      await big.toArrow(),
      frameToTable(
        pl.scanParquet(`${cluster.dataRoot}/limit/*.parquet`)
          .groupBy("k").agg(pl.col("q").count().alias("n")).sort("k").collectSync(),
      ),
    );
    assert.equal(
      await metric("polaroid_compute_streaming_runs_total", 'reason="memory_limit"'),
      before + 1,
    );

    await using small = await client.fromRecords([{ a: 1n }, { a: 2n }]);
    await using doubled = await small.lazy().select(col("a").mul(2n)).collect();
    const smallLine = await executeLine(doubled.id);
    assert.equal(smallLine?.spilled, undefined, "a small input is not spilled");
    assert.equal(smallLine?.engine, "streaming", "the worker's default engine");
    assert.ok(Number(smallLine?.estimatedInputBytes) < MEMORY_LIMIT);
    assert.deepEqual((await doubled.toRecords()).map((r) => r.a), [2n, 4n]);
  },
});

Deno.test({
  name: "plans run on the streaming engine by default and on the in-memory one when asked, alike",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    const rows = Array.from({ length: 5000 }, (_, i) => ({ k: `k${i % 13}`, v: i / 4 }));
    await using df = await client.fromRecords(rows);
    const lf = df.lazy().groupBy("k").agg(col("v").sum().alias("s"), col("v").max().alias("m"))
      .sort("k");
    await using streamed = await lf.collect({ cache: false });
    await using inMemory = await lf.collect({ cache: false, engine: "in-memory" });
    assert.equal((await executeLine(streamed.id))?.engine, "streaming");
    assert.equal((await executeLine(inMemory.id))?.engine, "in-memory");
    const expected = frameToTable(
      pl.DataFrame(rows).lazy().groupBy("k")
        .agg(pl.col("v").sum().alias("s"), pl.col("v").max().alias("m")).sort("k").collectSync(),
    );
    assertSameTable(await streamed.toArrow(), expected);
    assertSameTable(await inMemory.toArrow(), expected);
    assertSameTable(await lf.toArrow({ engine: "streaming" }), expected);
    assertSameTable(await lf.toArrow({ engine: "in-memory" }), expected);
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      lf.collect({ engine: "gpu" as any }),
      /'engine' must be "auto", "streaming" or "in-memory"/,
    );
    await assert.rejects(
      lf.collect({ streaming: true, engine: "in-memory" }),
      /'streaming' .* and 'engine' ENGINE_IN_MEMORY exclude each other/,
    );
  },
});

Deno.test({
  name: "a plan the default streaming engine fails runs again in memory; one asked to stream fails",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    await using df = await client.fromRecords([{ g: "a" }, { g: "b" }, { g: "a" }]);
    // Comparing a Categorical's codes fails on nodejs-polars 0.25.2's streaming engine
    // ("cannot compare categorical with u32") and runs in memory.
    const codes = col("g").cast(DataType.Categorical).toPhysical();
    const lf = df.lazy().select(codes.eq(codes.shift(1)).alias("same"));
    const before = await metric("polaroid_compute_engine_fallbacks_total");
    await using ran = await lf.collect({ cache: false });
    const line = await executeLine(ran.id);
    assert.equal(line?.engine, "in-memory", JSON.stringify(line));
    assert.match(String(line?.engineFallback), /cannot compare categorical/);
    assert.deepEqual((await ran.toRecords()).map((r) => r.same), [null, false, false]);
    assert.equal(await metric("polaroid_compute_engine_fallbacks_total"), before + 1);
    await assert.rejects(
      lf.collect({ cache: false, engine: "streaming" }),
      (e: Error) => e instanceof QueryError && /cannot compare categorical/.test(e.message),
    );
    assert.equal(await metric("polaroid_compute_engine_fallbacks_total"), before + 1);
  },
});
