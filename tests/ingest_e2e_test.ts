/**
 * A live NATS feed through the ingest service into a handle, queried on compute.
 */

import assert from "node:assert/strict";
import { connect as connectNats } from "@nats-io/transport-node";
import { col, connect, connectIngest } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const cluster = await testCluster();

Deno.test({
  name: "JSON messages on a NATS subject become a handle with exact Int64 values",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const source = await ingest.addNatsSource({
      name: "ticks",
      subject: "md.ticks.*",
      maxBatchRows: 100,
      maxBatchDelayMs: 50,
    });
    assert.equal(source.natsSubject, "polaroid.ingest.default.md.ticks.*");
    const nats = await connectNats({ servers: cluster.endpoints.nats });
    try {
      const encoder = new TextEncoder();
      for (let i = 0; i < 500; i++) {
        const symbol = i % 2 === 0 ? "AAPL" : "MSFT";
        const seq = 9_007_199_254_740_993n + BigInt(i);
        nats.publish(
          `polaroid.ingest.default.md.ticks.${symbol}`,
          encoder.encode(`{"symbol":"${symbol}","px":${100 + (i % 7)},"seq":${seq}}`),
        );
      }
      nats.publish("polaroid.ingest.default.md.ticks.bad", encoder.encode("not json"));
      // Outside the tenant's namespace: not the source's.
      nats.publish("md.ticks.AAPL", encoder.encode('{"symbol":"AAPL","px":1,"seq":1}'));
      await nats.flush();
    } finally {
      await nats.close();
    }
    const deadline = Date.now() + 15_000;
    let info = (await ingest.listSources()).find((s) => s.spec?.name === "ticks");
    while (Date.now() < deadline && (info?.rows ?? 0n) < 500n) {
      await new Promise((r) => setTimeout(r, 100));
      info = (await ingest.listSources()).find((s) => s.spec?.name === "ticks");
    }
    assert.equal(info?.rows, 500n);
    assert.equal(info?.rejected, 1n);

    const id = await ingest.snapshot("ticks");
    await using df = await client.handle(id);
    assert.equal(df.height, 500);
    const rows = await df.lazy()
      .groupBy("symbol")
      .agg(col("seq").max().alias("last_seq"), col("px").count().alias("n"))
      .sort("symbol")
      .toRecords();
    assert.deepEqual(rows, [
      { symbol: "AAPL", last_seq: 9_007_199_254_740_993n + 498n, n: 250 },
      { symbol: "MSFT", last_seq: 9_007_199_254_740_993n + 499n, n: 250 },
    ]);
    await ingest.removeSource("ticks");
  },
});
