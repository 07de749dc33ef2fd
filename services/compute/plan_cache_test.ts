import assert from "node:assert/strict";
import type { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import { loadComputeConfig } from "../../shared/config.ts";
import { analyzePlan } from "./engine/analyze.ts";
import { PlanCache, planKey } from "./plan_cache.ts";

const limits = loadComputeConfig({}).limits;
/** Whether a plan may be cached, and the handles it reads: what its analysis says. */
const isCacheable = (plan: Plan) => analyzePlan(plan, limits).cacheable;
const inputs = (plan: Plan) => analyzePlan(plan, limits).handleIds;

const scan = (id: string): Plan => ({
  node: { $case: "scan", value: { source: { $case: "handle", value: id } } },
});
const head = (input: Plan, n: bigint): Plan => ({
  node: { $case: "slice", value: { input, offset: 0n, length: n } },
});
const file: Plan = {
  node: {
    $case: "scan",
    value: { source: { $case: "file", value: { format: 1, path: "t.parquet" } } },
  },
};

Deno.test("planKey() is equal for equal plans and tenants, different otherwise", () => {
  const a = planKey(head(scan("acme.a"), 5n), "acme");
  assert.equal(a, planKey(head(scan("acme.a"), 5n), "acme"));
  assert.notEqual(a, planKey(head(scan("acme.a"), 6n), "acme"));
  assert.notEqual(a, planKey(head(scan("acme.b"), 5n), "acme"));
  assert.notEqual(a, planKey(head(scan("acme.a"), 5n), "other"));
});

Deno.test("analyzePlan() does not let plans that read files be cached", () => {
  assert.equal(isCacheable(head(scan("acme.a"), 1n)), true);
  assert.equal(isCacheable(head(file, 1n)), false);
});

Deno.test("PlanCache counts hits and misses and returns the stored result", () => {
  const cache = new PlanCache();
  const plan = head(scan("acme.in"), 5n);
  const key = planKey(plan, "acme");
  assert.equal(cache.lookup(key), undefined);
  cache.store(key, inputs(plan), "acme.out");
  assert.equal(cache.lookup(key), "acme.out");
  assert.deepEqual(cache.stats, { hits: 1, misses: 1, skipped: 0, entries: 1 });
});

Deno.test("PlanCache.forget() drops entries of a freed input or result", () => {
  const cache = new PlanCache();
  const p1 = head(scan("acme.in"), 1n);
  const p2 = head(scan("acme.in"), 2n);
  const p3 = head(scan("acme.other"), 3n);
  cache.store("k1", inputs(p1), "acme.r1");
  cache.store("k2", inputs(p2), "acme.r2");
  cache.store("k3", inputs(p3), "acme.r3");
  assert.equal(cache.forget("acme.in"), 2);
  assert.equal(cache.lookup("k1"), undefined);
  assert.equal(cache.lookup("k3"), "acme.r3");
  assert.equal(cache.forget("acme.r3"), 1);
  assert.equal(cache.stats.entries, 0);
  assert.equal(cache.forget("acme.r3"), 0);
});

Deno.test("PlanCache evicts the oldest entry when full, and keeps nothing at 0", () => {
  const cache = new PlanCache({ maxEntries: 2 });
  cache.store("k1", inputs(scan("acme.a")), "acme.r1");
  cache.store("k2", inputs(scan("acme.b")), "acme.r2");
  cache.store("k3", inputs(scan("acme.c")), "acme.r3");
  assert.equal(cache.lookup("k1"), undefined);
  assert.equal(cache.lookup("k3"), "acme.r3");
  assert.equal(cache.forget("acme.a"), 0);
  const off = new PlanCache({ maxEntries: 0 });
  off.store("k", inputs(scan("acme.a")), "acme.r");
  assert.equal(off.enabled, false);
  assert.equal(off.lookup("k"), undefined);
  assert.throws(() => new PlanCache({ maxEntries: -1 }), RangeError);
});
