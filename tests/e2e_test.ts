/**
 * End to end through real processes: the SDK talks gRPC to a compute worker, which
 * resolves and registers handles through the handles service and learns of freed handles
 * over a real nats-server.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { col, connect, HandleNotFoundError, lit, when } from "../sdk/mod.ts";
import { syntheticTrades } from "../scripts/demo.ts";
import { runDemo } from "../scripts/demo.ts";
import { quickstart } from "../examples/quickstart.ts";
import {
  assertSameTable,
  frameToTable,
  INTEGRATION,
  tableToFrame,
  testCluster,
} from "./_harness.ts";

const cluster = await testCluster();
const endpoint = cluster.endpoints.compute;

Deno.test({
  name: "a 1M-row upload → filter → group_by → agg → sort gives exactly nodejs-polars' rows",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    const trades = syntheticTrades(1_000_000, 11);
    await using remote = await client.fromArrow(trades);
    assert.equal(remote.height, 1_000_000);
    const remoteResult = await remote.lazy()
      .filter(col("qty").gtEq(100n).and(col("side").eq("buy")))
      .groupBy("symbol")
      .agg(
        col("qty").sum().alias("volume"),
        col("price").mean().alias("avg_price"),
        col("price").std().alias("std_price"),
        col("qty").count().alias("trades"),
      )
      .sort("volume", true)
      .toArrow();
    const local = tableToFrame(trades).lazy()
      .filter(pl.col("qty").gtEq(pl.lit(100).cast(pl.Int64)).and(pl.col("side").eq(pl.lit("buy"))))
      .groupBy("symbol")
      .agg(
        pl.col("qty").sum().alias("volume"),
        pl.col("price").mean().alias("avg_price"),
        pl.col("price").std().alias("std_price"),
        pl.col("qty").count().alias("trades"),
      )
      .sort("volume", true)
      .collectSync();
    assert.equal(remoteResult.numRows, 8);
    assertSameTable(remoteResult, frameToTable(local));
  },
});

Deno.test({
  name: "collect() keeps a result as a handle that later queries and other clients read",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    await using base = await client.fromRecords([
      { k: "a", v: 1n },
      { k: "b", v: 2n },
      { k: "a", v: 9_007_199_254_740_993n },
    ]);
    await using derived = await base.lazy()
      .withColumns(
        when(col("k").eq("a")).then(col("v").mul(lit(2n))).otherwise(col("v")).alias("w"),
      )
      .collect();
    assert.equal(derived.height, 3);
    assert.deepEqual(derived.columns, ["k", "v", "w"]);
    await using other = await connect({ endpoint });
    const reopened = await other.handle(derived.id);
    const rows = await reopened.lazy().sort("v").toRecords();
    assert.deepEqual(rows.map((r) => r.w), [2n, 2n, 18_014_398_509_481_986n]);
  },
});

Deno.test({
  name:
    "release() frees the handle: later use is HandleNotFoundError and the worker drops the frame",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    const df = await client.fromRecords([{ x: 1.5 }, { x: 2.5 }]);
    const id = df.id;
    await df.release();
    await df.release(); // twice is harmless
    await assert.rejects(client.handle(id), HandleNotFoundError);
    await assert.rejects(
      (await connect({ endpoint })).handle(id),
      HandleNotFoundError,
    );
  },
});

Deno.test({
  name: "the demo job prints a table of eight symbols from the live cluster",
  ...INTEGRATION,
  async fn() {
    const lines: string[] = [];
    const table = await runDemo(endpoint, { rows: 50_000, print: (l) => lines.push(l) });
    assert.equal(table.numRows, 8);
    assert.deepEqual(table.schema.fields.map((f) => f.name), [
      "symbol",
      "volume",
      "avg_price",
      "high",
      "trades",
    ]);
    assert.ok(lines.some((l) => l.includes("shape: (8, 5)")), lines.join("\n"));
  },
});

Deno.test({
  name: "the README's quick-start example returns volume and average price per symbol",
  ...INTEGRATION,
  async fn() {
    const table = await quickstart(endpoint);
    assert.deepEqual(table.toArray().map((r) => r.toJSON()), [
      { symbol: "AAPL", volume: 400n, avg_price: 189.8 },
      { symbol: "MSFT", volume: 250n, avg_price: 411.2 },
    ]);
  },
});

Deno.test({
  name:
    "a Parquet scan under the data root runs remotely with the filter and projection pushed into it",
  ...INTEGRATION,
  async fn() {
    const local = tableToFrame(syntheticTrades(10_000, 5));
    local.writeParquet(`${cluster.dataRoot}/trades.parquet`, { compression: "snappy" });
    await using client = await connect({ endpoint });
    const lf = client.scanParquet("trades.parquet")
      .filter(col("qty").gt(400n))
      .select(col("symbol"), col("qty"));
    const plan = await lf.describeOptimizedPlan();
    assert.match(plan, /PARQUET SCAN|Parquet SCAN/i);
    assert.match(plan, /SELECTION/, plan);
    assert.match(plan, /PROJECT 2\/4 COLUMNS/, plan);
    assert.ok(!plan.includes(cluster.dataRoot), "the plan does not reveal server paths");
    assert.deepEqual(await lf.columns(), ["symbol", "qty"]);
    assert.equal(String((await lf.schema()).qty), "Int64");
    const expected = local.lazy()
      .filter(pl.col("qty").gt(pl.lit(400).cast(pl.Int64)))
      .select(pl.col("symbol"), pl.col("qty"))
      .collectSync();
    assertSameTable(await lf.toArrow(), frameToTable(expected));
  },
});

Deno.test({
  name: "stream() yields record batches of the asked size that add up to the result",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    await using df = await client.fromArrow(syntheticTrades(25_000, 9));
    const sizes: number[] = [];
    let volume = 0n;
    for await (const batch of df.lazy().select(col("qty")).stream({ batchSize: 10_000 })) {
      sizes.push(batch.numRows);
      for (const v of batch.getChild("qty")!) volume += v as bigint;
    }
    assert.deepEqual(sizes, [10_000, 10_000, 5_000]);
    const [total] = await df.lazy().select(col("qty").sum().alias("v")).toRecords();
    assert.equal(volume, total!.v);
  },
});
