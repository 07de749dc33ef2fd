/**
 * Following live tables while they grow: contiguous row positions, resumption after a broken
 * connection (the ingest service restarted), and continuous OHLCV bars that agree with a
 * query over the same rows.
 */

import assert from "node:assert/strict";
import { InvalidArgumentError } from "../shared/errors.ts";
import { col, connect, connectIngest, liveBars } from "../sdk/mod.ts";
import { startTickFeed } from "../examples/ws_feed.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { waitFor } from "../scripts/_wait.ts";

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-follow-state-" });
const cluster = await testCluster({
  env: { POLAROID_STATE_DIR: stateDir, POLAROID_INGEST_MAX_BATCH_DELAY_MS: "20" },
  serviceEnv: {
    ingest: {
      POLAROID_INGEST_ALLOW_HOSTS: "127.0.0.1",
      POLAROID_INGEST_MAX_FOLLOWS_PER_TENANT: "3",
    },
  },
});
const feed = await startTickFeed({ ratePerSecond: 2000 });

Deno.test({
  name: "follow() streams a growing table with contiguous positions and resumes where it broke",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await ingest.addWebSocketSource({
      name: "ticks",
      url: feed.url,
      subscribe: [JSON.stringify({ op: "subscribe", symbols: ["*"] })],
      records: "data[*]",
    });
    const seqs: number[] = [];
    let next = 0;
    const stop = new AbortController();
    let restarted = false;
    for await (const batch of ingest.follow("ticks", { signal: stop.signal, maxBatchRows: 500 })) {
      assert.equal(batch.firstRow, next, "each batch starts where the last ended");
      assert.ok(batch.rows <= 500);
      next = batch.nextRow;
      seqs.push(...Array.from(batch.table.getChild("seq")!.toArray() as BigInt64Array, Number));
      if (!restarted && next >= 1000) {
        // The connection breaks: the follow resumes after the last batch it delivered.
        restarted = true;
        await cluster.restart("ingest");
      }
      if (next >= 4000) stop.abort();
    }
    assert.ok(restarted);
    assert.equal(seqs.length, next);
    // The feed's sequence, in order, each once (the restart lost ticks; it repeated none).
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `at ${i}`);
    // A follow from a position starts exactly there.
    const again = ingest.follow("ticks", { fromRow: 123, maxBatchRows: 10 });
    for await (const batch of again) {
      assert.equal(batch.firstRow, 123);
      assert.deepEqual(
        Array.from(batch.table.getChild("seq")!.toArray() as BigInt64Array, Number),
        seqs.slice(123, 133),
      );
      break;
    }
    // The same through the lazy frame of the table; any other frame is refused.
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    for await (const batch of client.scanLive("ticks").follow(ingest, { maxBatchRows: 5 })) {
      assert.equal(batch.firstRow, 0);
      assert.equal(batch.rows, 5);
      break;
    }
    await assert.rejects(async () => {
      for await (const _ of client.scanLive("ticks").select("seq").follow(ingest)) break;
    }, /must be a scan of a live table/);
    await ingest.removeSource("ticks");
  },
});

Deno.test({
  name: "liveBars() emits each 200 ms bar once its window closes; they match a query of the table",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await ingest.addWebSocketSource({
      name: "bars_src",
      table: "bar_ticks",
      url: feed.url,
      subscribe: [JSON.stringify({ op: "subscribe", symbols: ["AAPL", "MSFT"] })],
      records: "data[*]",
    });
    const stop = new AbortController();
    const bars = liveBars(ingest, "bar_ticks", {
      time: "ts",
      price: "px",
      volume: "qty",
      by: "sym",
      every: "200ms",
      signal: stop.signal,
    });
    const seen = [];
    for await (const bar of bars) {
      assert.ok(bar.end <= bars.watermark, "a bar is emitted only once its window closed");
      assert.ok(
        bar.low <= Math.min(bar.open, bar.close) && bar.high >= Math.max(bar.open, bar.close),
      );
      seen.push(bar);
      if (seen.length >= 8) stop.abort();
    }
    assert.equal(bars.lateTicks, 0, "the feed's ticks come in time order");
    // Bars after the first window (which may have begun before the subscription) agree with
    // the same window queried from the table.
    for (const bar of seen.slice(2)) {
      const [row] = await client.scanLive("bar_ticks")
        .filter(col("sym").eq(bar.key!).and(col("ts").gtEq(bar.start)).and(col("ts").lt(bar.end)))
        .select(
          col("px").count().alias("count"),
          col("px").max().alias("high"),
          col("px").min().alias("low"),
          col("px").first().alias("open"),
          col("px").last().alias("close"),
          col("qty").sum().alias("volume"),
        ).toRecords();
      assert.deepEqual(
        { ...row, volume: Number(row!.volume) },
        {
          count: bar.count,
          high: bar.high,
          low: bar.low,
          open: bar.open,
          close: bar.close,
          volume: bar.volume,
        },
      );
    }
    await ingest.removeSource("bars_src");
  },
});

Deno.test({
  name: "follow() refuses a bad table name; a table with no rows yet waits for them",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await assert.rejects(async () => {
      for await (const _ of ingest.follow("../x")) break;
    }, InvalidArgumentError);
    const stop = AbortSignal.timeout(300);
    let batches = 0;
    for await (const _ of ingest.follow("empty_table", { signal: stop })) batches++;
    assert.equal(batches, 0);
    // A tenant follows at most 3 tables at once here; a fourth is refused while they run.
    const running = new AbortController();
    const three = Array.from({ length: 3 }, async () => {
      for await (const _ of ingest.follow("empty_table", { signal: running.signal })) break;
    });
    await waitFor(async () => {
      try {
        for await (
          const _ of ingest.follow("empty_table", { signal: AbortSignal.timeout(100) })
        ) break;
        return false;
      } catch (error) {
        assert.match(String(error), /POLAROID_INGEST_MAX_FOLLOWS_PER_TENANT/);
        return true;
      }
    }, { timeoutMs: 10_000, what: "a fourth follow refused" });
    running.abort();
    await Promise.all(three);
    // Cancelled follows give their places back: a follow runs again (bounded by its signal).
    await waitFor(async () => {
      try {
        for await (
          const _ of ingest.follow("empty_table", { signal: AbortSignal.timeout(100) })
        ) break;
        return true;
      } catch {
        return false;
      }
    }, { timeoutMs: 10_000, what: "the follows' places back after their cancel" });
  },
});

Deno.test({
  name: "follow cluster stops",
  ...INTEGRATION,
  async fn() {
    await feed.stop();
    await cluster.stop();
    await Deno.remove(stateDir, { recursive: true });
  },
});
