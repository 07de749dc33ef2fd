import assert from "node:assert/strict";
import { FailedPreconditionError, InvalidArgumentError } from "../../shared/errors.ts";
import { MemoryCatalog } from "./memory_catalog.ts";
import { MemoryLeaseStore } from "./lease_store.ts";
import { WorkerLeases } from "./leases.ts";
import type { HandleRecord } from "./record.ts";

function setup(options: { retentionMs?: number } = {}) {
  const clock = { now: 1_000_000 };
  const now = () => clock.now;
  const catalog = new MemoryCatalog({ now });
  const store = new MemoryLeaseStore();
  const lost: HandleRecord[] = [];
  const leases = new WorkerLeases(store, catalog, {
    leaseMs: 3000,
    now,
    onLost: (records) => lost.push(...records),
    ...options,
  });
  const register = (worker: string, incarnation: string, objectKey = "") =>
    catalog.register("acme", { worker, incarnation, objectKey });
  const state = async (id: string) =>
    (await catalog.list("acme")).handles.find((h) => h.id === id)?.lost;
  return { clock, catalog, store, leases, lost, register, state };
}

Deno.test("WorkerLeases: a new incarnation marks the earlier ones' memory-only handles lost", async () => {
  const { leases, register, state, lost } = setup();
  const [one, two] = [crypto.randomUUID(), crypto.randomUUID()];
  assert.deepEqual(await leases.heartbeat("w1", one), {
    leaseMs: 3000,
    lapsed: false,
    lost: 0,
    newLease: true,
  });
  const held = await register("w1", one);
  const stored = await register("w1", one, "handles/acme/x");
  const other = await register("w2", one);
  assert.deepEqual(await leases.heartbeat("w1", one), {
    leaseMs: 3000,
    lapsed: false,
    lost: 0,
    newLease: false,
  });
  assert.equal(await state(held.id), "");
  // The worker restarts: a new incarnation.
  assert.deepEqual(await leases.heartbeat("w1", two), {
    leaseMs: 3000,
    lapsed: false,
    lost: 1,
    newLease: false,
  });
  assert.equal(await state(held.id), "restarted");
  assert.equal(await state(stored.id), "", "a handle with an object key is never lost");
  assert.equal(await state(other.id), "", "another worker's handle is kept");
  const fresh = await register("w1", two);
  assert.equal((await leases.heartbeat("w1", two)).lost, 0);
  assert.equal(await state(fresh.id), "");
  assert.deepEqual(lost.map((r) => r.id), [held.id]);
});

Deno.test("WorkerLeases: a lease that runs out loses its handles; the worker is told it lapsed", async () => {
  const { clock, leases, register, state } = setup();
  const inc = crypto.randomUUID();
  await leases.heartbeat("w1", inc);
  const held = await register("w1", inc);
  const stored = await register("w1", inc, "handles/acme/x");
  clock.now += 2999;
  assert.equal(await leases.sweep(), 0, "not yet");
  clock.now += 2;
  // Registered after the lease ran out, before the sweep: the worker was alive to do it.
  const late = await register("w1", inc);
  assert.equal(await leases.sweep(), 1);
  assert.equal(await leases.sweep(), 0, "once");
  assert.equal(await state(held.id), "lease_expired");
  assert.equal(await state(stored.id), "");
  assert.equal(await state(late.id), "");
  assert.deepEqual(await leases.heartbeat("w1", inc), {
    leaseMs: 3000,
    lapsed: true,
    lost: 0,
    newLease: false,
  });
  assert.equal((await leases.heartbeat("w1", inc)).lapsed, false);
  clock.now += 2000;
  assert.equal(await leases.sweep(), 0, "renewed");
});

Deno.test("WorkerLeases: a stopping worker ends its lease and loses its handles at once", async () => {
  const { leases, register, state } = setup();
  const [inc, stale] = [crypto.randomUUID(), crypto.randomUUID()];
  await leases.heartbeat("w1", inc);
  const held = await register("w1", inc);
  assert.equal(await leases.end("w1", stale), 0, "another incarnation ends nothing");
  assert.equal(await leases.end("w2", inc), 0, "nor does an unknown worker");
  assert.equal(await state(held.id), "");
  assert.deepEqual(await leases.counts(), { live: 1, ended: 0 });
  assert.equal(await leases.end("w1", inc), 1);
  assert.equal(await leases.end("w1", inc), 0);
  assert.deepEqual(await leases.counts(), { live: 0, ended: 1 });
  assert.equal(await state(held.id), "stopped");
});

Deno.test("WorkerLeases: an incarnation that another replaced is refused as a second process", async () => {
  const { leases } = setup();
  const [one, two] = [crypto.randomUUID(), crypto.randomUUID()];
  await leases.heartbeat("w1", one);
  await leases.heartbeat("w1", two);
  await assert.rejects(
    leases.heartbeat("w1", one),
    (e: unknown) =>
      e instanceof FailedPreconditionError && /one process must use the id/.test(e.message) &&
      e.message.includes(two),
  );
  assert.equal((await leases.heartbeat("w1", two)).lapsed, false);
});

Deno.test("WorkerLeases: the sweep finishes a marking left half done and forgets old leases", async () => {
  const { clock, store, leases, register, state } = setup({ retentionMs: 10_000 });
  const inc = crypto.randomUUID();
  await leases.heartbeat("w1", inc);
  const held = await register("w1", inc);
  // A replica ended the lease and died before marking its handles.
  const stored = (await store.get("w1"))!;
  const ended = { ...stored.lease, ended: "stopped", endedAtMs: clock.now, marking: true } as const;
  await store.put(ended, stored.revision);
  assert.equal(await state(held.id), "");
  assert.equal(await leases.sweep(), 1);
  assert.equal(await state(held.id), "stopped");
  assert.equal((await store.get("w1"))?.lease.marking, false);
  clock.now += 10_001;
  await leases.sweep();
  assert.equal(await store.get("w1"), undefined, "forgotten after the retention");
});

Deno.test("WorkerLeases: malformed worker ids and incarnations are InvalidArgumentError", async () => {
  const { leases } = setup();
  const inc = crypto.randomUUID();
  for (const worker of ["", "a b", "w>", "x".repeat(129)]) {
    await assert.rejects(leases.heartbeat(worker, inc), InvalidArgumentError);
    await assert.rejects(leases.end(worker, inc), InvalidArgumentError);
  }
  for (const incarnation of ["", "x", inc.toUpperCase()]) {
    await assert.rejects(leases.heartbeat("w1", incarnation), InvalidArgumentError);
  }
});
