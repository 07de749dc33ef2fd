/**
 * An idle handle expires in the catalog, and the compute worker holding it drops the frame
 * when the handles service announces it over NATS.
 */

import assert from "node:assert/strict";
import { connect, HandleNotFoundError } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const cluster = await testCluster({ env: { POLAROID_SWEEP_INTERVAL_MS: "100" } });

async function framesHeld(): Promise<number> {
  const text = await (await fetch(`${cluster.endpoints.computeHttp}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("polaroid_compute_frames"));
  assert.ok(line, "compute /metrics has polaroid_compute_frames");
  return Number(line.split(" ").at(-1));
}

Deno.test({
  name: "an expired handle is freed in the catalog and dropped by its worker",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const before = await framesHeld();
    const df = await client.fromRecords([{ x: 1.5 }, { x: 2.5 }], undefined, { ttlSeconds: 1 });
    assert.equal(await framesHeld(), before + 1);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && await framesHeld() > before) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(await framesHeld(), before, "the worker still holds the expired frame");
    assert.match(
      cluster.logs("compute"),
      new RegExp(`"frame freed","handle":"${df.id}","reason":"expired"`),
    );
    await assert.rejects(client.handle(df.id), HandleNotFoundError);
  },
});
