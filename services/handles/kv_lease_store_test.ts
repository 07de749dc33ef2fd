import assert from "node:assert/strict";
import { waitFor } from "../../scripts/_wait.ts";
import { connectNats } from "../../shared/nats.ts";
import { startNatsServer } from "../../tests/_nats_server.ts";
import { openKvCatalog } from "./kv_catalog.ts";
import { openKvLeaseStore } from "./kv_lease_store.ts";
import type { Lease } from "./lease_store.ts";
import { WorkerLeases } from "./leases.ts";
import type { HandleRecord } from "./record.ts";

function lease(worker: string, expiresAtMs: number): Lease {
  const incarnation = crypto.randomUUID();
  return {
    worker,
    incarnation,
    expiresAtMs,
    previous: [],
    ended: "",
    endedAtMs: 0,
    marking: false,
  };
}

Deno.test("KvLeaseStore: writes are compare-and-sets on the revision", async () => {
  await using server = await startNatsServer({ jetStream: true });
  const nats = await connectNats(server.url, { name: "kv-lease-store-test" });
  try {
    const store = await openKvLeaseStore(nats);
    const first = (await store.put(lease("w1", 1), undefined))!;
    assert.ok(first > 0);
    assert.equal(await store.put(lease("w1", 2), undefined), undefined, "exists already");
    const second = (await store.put(lease("w1", 3), first))!;
    assert.equal(await store.put(lease("w1", 4), first), undefined, "stale revision");
    assert.equal((await store.get("w1"))?.lease.expiresAtMs, 3);
    await store.put(lease("host.pod-2", 5), undefined);
    assert.deepEqual((await store.list()).map((s) => s.lease.worker).sort(), ["host.pod-2", "w1"]);
    assert.equal(await store.delete("w1", first), false);
    assert.equal(await store.delete("w1", second), true);
    assert.equal(await store.get("w1"), undefined);
    assert.ok(await store.put(lease("w1", 6), undefined), "created again after its deletion");
  } finally {
    await nats.close();
  }
});

Deno.test("WorkerLeases on KV: two replicas share leases and mark a lapsed worker's handles once", async () => {
  await using server = await startNatsServer({ jetStream: true });
  const clock = { now: 1_000_000 };
  const lost: HandleRecord[][] = [[], []];
  const replicas = await Promise.all([0, 1].map(async (i) => {
    const nats = await connectNats(server.url, { name: `kv-leases-${i}` });
    const catalog = await openKvCatalog(nats, { now: () => clock.now });
    const leases = new WorkerLeases(await openKvLeaseStore(nats), catalog, {
      leaseMs: 3000,
      now: () => clock.now,
      onLost: (records) => lost[i]!.push(...records),
    });
    return { nats, catalog, leases };
  }));
  const [a, b] = replicas as [typeof replicas[0], typeof replicas[0]];
  try {
    const inc = crypto.randomUUID();
    await a.leases.heartbeat("w1", inc);
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const via = i % 2 === 0 ? a : b;
      ids.add((await via.catalog.register("acme", { worker: "w1", incarnation: inc })).id);
    }
    await waitFor(async () => (await a.catalog.stats()).live === 20, { timeoutMs: 5000 });
    await waitFor(async () => (await b.catalog.stats()).live === 20, { timeoutMs: 5000 });
    // Renewed through the other replica: the lease is one.
    clock.now += 2000;
    await b.leases.heartbeat("w1", inc);
    clock.now += 2000;
    assert.deepEqual(await Promise.all([a.leases.sweep(), b.leases.sweep()]), [0, 0]);
    clock.now += 1001;
    const swept = await Promise.all([a.leases.sweep(), b.leases.sweep()]);
    assert.equal(swept[0] + swept[1], 20, "every handle marked, by one replica or the other");
    assert.deepEqual(new Set(lost.flat().map((r) => r.id)), ids);
    assert.equal(lost.flat().length, 20, "each marked once");
    assert.equal((await a.catalog.gone([...ids])).length, 20);
    assert.deepEqual(await b.leases.heartbeat("w1", inc), {
      leaseMs: 3000,
      lapsed: true,
      lost: 0,
      newLease: false,
    });
    // A restart seen by one replica is seen by the other.
    const next = crypto.randomUUID();
    const kept = await a.catalog.register("acme", { worker: "w1", incarnation: inc });
    await waitFor(async () => (await b.catalog.stats()).live === 1, { timeoutMs: 5000 });
    assert.equal((await b.leases.heartbeat("w1", next)).lost, 1);
    await assert.rejects(a.leases.heartbeat("w1", inc), /one process must use the id/);
    // Replica a sees b's mark once its mirror has caught up (it lags on a busy machine).
    await waitFor(async () => (await a.catalog.gone([kept.id])).length === 1, {
      timeoutMs: 5000,
    });
  } finally {
    for (const { nats, catalog } of replicas) {
      await catalog.close();
      await nats.close();
    }
  }
});
