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
  GrpcCode,
  HandleLostError,
  HandleNotFoundError,
  InvalidArgumentError,
  LimitExceededError,
} from "../../shared/errors.ts";
import { newHandleId } from "../../shared/ids.ts";
import { waitFor } from "../../scripts/_wait.ts";
import type { Catalog, CatalogEvent } from "./catalog_api.ts";

/** What a backend's test needs to build a catalog. */
export interface ContractOptions {
  now: () => number;
  onEvent: (event: CatalogEvent) => void;
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
  maxHandlesPerTenant: number;
  maxBytesPerTenant: bigint;
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
  "register() refuses a tenant past the bytes it may hold, until it releases some": async (
    { catalog },
  ) => {
    const first = await catalog.register("acme", { bytes: 6000n });
    await catalog.register("acme", { bytes: 3000n });
    await settle(catalog, 2);
    await assert.rejects(
      catalog.register("acme", { bytes: 1001n }),
      (e: unknown) =>
        e instanceof LimitExceededError && e.metadata.limit === "max_bytes_per_tenant" &&
        /at most 10000 bytes \(POLAROID_MAX_BYTES_PER_TENANT\): current value is 9000/.test(
          e.message,
        ),
    );
    // Exactly up to the bound, and other tenants are not affected.
    await catalog.register("acme", { bytes: 1000n });
    await catalog.register("other", { bytes: 10_000n });
    await settle(catalog, 4);
    await assert.rejects(catalog.register("acme", { bytes: 1n }), LimitExceededError);
    await catalog.release("acme", first.id);
    await settle(catalog, 3);
    assert.equal((await catalog.register("acme", { bytes: 6000n })).owner, "acme");
  },
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
    assert.deepEqual(await catalog.stats(), {
      live: 1,
      lost: 0,
      expired: 1,
      bytes: 0n,
      tenants: new Map([["acme", { live: 1, bytes: 0n }]]),
    });
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

const LOST_CASES: Record<string, (tools: Tools) => Promise<void>> = {
  "setObject() ends a write behind once; a pending handle is lost with its worker": async (
    { catalog },
  ) => {
    const inc = crypto.randomUUID();
    const pending = { worker: "w1", incarnation: inc, objectPending: true };
    const written = await catalog.register("acme", pending);
    const left = await catalog.register("acme", pending);
    assert.equal(written.objectPending, true);
    await settle(catalog, 2);
    await assert.rejects(
      catalog.setObject(written.id, "w2", "handles/acme/a"),
      FailedPreconditionError,
    );
    const named = await catalog.setObject(written.id, "w1", "handles/acme/a");
    assert.deepEqual([named.objectKey, named.objectPending], ["handles/acme/a", false]);
    assert.equal((await catalog.describe("acme", written.id)).objectKey, "handles/acme/a");
    assert.equal(
      (await catalog.setObject(written.id, "w1", "handles/acme/a")).objectKey,
      "handles/acme/a",
    );
    await assert.rejects(catalog.setObject(written.id, "w1", undefined), FailedPreconditionError);
    assert.deepEqual(await catalog.objectKeys(), new Set(["handles/acme/a"]));
    const selector = { worker: "w1", reason: "stopped", exceptIncarnation: "" } as const;
    assert.deepEqual((await catalog.markLost(selector)).map((r) => r.id), [left.id]);
    await assert.rejects(
      catalog.setObject(left.id, "w1", "handles/acme/b"),
      FailedPreconditionError,
    );
    await assert.rejects(
      catalog.setObject(newHandleId("acme"), "w1", "handles/acme/c"),
      HandleNotFoundError,
    );
    await assert.rejects(
      catalog.register("acme", { ...pending, objectKey: "handles/acme/d" }),
      InvalidArgumentError,
    );
  },

  "markLost() marks a worker's memory-only handles once; using one is HandleLostError": async (
    { catalog },
  ) => {
    const [old, now] = [crypto.randomUUID(), crypto.randomUUID()];
    const lost = await catalog.register("acme", { worker: "w1", incarnation: old, name: "a" });
    const stored = await catalog.register("acme", {
      worker: "w1",
      incarnation: old,
      objectKey: "handles/acme/b",
    });
    const elsewhere = await catalog.register("acme", { worker: "w2", incarnation: old });
    const current = await catalog.register("acme", { worker: "w1", incarnation: now });
    await settle(catalog, 4);
    const selector = { worker: "w1", reason: "restarted", exceptIncarnation: now } as const;
    assert.deepEqual((await catalog.markLost(selector)).map((r) => r.id), [lost.id]);
    assert.deepEqual(await catalog.markLost(selector), [], "marking again marks nothing");
    for (const op of ["resolve", "describe", "retain", "pin"] as const) {
      await assert.rejects(catalog[op]("acme", lost.id), (e: unknown) => {
        assert.ok(e instanceof HandleLostError, `${op}: ${String(e)}`);
        assert.equal(e.code, GrpcCode.DATA_LOSS);
        assert.match(e.message, new RegExp(`${op} handle ${lost.id} .*worker 'w1'.*restarted`));
        assert.match(e.message, /Run the plan again.*POLAROID_HANDLE_STORE=external/);
        return true;
      });
    }
    await assert.rejects(catalog.describe("other", lost.id), HandleNotFoundError);
    const listed = (await catalog.list("acme")).handles;
    assert.deepEqual(
      listed.map((h) => [h.id, h.lost]).sort(),
      [[lost.id, "restarted"], [stored.id, ""], [elsewhere.id, ""], [current.id, ""]].sort(),
    );
    assert.equal((await catalog.findByName("acme", "a")).lost, "restarted");
    const stats = await catalog.stats();
    assert.deepEqual([stats.live, stats.lost, stats.expired], [3, 1, 0]);
    const unknown = newHandleId("acme");
    const ids = [lost.id, stored.id, elsewhere.id, current.id, unknown];
    assert.deepEqual(await catalog.gone(ids), [lost.id, unknown]);
    await assert.rejects(catalog.gone([current.id, "../x"]), InvalidArgumentError);
    await assert.rejects(catalog.register("acme", { worker: "a b" }), InvalidArgumentError);
    await assert.rejects(catalog.register("acme", { incarnation: "x" }), InvalidArgumentError);
  },

  "a lost handle gives its name up, is freed by release or delete whatever its pin, expires":
    async (
      { catalog, clock, events },
    ) => {
      const inc = crypto.randomUUID();
      const named = await catalog.register("acme", { worker: "w1", incarnation: inc, name: "t" });
      const pinned = await catalog.register("acme", { worker: "w1", incarnation: inc });
      const deleted = await catalog.register("acme", { worker: "w1", incarnation: inc });
      await catalog.pin("acme", pinned.id);
      await catalog.retain("acme", pinned.id);
      clock.now += 2000;
      const late = await catalog.register("acme", {
        worker: "w1",
        incarnation: inc,
        ttlSeconds: 5,
      });
      await catalog.pin("acme", late.id);
      await settle(catalog, 4);
      const expiry = { worker: "w1", reason: "lease_expired", incarnation: inc } as const;
      const marked = await catalog.markLost({ ...expiry, createdUpToMs: clock.now - 1000 });
      assert.deepEqual(
        marked.map((r) => r.id).sort(),
        [named.id, pinned.id, deleted.id].sort(),
        "what the incarnation registered after its lease ran out is kept",
      );
      assert.ok(marked.every((r) => r.lost === "lease_expired" && r.lostAtMs === clock.now));

      assert.equal((await catalog.register("acme", { name: "t" })).name, "t", "the name is free");
      await assert.rejects(catalog.resolve("acme", named.id), HandleNotFoundError);
      assert.deepEqual(await catalog.release("acme", pinned.id), { refcount: 1, freed: false });
      assert.deepEqual(await catalog.release("acme", pinned.id), { refcount: 0, freed: true });
      assert.deepEqual(await catalog.delete("acme", deleted.id), { freed: true });

      const restarted = { worker: "w1", reason: "restarted" } as const;
      const again = await catalog.markLost({
        ...restarted,
        exceptIncarnation: crypto.randomUUID(),
      });
      assert.deepEqual(again.map((r) => r.id), [late.id]);
      assert.equal(again[0]!.expiresAtMs, clock.now + 5000, "one TTL from the loss");
      clock.now += 5000;
      // A replicated catalog sweeps what its replica has seen of the mark: eventually.
      const swept: string[] = [];
      await waitFor(async () => {
        swept.push(...(await catalog.sweep()).map((r) => r.id));
        return swept.length > 0;
      }, { timeoutMs: 5000, what: "the lost handle swept" });
      assert.deepEqual(swept, [late.id], "pinned yet swept");
      assert.deepEqual(freed(events), [
        `${named.id}:replaced`,
        `${pinned.id}:released`,
        `${deleted.id}:deleted`,
        `${late.id}:expired`,
      ]);
    },
};

/** Registers the shared cases as Deno tests of one backend. */
export function catalogContract(backend: string, factory: CatalogFactory): void {
  for (const [name, run] of Object.entries({ ...CASES, ...LOST_CASES })) {
    Deno.test(`${backend}: ${name}`, async () => {
      const clock = { now: 1_000_000 };
      const events: CatalogEvent[] = [];
      const { catalog, stop } = await factory({
        now: () => clock.now,
        onEvent: (event) => events.push(event),
        defaultTtlSeconds: 60,
        maxTtlSeconds: 3600,
        maxHandlesPerTenant: 1000,
        maxBytesPerTenant: 10_000n,
      });
      try {
        await run({ catalog, clock, events });
      } finally {
        await stop();
      }
    });
  }
}
