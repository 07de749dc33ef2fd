import assert from "node:assert/strict";
import { AlreadyExistsError } from "../../shared/errors.ts";
import { waitFor } from "../../scripts/_wait.ts";
import type { CatalogEvent } from "./catalog_api.ts";
import type { HandleRecord } from "./record.ts";
import { connectNats } from "../../shared/nats.ts";
import { catalogContract } from "./_catalog_contract.ts";
import { startNatsServer } from "../../tests/_nats_server.ts";
import { type KvCatalog, openKvCatalog } from "./kv_catalog.ts";

catalogContract("KvCatalog", async (options) => {
  const server = await startNatsServer({ jetStream: true });
  const nats = await connectNats(server.url, { name: "kv-catalog-test" });
  const catalog = await openKvCatalog(nats, options);
  return {
    catalog,
    stop: async () => {
      await catalog.close();
      await nats.close();
      await server.stop();
    },
  };
});

Deno.test("KvCatalog: two replicas on one bucket lose no change and free a handle once", async () => {
  await using server = await startNatsServer({ jetStream: true });
  const clock = { now: 1_000_000 };
  const events: CatalogEvent[][] = [[], []];
  const replicas = await Promise.all([0, 1].map(async (i) => {
    const nats = await connectNats(server.url, { name: `kv-catalog-replica-${i}` });
    const catalog = await openKvCatalog(nats, {
      now: () => clock.now,
      onEvent: (event) => events[i]!.push(event),
    });
    return { nats, catalog };
  }));
  const [one, two] = replicas.map((r) => r.catalog) as [KvCatalog, KvCatalog];
  try {
    const { id } = await one.register("acme", { ttlSeconds: 5, objectKey: "handles/x" });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? one : two).retain("acme", id)),
    );
    assert.equal((await two.describe("acme", id)).refcount, 41);
    const names = await Promise.allSettled(
      [one, two, one, two].map((c) => c.register("acme", { name: "race" })),
    );
    assert.equal(names.filter((r) => r.status === "fulfilled").length, 1);
    assert.ok(
      names.every((r) => r.status === "fulfilled" || r.reason instanceof AlreadyExistsError),
    );
    await waitFor(async () => (await two.stats()).live === 2, { timeoutMs: 5000 });
    clock.now += 5000;
    const swept = await Promise.all([one.sweep(), two.sweep()]);
    assert.deepEqual(swept.flat().map((r) => r.id), [id]);
    const freedEvents = events.flat().filter((e) => e.kind === "freed");
    assert.deepEqual(freedEvents.map((e) => e.record.id), [id]);
    assert.deepEqual(await two.objectKeys(), new Set());
  } finally {
    for (const { nats, catalog } of replicas) {
      await catalog.close();
      await nats.close();
    }
  }
});

Deno.test("KvCatalog: two replicas marking one worker's handles lost at once mark each once", async () => {
  await using server = await startNatsServer({ jetStream: true });
  const replicas = await Promise.all([0, 1].map(async (i) => {
    const nats = await connectNats(server.url, { name: `kv-catalog-lost-${i}` });
    return { nats, catalog: await openKvCatalog(nats, {}) };
  }));
  const [one, two] = replicas.map((r) => r.catalog) as [KvCatalog, KvCatalog];
  try {
    const incarnation = crypto.randomUUID();
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const via = i % 2 === 0 ? one : two;
      ids.add((await via.register("acme", { worker: "w1", incarnation })).id);
    }
    await waitFor(async () => (await one.stats()).live === 30 && (await two.stats()).live === 30, {
      timeoutMs: 5000,
    });
    const selector = { worker: "w1", reason: "restarted", exceptIncarnation: "" } as const;
    const marked = (await Promise.all([one.markLost(selector), two.markLost(selector)])).flat();
    assert.deepEqual(new Set(marked.map((r) => r.id)), ids);
    assert.equal(marked.length, 30, "each handle marked by one replica only");
    assert.deepEqual((await two.gone([...ids])).length, 30);
  } finally {
    for (const { nats, catalog } of replicas) {
      await catalog.close();
      await nats.close();
    }
  }
});

Deno.test("KvCatalog: one idempotent registration tried on two replicas at once is one handle", async () => {
  await using server = await startNatsServer({ jetStream: true });
  const replicas = await Promise.all([0, 1].map(async (i) => {
    const nats = await connectNats(server.url, { name: `kv-catalog-retry-${i}` });
    return { nats, catalog: await openKvCatalog(nats, {}) };
  }));
  try {
    const requestId = crypto.randomUUID();
    const [a, b] = await Promise.all(
      replicas.map((r) => r.catalog.register("acme", { name: "retried", requestId })),
    ) as [HandleRecord, HandleRecord];
    assert.equal(a.id, b.id);
    assert.equal((await replicas[0]!.catalog.describe("acme", a.id)).refcount, 1);
    assert.equal((await replicas[1]!.catalog.findByName("acme", "retried")).id, a.id);
  } finally {
    for (const { nats, catalog } of replicas) {
      await catalog.close();
      await nats.close();
    }
  }
});
