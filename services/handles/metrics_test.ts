import assert from "node:assert/strict";
import { createRegistry } from "../../shared/telemetry/metrics.ts";
import type { CatalogStats } from "./catalog_api.ts";
import { createHandlesMetrics, MAX_TENANT_LABELS, OTHER_TENANTS } from "./metrics.ts";
import type { HandleRecord } from "./record.ts";

const record = (owner: string) => ({ owner } as HandleRecord);

Deno.test("per-tenant handle metrics keep at most MAX_TENANT_LABELS tenant labels", async () => {
  const registry = createRegistry("handles");
  const tenants = new Map(
    Array.from({ length: 80 }, (_, i) => [`t${i}`, { live: 1, bytes: BigInt(i) }] as const),
  );
  const stats: CatalogStats = { live: 80, lost: 0, expired: 0, bytes: 0n, tenants };
  let reads = 0;
  const metrics = createHandlesMetrics(registry, () => {
    reads++;
    return Promise.resolve(stats);
  });
  for (let i = 0; i < 80; i++) {
    metrics.observe({ kind: "registered", record: record(`t${i}`), atMs: 0 });
    metrics.observeRead(`t${i}`);
  }
  metrics.observe({ kind: "freed", record: record("t0"), reason: "released", atMs: 0 });
  const text = await registry.metrics();
  assert.equal(reads, 1, "one pass over the catalog for the four gauges of a scrape");
  const labels = (name: string) =>
    new Set(
      [...text.matchAll(new RegExp(`^${name}\\{[^}]*tenant="([^"]+)"`, "gm"))].map((m) => m[1]),
    );
  for (const name of ["polaroid_tenant_handle_events_total", "polaroid_tenant_handles"]) {
    const seen = labels(name);
    assert.equal(seen.size, MAX_TENANT_LABELS, name);
    assert.ok(seen.has(OTHER_TENANTS), name);
  }
  assert.match(text, /polaroid_tenant_handle_events_total\{tenant="t0",event="freed"[^}]*\} 1$/m);
  assert.match(
    text,
    /polaroid_tenant_handle_events_total\{tenant="_other",event="created"[^}]*\} 31$/m,
  );
  // The gauges keep the tenants holding the most bytes: t79 down to t31, the rest summed.
  assert.match(text, /polaroid_tenant_handle_bytes\{tenant="t79"[^}]*\} 79$/m);
  assert.match(text, /polaroid_tenant_handles\{tenant="_other"[^}]*\} 31$/m);
  assert.doesNotMatch(text, /polaroid_tenant_handles\{tenant="t0"/);
});
