/**
 * Live tables end to end: a NATS feed through the ingest service into segments in the state
 * store, scanned by compute while it grows; the table outlives its source.
 */

import assert from "node:assert/strict";
import { connect as connectNats } from "@nats-io/transport-node";
import { NotFoundError } from "../shared/errors.ts";
import { listSegments } from "../shared/live_table.ts";
import { FsStateStore } from "../shared/state_store/fs.ts";
import { col, connect, connectIngest, type SourceInfo } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-live-state-" });
const cluster = await testCluster({ env: { POLAROID_STATE_DIR: stateDir } });

async function publish(from: number, count: number): Promise<void> {
  const nats = await connectNats({ servers: cluster.endpoints.nats });
  try {
    const encoder = new TextEncoder();
    for (let i = from; i < from + count; i++) {
      const symbol = i % 2 === 0 ? "AAPL" : "MSFT";
      nats.publish(
        `polaroid.ingest.default.md.${symbol}`,
        encoder.encode(`{"symbol":"${symbol}","px":${100 + (i % 7)},"seq":${i}}`),
      );
    }
    await nats.flush();
  } finally {
    await nats.close();
  }
}

/** Polls the source until `ok` holds (within 20 s); returns its last info. */
async function waitFor(
  ingest: Awaited<ReturnType<typeof connectIngest>>,
  name: string,
  ok: (info: SourceInfo) => boolean,
): Promise<SourceInfo> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const info = (await ingest.listSources()).find((s) => s.spec?.name === name);
    if (info && ok(info)) return info;
    if (Date.now() > deadline) {
      throw new Error(
        `source ${name} did not get there: ${
          JSON.stringify(info, (_, v) => typeof v === "bigint" ? String(v) : v)
        }`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

Deno.test({
  name:
    "a NATS feed becomes a live table that plans scan while it grows, and that outlives its source",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const added = await ingest.addNatsSource({
      name: "feed",
      subject: "md.*",
      table: "ticks",
      maxBatchRows: 100,
      maxBatchDelayMs: 20,
    });
    assert.equal(added.liveTable, "ticks");
    assert.equal(added.spec?.overflow, "drop");
    await publish(0, 500);
    let info = await waitFor(ingest, "feed", (s) => s.committedRows === 500n);
    assert.ok(info.segments >= 1n);
    assert.equal(info.pendingBytes, 0n);

    const perSymbol = () =>
      client.scanLive("ticks").groupBy("symbol").agg(
        col("seq").count().alias("n"),
        col("seq").max().alias("last"),
      ).sort("symbol").toRecords();
    assert.deepEqual(await perSymbol(), [
      { symbol: "AAPL", n: 250, last: 498n },
      { symbol: "MSFT", n: 250, last: 499n },
    ]);

    // It grows: the next plan sees the new rows, in arrival order.
    await publish(500, 300);
    info = await waitFor(ingest, "feed", (s) => s.committedRows === 800n);
    const seqs = (await client.scanLive("ticks").select("seq").toRecords()).map((r) =>
      Number(r.seq)
    );
    assert.deepEqual(seqs, Array.from({ length: 800 }, (_, i) => i));

    // The segments are in the state store, where any compute worker reads them.
    const store = await FsStateStore.open({ root: stateDir });
    try {
      const segments = await listSegments(store, "default", "ticks");
      assert.ok(segments.length >= 1 && segments.length <= Number(info.segments));
    } finally {
      await store.close();
    }

    // A snapshot of the source is its live table's committed rows.
    await using snap = await client.handle(await ingest.snapshot("feed"));
    assert.equal(snap.height, 800);

    // Removed, its table stays; a new source on the table appends after it.
    await ingest.removeSource("feed");
    assert.equal((await client.scanLive("ticks").select("seq").collect()).height, 800);
    await ingest.addNatsSource({
      name: "feed2",
      subject: "md.*",
      table: "ticks",
      maxBatchDelayMs: 20,
    });
    await publish(800, 10);
    await waitFor(ingest, "feed2", (s) => s.committedRows === 810n);
    assert.deepEqual(
      (await client.scanLive("ticks").select("seq").tail(3).toRecords()).map((r) => Number(r.seq)),
      [807, 808, 809],
    );
    await ingest.removeSource("feed2");
  },
});

Deno.test({
  name: "a scan of a live table that does not exist is NOT_FOUND; a bad name is refused",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await assert.rejects(client.scanLive("nothing_here").collect(), NotFoundError);
    assert.throws(() => client.scanLive("../etc"), /'table' must match/);
  },
});

Deno.test({
  name: "live table cluster stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
    await Deno.remove(stateDir, { recursive: true });
  },
});
