/**
 * Handles through outages (issue 10, item 5): a handle released while nats-server is down is
 * not served by the worker that holds its frame (the FREED event is lost, so the worker checks
 * each held frame with the catalog meanwhile), and once NATS is back the worker reconciles and
 * drops the frame. A restart of the handles service, whose in-memory catalog forgets every
 * handle, makes the worker reconcile at its next heartbeat (lease 1.5 s, so every 0.5 s).
 */

import assert from "node:assert/strict";
import { connect, HandleNotFoundError } from "../sdk/mod.ts";
import { HandleServiceService } from "../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { waitFor } from "../scripts/_wait.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const cluster = await testCluster({ env: { POLAROID_WORKER_LEASE_MS: "1500" } });

/** The value of one unlabelled metric of the compute worker. */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${cluster.endpoints.computeHttp}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  assert.ok(line, `compute /metrics has ${name}`);
  return Number(line.split(" ").at(-1));
}

Deno.test({
  name:
    "a release while NATS is down: the worker does not serve it, and drops it once NATS is back",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    // Another client releases through the handles service: only the FREED event tells the worker.
    const other = new RpcClient(cluster.endpoints.handles, HandleServiceService, {
      tenant: "default",
      timeoutMs: 5000,
    });
    try {
      const served = await client.fromRecords([{ x: 1.5 }, { x: 2.5 }]);
      const used = await client.fromRecords([{ x: 10 }]);
      const untouched = await client.fromRecords([{ x: 20 }]);
      const held = await metric("polaroid_compute_frames");
      assert.equal(await metric("polaroid_compute_catalog_synced"), 1);

      await cluster.kill("nats");
      await waitFor(async () => await metric("polaroid_compute_catalog_synced") === 0, {
        timeoutMs: 10_000,
        what: "the worker to notice NATS is down",
      });
      await other.unary("releaseHandle", { id: used.id });
      await other.unary("releaseHandle", { id: untouched.id });

      // Released meanwhile: NOT_FOUND, not the released rows; the check drops the frame.
      await assert.rejects(used.toRecords(), HandleNotFoundError);
      assert.equal(await metric("polaroid_compute_frames"), held - 1);
      // A live handle is still served, once the catalog has confirmed it.
      assert.deepEqual(await served.toRecords(), [{ x: 1.5 }, { x: 2.5 }]);

      const restarted = performance.now();
      await cluster.restart("nats");
      await waitFor(async () => await metric("polaroid_compute_frames") === held - 2, {
        timeoutMs: 20_000,
        what: "the worker to drop the frame released during the outage",
      });
      const droppedMs = Math.round(performance.now() - restarted);
      await waitFor(async () => await metric("polaroid_compute_catalog_synced") === 1, {
        timeoutMs: 10_000,
        what: "the worker to trust its frames again",
      });
      const logs = cluster.logs("compute");
      const how = logs.includes(`"frame freed","handle":"${untouched.id}","reason":"reconciled"`)
        ? "reconciliation"
        : "late FREED event";
      console.log(
        `frame released during the outage dropped ${droppedMs} ms after NATS restarted (${how})`,
      );
      assert.match(logs, /NATS connection lost: held frames are checked with the catalog/);
      assert.match(logs, /NATS connection back: reconciling held frames/);
      await assert.rejects(untouched.toRecords(), HandleNotFoundError);
      assert.deepEqual(await served.toRecords(), [{ x: 1.5 }, { x: 2.5 }]);
    } finally {
      other.close();
    }
  },
});

Deno.test({
  name: "a restart of the handles service (memory catalog) makes the worker drop what it forgot",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const kept = await client.fromRecords([{ x: 1 }]);
    assert.ok(await metric("polaroid_compute_frames") >= 1);
    const restarted = performance.now();
    await cluster.restart("handles");
    await waitFor(async () => await metric("polaroid_compute_frames") === 0, {
      timeoutMs: 10_000,
      what: "the worker to drop the frames of the handles the catalog forgot",
    });
    const droppedMs = Math.round(performance.now() - restarted);
    console.log(
      `handles service restarted: frames dropped ${droppedMs} ms after the restart began`,
    );
    assert.match(cluster.logs("compute"), /the handles service no longer knew this worker/);
    await assert.rejects(kept.toRecords(), HandleNotFoundError);
  },
});
