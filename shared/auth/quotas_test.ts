import assert from "node:assert/strict";
import { LimitExceededError } from "../errors.ts";
import { TenantQuotas } from "./quotas.ts";

Deno.test("calls in flight are bounded per tenant, and come back when they end", () => {
  const quotas = new TenantQuotas({ maxCalls: 2, ratePerSecond: 0, burst: 0 });
  const a1 = quotas.admit("a");
  const a2 = quotas.admit("a");
  assert.throws(
    () => quotas.admit("a"),
    (e) =>
      e instanceof LimitExceededError && /POLAROID_TENANT_MAX_CALLS/.test(e.message) &&
      e.metadata.limit === "tenant_max_calls" && e.metadata.retryAfterMs === "100",
  );
  const b = quotas.admit("b"); // another tenant is not affected
  a1();
  a1(); // ending twice gives back one call only
  const a3 = quotas.admit("a");
  assert.throws(() => quotas.admit("a"), LimitExceededError);
  for (const end of [a2, a3, b]) end();
  assert.equal(quotas.tracked, 0, "idle tenants are forgotten");
});

Deno.test("a token bucket bounds the rate of calls per tenant, with a burst", () => {
  let now = 0;
  const quotas = new TenantQuotas({ maxCalls: 0, ratePerSecond: 10, burst: 3, now: () => now });
  for (let i = 0; i < 3; i++) quotas.admit("a")();
  assert.throws(
    () => quotas.admit("a"),
    (e) =>
      e instanceof LimitExceededError && e.metadata.limit === "tenant_rate" &&
      e.metadata.retryAfterMs === "100" && /POLAROID_TENANT_RATE/.test(e.message),
  );
  quotas.admit("b")();
  now += 100; // one token back
  quotas.admit("a")();
  assert.throws(() => quotas.admit("a"), LimitExceededError);
  now += 10_000;
  for (let i = 0; i < 3; i++) quotas.admit("a")();
  now += 10_000;
  assert.equal(quotas.admit("a")(), undefined);
});

Deno.test("many invented tenants leave no state behind", () => {
  const quotas = new TenantQuotas({ maxCalls: 4, ratePerSecond: 0, burst: 0 });
  for (let i = 0; i < 10_000; i++) quotas.admit(`t${i}`)();
  assert.equal(quotas.tracked, 0);
  assert.ok(new TenantQuotas({ maxCalls: 0, ratePerSecond: 0, burst: 0 }).off);
});
