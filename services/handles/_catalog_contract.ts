/**
 * The behaviour every Catalog backend shares, as tests run against each backend
 * (memory_catalog_test.ts, kv_catalog_test.ts).
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  AlreadyExistsError,
  FailedPreconditionError,
  HandleNotFoundError,
  InvalidArgumentError,
} from "../../shared/errors.ts";
import { waitFor } from "../../scripts/_wait.ts";
import type { Catalog, CatalogEvent } from "./catalog_api.ts";

/** What a backend's test needs to build a catalog. */
export interface ContractOptions {
  now: () => number;
  onEvent: (event: CatalogEvent) => void;
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
  maxHandlesPerTenant: number;
}

/** Builds a catalog on a fresh backend; `stop` releases it. */
export type CatalogFactory = (
  options: ContractOptions,
) => Promise<{ catalog: Catalog; stop(): Promise<void> }>;

interface Tools {
  catalog: Catalog;
  clock: { now: number };
  events: CatalogEvent[];
}

function freed(events: CatalogEvent[]): string[] {
  return events.flatMap((e) => (e.kind === "freed" ? [`${e.record.id}:${e.reason}`] : []));
}

/** Waits until the catalog's stats count `live` handles (a KV mirror lags a moment). */
async function settle(catalog: Catalog, live: number): Promise<void> {
  await waitFor(async () => (await catalog.stats()).live === live, {
    timeoutMs: 5000,
    what: `${live} live handles in the stats`,
  });
}

const CASES: Record<string, (tools: Tools) => Promise<void>> = {
  "register() keeps the record and resolve() renews the TTL, describe() does not": async (
    { catalog, clock, events },
  ) => {
    const schema = { fields: [{ name: "a", dtype: undefined }] };
    const record = await catalog.register("acme", {
      schema,
      rows: 2n ** 60n + 1n,
      bytes: 1234n,
      ttlSeconds: 10n,
      worker: "compute-1",
      metadata: { "app.kind": "test" },
      objectKey: "handles/acme/x",
    });
    assert.equal(record.pinned, false);
    const described = await catalog.describe("acme", record.id);
    assert.deepEqual(described, record);
    assert.deepEqual(described.schema, schema);
    assert.equal(described.rows, 2n ** 60n + 1n);
    clock.now += 8000;
    assert.equal((await catalog.describe("acme", record.id)).expiresAtMs, 1_010_000);
    assert.equal((await catalog.resolve("acme", record.id)).expiresAtMs, 1_018_000);
    assert.equal((await catalog.describe("acme", record.id)).expiresAtMs, 1_018_000);
    assert.deepEqual(events.map((e) => e.kind), ["registered"]);
    await assert.rejects(catalog.register("acme", { ttlSeconds: 3601n }), InvalidArgumentError);
    await assert.rejects(catalog.describe("acme", "../x"), InvalidArgumentError);
  },

  "register() with a request id, repeated, returns the first handle: one reference, one event":
    async ({ catalog, events }) => {
      const requestId = crypto.randomUUID();
      const first = await catalog.register("acme", { name: "once", rows: 3n, requestId });
      const again = await catalog.register("acme", { name: "once", rows: 3n, requestId });
      assert.deepEqual(again, first, "the name is not refused by its own first attempt");
      assert.equal((await catalog.describe("acme", first.id)).refcount, 1);
      assert.deepEqual(events.map((e) => e.kind), ["registered"]);
      const other = await catalog.register("acme", { requestId: crypto.randomUUID() });
      assert.notEqual(other.id, first.id);
      const foreign = await catalog.register("other", { requestId });
      assert.notEqual(foreign.id, first.id, "a request id is the tenant's own");
      await assert.rejects(catalog.register("acme", { requestId: "x" }), InvalidArgumentError);
    },

  "retain() and release() count references; the last release frees once": async (
    { catalog, events },
  ) => {
    const { id } = await catalog.register("acme", { name: "n" });
    assert.equal((await catalog.retain("acme", id)).refcount, 2);
    assert.deepEqual(await catalog.release("acme", id), { refcount: 1, freed: false });
    assert.deepEqual(await catalog.release("acme", id), { refcount: 0, freed: true });
    assert.deepEqual(freed(events), [`${id}:released`]);
    await assert.rejects(catalog.release("acme", id), HandleNotFoundError);
    await assert.rejects(catalog.findByName("acme", "n"), HandleNotFoundError);
    assert.equal((await catalog.register("acme", { name: "n" })).name, "n", "the name is free");
  },

  "delete() frees whatever the refcount; other tenants see nothing": async (
    { catalog, events },
  ) => {
    const { id } = await catalog.register("acme", { worker: "w2" });
    await catalog.retain("acme", id);
    await assert.rejects(catalog.describe("other", id), HandleNotFoundError);
    await assert.rejects(catalog.delete("other", id), HandleNotFoundError);
    assert.deepEqual((await catalog.list("other")).handles, []);
    assert.deepEqual(await catalog.delete("acme", id), { freed: true });
    assert.deepEqual(freed(events), [`${id}:deleted`]);
    await assert.rejects(catalog.delete("acme", id), HandleNotFoundError);
  },

  "sweep() frees what expired once and skips the rest": async ({ catalog, clock, events }) => {
    const short = await catalog.register("acme", { ttlSeconds: 1, objectKey: "handles/a" });
    const long = await catalog.register("acme", { ttlSeconds: 5, objectKey: "handles/b" });
    await settle(catalog, 2);
    assert.deepEqual(await catalog.objectKeys(), new Set(["handles/a", "handles/b"]));
    clock.now += 1000;
    assert.deepEqual(await catalog.stats(), { live: 1, expired: 1, bytes: 0n });
    assert.deepEqual((await catalog.sweep()).map((r) => r.id), [short.id]);
    assert.deepEqual(await catalog.sweep(), []);
    assert.deepEqual(freed(events), [`${short.id}:expired`]);
    await assert.rejects(catalog.resolve("acme", short.id), HandleNotFoundError);
    assert.equal((await catalog.describe("acme", long.id)).id, long.id);
    assert.deepEqual(await catalog.objectKeys(), new Set(["handles/b"]));
    clock.now += 5000;
    await assert.rejects(catalog.describe("acme", long.id), HandleNotFoundError);
    assert.deepEqual(freed(events), [`${short.id}:expired`, `${long.id}:expired`]);
  },

  "pin() keeps a handle past its TTL and its last release until unpin()": async (
    { catalog, clock, events },
  ) => {
    const { id } = await catalog.register("acme", { ttlSeconds: 1 });
    const other = await catalog.register("acme", { ttlSeconds: 1 });
    assert.equal((await catalog.pin("acme", id)).pinned, true);
    assert.equal((await catalog.pin("acme", id)).pinned, true, "pinning twice changes nothing");
    await settle(catalog, 2);
    clock.now += 10_000;
    assert.deepEqual((await catalog.sweep()).map((r) => r.id), [other.id]);
    assert.equal((await catalog.describe("acme", id)).pinned, true);
    assert.deepEqual((await catalog.list("acme")).handles.map((h) => h.id), [id]);
    assert.deepEqual(await catalog.release("acme", id), { refcount: 0, freed: false });
    await assert.rejects(catalog.release("acme", id), FailedPreconditionError);
    assert.equal((await catalog.retain("acme", id)).refcount, 1);
    const unpinned = await catalog.unpin("acme", id);
    assert.equal(unpinned.pinned, false);
    assert.equal(unpinned.expiresAtMs, clock.now + 1000, "unpin renews the TTL");
    assert.equal((await catalog.pin("acme", id)).pinned, true);
    assert.deepEqual(await catalog.release("acme", id), { refcount: 0, freed: false });
    assert.equal((await catalog.unpin("acme", id)).refcount, 0);
    assert.deepEqual(freed(events), [`${other.id}:expired`, `${id}:released`]);
    await assert.rejects(catalog.pin("acme", id), HandleNotFoundError);
  },

  "names are unique among live handles and come back when freed or expired": async (
    { catalog, clock },
  ) => {
    const trades = await catalog.register("acme", { name: "trades" });
    await catalog.register("acme");
    await assert.rejects(
      catalog.register("acme", { name: "trades" }),
      (e: unknown) => e instanceof AlreadyExistsError && e.message.includes(trades.id),
    );
    assert.equal((await catalog.register("other", { name: "trades" })).name, "trades");
    assert.equal((await catalog.findByName("acme", "trades")).id, trades.id);
    await assert.rejects(catalog.findByName("acme", "bad-name"), InvalidArgumentError);
    await assert.rejects(catalog.register("acme", { name: "a.b" }), InvalidArgumentError);
    const quotes = await catalog.register("acme", { name: "quotes", ttlSeconds: 1 });
    assert.deepEqual((await catalog.named("acme")).map((r) => r.name), ["quotes", "trades"]);
    assert.deepEqual(
      (await catalog.named("acme", ["trades", "nope", "not a name"])).map((r) => r.id),
      [trades.id],
    );
    clock.now += 1000;
    const again = await catalog.register("acme", { name: "quotes" });
    assert.notEqual(again.id, quotes.id);
    assert.equal((await catalog.findByName("acme", "quotes")).id, again.id);
  },

  "list() pages through a tenant's live handles sorted by id": async ({ catalog }) => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await catalog.register("acme")).id);
    ids.sort();
    await catalog.register("other");
    const seen: string[] = [];
    let after = "";
    let pages = 0;
    do {
      const page = await catalog.list("acme", { limit: 3, after });
      seen.push(...page.handles.map((h) => h.id));
      after = page.nextAfter;
      pages++;
    } while (after !== "");
    assert.deepEqual(seen, ids);
    assert.equal(pages, 3);
    assert.equal((await catalog.list("acme", { limit: 7 })).nextAfter, "");
    await assert.rejects(catalog.list("acme", { limit: -1 }), InvalidArgumentError);
  },
};

/** Registers the shared cases as Deno tests of one backend. */
export function catalogContract(backend: string, factory: CatalogFactory): void {
  for (const [name, run] of Object.entries(CASES)) {
    Deno.test(`${backend}: ${name}`, async () => {
      const clock = { now: 1_000_000 };
      const events: CatalogEvent[] = [];
      const { catalog, stop } = await factory({
        now: () => clock.now,
        onEvent: (event) => events.push(event),
        defaultTtlSeconds: 60,
        maxTtlSeconds: 3600,
        maxHandlesPerTenant: 1000,
      });
      try {
        await run({ catalog, clock, events });
      } finally {
        await stop();
      }
    });
  }
}
