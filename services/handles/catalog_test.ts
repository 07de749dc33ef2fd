import assert from "node:assert/strict";
import {
  AlreadyExistsError,
  HandleNotFoundError,
  InvalidArgumentError,
  LimitExceededError,
} from "../../shared/errors.ts";
import { parseHandleId } from "../../shared/ids.ts";
import { type CatalogEvent, HandleCatalog, type HandleCatalogOptions } from "./catalog.ts";

function setup(options: HandleCatalogOptions = {}) {
  const clock = { now: 1_000_000 };
  const events: CatalogEvent[] = [];
  const catalog = new HandleCatalog({
    defaultTtlSeconds: 60,
    maxTtlSeconds: 3600,
    now: () => clock.now,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { catalog, clock, events };
}

function freed(events: CatalogEvent[]): string[] {
  return events.flatMap((e) => (e.kind === "freed" ? [`${e.record.id}:${e.reason}`] : []));
}

Deno.test("register() builds an id of the calling tenant and records what was sent", () => {
  const { catalog, events } = setup();
  const schema = { fields: [{ name: "a", dtype: undefined }] };
  const record = catalog.register("acme", {
    schema,
    rows: 2n ** 60n,
    bytes: 1234n,
    ttlSeconds: 10n,
    worker: "compute-1",
  });
  assert.equal(parseHandleId(record.id).tenant, "acme");
  assert.equal(record.owner, "acme");
  assert.deepEqual(record.schema, schema);
  assert.equal(record.rows, 2n ** 60n);
  assert.equal(record.bytes, 1234n);
  assert.equal(record.worker, "compute-1");
  assert.equal(record.createdAtMs, 1_000_000);
  assert.equal(record.ttlSeconds, 10);
  assert.equal(record.expiresAtMs, 1_010_000);
  assert.equal(record.refcount, 1);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.kind, "registered");
  assert.equal(events[0]!.record.id, record.id);
  assert.notEqual(catalog.register("acme").id, record.id);
});

Deno.test("register() uses the default TTL for 0 and refuses one above the maximum", () => {
  const { catalog } = setup();
  assert.equal(catalog.register("acme", { ttlSeconds: 0 }).ttlSeconds, 60);
  assert.equal(catalog.register("acme", { ttlSeconds: 3600 }).ttlSeconds, 3600);
  assert.throws(
    () => catalog.register("acme", { ttlSeconds: 3601n }),
    (e: unknown) =>
      e instanceof InvalidArgumentError && /'ttl_seconds'/.test(e.message) &&
      /3600/.test(e.message) && /3601/.test(e.message),
  );
  assert.equal(catalog.size, 2);
});

Deno.test("register() refuses a tenant past its handle limit, other tenants are unaffected", () => {
  const { catalog } = setup({ maxHandlesPerTenant: 2 });
  const first = catalog.register("acme");
  catalog.register("acme");
  assert.throws(() => catalog.register("acme"), LimitExceededError);
  catalog.register("other");
  catalog.release("acme", first.id);
  assert.equal(catalog.register("acme").owner, "acme");
});

Deno.test("resolve() renews the idle TTL and describe() does not", () => {
  const { catalog, clock } = setup();
  const { id } = catalog.register("acme", { ttlSeconds: 10 });
  clock.now += 8000;
  assert.equal(catalog.describe("acme", id).expiresAtMs, 1_010_000);
  assert.equal(catalog.resolve("acme", id).expiresAtMs, 1_018_000);
  clock.now += 9000;
  assert.equal(catalog.describe("acme", id).expiresAtMs, 1_018_000);
});

Deno.test("sweep() frees what expired and lookups of it fail afterwards", () => {
  const { catalog, clock, events } = setup();
  const short = catalog.register("acme", { ttlSeconds: 1, worker: "w1" });
  const long = catalog.register("acme", { ttlSeconds: 5 });
  catalog.retain("acme", short.id);
  clock.now += 999;
  assert.deepEqual(catalog.sweep(), []);
  clock.now += 1;
  const swept = catalog.sweep();
  assert.deepEqual(swept.map((r) => r.id), [short.id]);
  assert.equal(swept[0]!.refcount, 2, "the TTL frees whatever the refcount");
  assert.deepEqual(freed(events), [`${short.id}:expired`]);
  assert.throws(() => catalog.resolve("acme", short.id), HandleNotFoundError);
  assert.equal(catalog.describe("acme", long.id).id, long.id);
  assert.deepEqual(catalog.sweep(clock.now + 5000).map((r) => r.id), [long.id]);
  assert.equal(catalog.size, 0);
});

Deno.test("a lookup after expiry frees the handle even before the sweep", () => {
  const { catalog, clock, events } = setup();
  const { id } = catalog.register("acme", { ttlSeconds: 1 });
  clock.now += 1000;
  assert.deepEqual(catalog.stats(), {
    live: 0,
    lost: 0,
    expired: 1,
    bytes: 0n,
    tenants: new Map(),
  });
  assert.throws(() => catalog.describe("acme", id), HandleNotFoundError);
  assert.deepEqual(freed(events), [`${id}:expired`]);
  assert.equal(catalog.size, 0);
});

Deno.test("retain() and release() count references; the last release frees", () => {
  const { catalog, events } = setup();
  const { id } = catalog.register("acme", { bytes: 100n });
  assert.equal(catalog.retain("acme", id).refcount, 2);
  assert.equal(catalog.retain("acme", id).refcount, 3);
  assert.deepEqual(catalog.release("acme", id), { refcount: 2, freed: false });
  assert.deepEqual(catalog.release("acme", id), { refcount: 1, freed: false });
  assert.equal(catalog.stats().bytes, 100n);
  assert.deepEqual(catalog.release("acme", id), { refcount: 0, freed: true });
  assert.deepEqual(freed(events), [`${id}:released`]);
  assert.equal(catalog.stats().bytes, 0n);
  assert.throws(() => catalog.release("acme", id), HandleNotFoundError);
  assert.throws(() => catalog.retain("acme", id), HandleNotFoundError);
});

Deno.test("delete() frees whatever the refcount", () => {
  const { catalog, events } = setup();
  const { id } = catalog.register("acme", { worker: "w2" });
  catalog.retain("acme", id);
  assert.deepEqual(catalog.delete("acme", id), { freed: true });
  const event = events.at(-1)!;
  assert.equal(event.kind, "freed");
  assert.equal(event.kind === "freed" && event.reason, "deleted");
  assert.equal(event.record.worker, "w2");
  assert.throws(() => catalog.delete("acme", id), HandleNotFoundError);
});

Deno.test("another tenant's handle is not found, with the same message as a missing one", () => {
  const { catalog } = setup();
  const { id } = catalog.register("acme");
  const missing = id.replace(/\.[a-z2-7]/, (m) => (m === ".a" ? ".b" : ".a"));
  const messages: string[] = [];
  for (const [tenant, target] of [["other", id], ["acme", missing]] as const) {
    for (const op of ["resolve", "describe", "retain", "release", "delete"] as const) {
      assert.throws(() => catalog[op](tenant, target), (e: unknown) => {
        assert.ok(e instanceof HandleNotFoundError);
        messages.push(e.message.replace(target, "ID"));
        return true;
      });
    }
  }
  assert.deepEqual(messages.slice(0, 5), messages.slice(5));
  assert.equal(catalog.describe("acme", id).refcount, 1, "untouched by the other tenant");
  assert.deepEqual(catalog.list("other").handles, []);
});

Deno.test("lookups refuse malformed ids with InvalidArgumentError", () => {
  const { catalog } = setup();
  for (
    const bad of ["", "../x", "acme.ABCDEFGHIJKLMNOPQRSTUVWXYZ", "acme/aaaaaaaaaaaaaaaaaaaaaaaaaa"]
  ) {
    assert.throws(() => catalog.resolve("acme", bad), InvalidArgumentError);
  }
  assert.throws(() => catalog.list("acme", { after: "nope" }), InvalidArgumentError);
  assert.throws(() => catalog.register("Bad Tenant"), InvalidArgumentError);
});

Deno.test("list() pages through a tenant's handles sorted by id", () => {
  const { catalog } = setup();
  const ids = Array.from({ length: 250 }, () => catalog.register("acme").id).sort();
  catalog.register("other");
  const first = catalog.list("acme");
  assert.equal(first.handles.length, 100);
  assert.deepEqual(first.handles.map((h) => h.id), ids.slice(0, 100));
  assert.equal(first.nextAfter, ids[99]);
  const seen: string[] = [];
  let after = "";
  let pages = 0;
  do {
    const page = catalog.list("acme", { limit: 70, after });
    seen.push(...page.handles.map((h) => h.id));
    after = page.nextAfter;
    pages++;
  } while (after !== "");
  assert.deepEqual(seen, ids);
  assert.equal(pages, 4);
  assert.equal(catalog.list("acme", { limit: 5000 }).handles.length, 250);
  assert.equal(catalog.list("acme", { limit: 250 }).nextAfter, "");
});

Deno.test("list() caps a page at 1000 and skips expired handles", () => {
  const { catalog, clock } = setup({ maxHandlesPerTenant: 2000 });
  for (let i = 0; i < 1200; i++) catalog.register("acme", { ttlSeconds: i < 1100 ? 60 : 1 });
  const page = catalog.list("acme", { limit: 5000 });
  assert.equal(page.handles.length, 1000);
  assert.equal(page.nextAfter, page.handles.at(-1)!.id);
  clock.now += 1000;
  const first = catalog.list("acme", { limit: 1000 });
  const second = catalog.list("acme", { limit: 1000, after: first.nextAfter });
  assert.equal(first.handles.length, 1000);
  assert.equal(second.handles.length, 100);
  assert.equal(second.nextAfter, "");
  assert.ok([...first.handles, ...second.handles].every((h) => h.ttlSeconds === 60));
});

Deno.test("stats() reports live and expired handles and the bytes held, in all and by tenant", () => {
  const { catalog, clock } = setup();
  catalog.register("acme", { bytes: 10n, ttlSeconds: 1 });
  catalog.register("other", { bytes: 32n, ttlSeconds: 5 });
  const other = ["other", { live: 1, bytes: 32n }] as const;
  assert.deepEqual(catalog.stats(), {
    live: 2,
    lost: 0,
    expired: 0,
    bytes: 42n,
    tenants: new Map([["acme", { live: 1, bytes: 10n }], other]),
  });
  clock.now += 2000;
  assert.deepEqual(catalog.stats(), {
    live: 1,
    lost: 0,
    expired: 1,
    bytes: 42n,
    tenants: new Map([other]),
  });
  catalog.sweep();
  assert.deepEqual(catalog.stats(), {
    live: 1,
    lost: 0,
    expired: 0,
    bytes: 32n,
    tenants: new Map([other]),
  });
});

Deno.test("register() keeps a name and findByName() finds the live handle of that name", () => {
  const { catalog } = setup();
  const trades = catalog.register("acme", { name: "trades" });
  const unnamed = catalog.register("acme");
  assert.equal(trades.name, "trades");
  assert.equal(unnamed.name, "");
  assert.equal(catalog.findByName("acme", "trades").id, trades.id);
  assert.throws(
    () => catalog.findByName("acme", "quotes"),
    (e: unknown) => e instanceof HandleNotFoundError && /"quotes"/.test(e.message),
  );
  assert.throws(() => catalog.findByName("other", "trades"), HandleNotFoundError);
  assert.throws(() => catalog.findByName("acme", ""), HandleNotFoundError);
});

Deno.test("register() refuses a name the tenant already gives a live handle", () => {
  const { catalog } = setup();
  const first = catalog.register("acme", { name: "trades" });
  assert.throws(
    () => catalog.register("acme", { name: "trades" }),
    (e: unknown) =>
      e instanceof AlreadyExistsError && /'name' must be unique/.test(e.message) &&
      e.message.includes(first.id),
  );
  assert.equal(catalog.size, 1, "nothing registered on a clash");
  assert.equal(catalog.register("other", { name: "trades" }).name, "trades", "per tenant");
  assert.equal(catalog.register("acme", { name: "Trades" }).name, "Trades", "case-sensitive");
});

Deno.test("a freed handle frees its name, whatever freed it", () => {
  const { catalog, clock } = setup();
  const released = catalog.register("acme", { name: "a" });
  catalog.release("acme", released.id);
  const again = catalog.register("acme", { name: "a" });
  assert.notEqual(again.id, released.id);
  catalog.delete("acme", again.id);
  const expiring = catalog.register("acme", { name: "a", ttlSeconds: 1 });
  clock.now += 1000;
  // Expired but not yet swept: the name is free all the same.
  const fresh = catalog.register("acme", { name: "a" });
  assert.equal(catalog.findByName("acme", "a").id, fresh.id);
  assert.throws(() => catalog.describe("acme", expiring.id), HandleNotFoundError);
  clock.now += 60_000;
  assert.throws(() => catalog.findByName("acme", "a"), HandleNotFoundError);
  assert.deepEqual(catalog.named("acme"), []);
});

Deno.test("register() refuses names outside the identifier character set or too long", () => {
  const { catalog } = setup();
  for (
    const bad of [
      "1abc",
      "a-b",
      "a b",
      "a.b",
      "ä",
      "a;DROP",
      '"t"',
      "x".repeat(65),
      "acme.aaaaaaaaaaaaaaaaaaaaaaaaaa",
    ]
  ) {
    assert.throws(
      () => catalog.register("acme", { name: bad }),
      (e: unknown) => e instanceof InvalidArgumentError && /'name' must/.test(e.message),
      bad,
    );
    assert.throws(() => catalog.findByName("acme", bad), InvalidArgumentError, bad);
  }
  assert.equal(catalog.size, 0);
  for (const good of ["_", "a", "A_1", "trades_2024", "x".repeat(64)]) {
    assert.equal(catalog.register("acme", { name: good }).name, good);
  }
});

Deno.test("named() lists the tenant's live named handles by name, optionally some names only", () => {
  const { catalog, clock } = setup();
  const b = catalog.register("acme", { name: "b" });
  const a = catalog.register("acme", { name: "a" });
  catalog.register("acme");
  catalog.register("acme", { name: "gone", ttlSeconds: 1 });
  catalog.register("other", { name: "c" });
  clock.now += 1000;
  assert.deepEqual(catalog.named("acme").map((r) => [r.name, r.id]), [["a", a.id], ["b", b.id]]);
  assert.deepEqual(catalog.named("acme", ["b", "c", "gone", "not a name", "b"]).map((r) => r.id), [
    b.id,
  ]);
  assert.deepEqual(catalog.named("nobody"), []);
  assert.deepEqual(catalog.list("acme").handles.map((h) => h.name).sort(), ["", "a", "b"]);
});
