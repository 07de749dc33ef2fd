import assert from "node:assert/strict";
import { median, quantile } from "./stats.ts";

Deno.test("quantile() uses the nearest rank", () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.equal(quantile(samples, 0.5), 50);
  assert.equal(quantile(samples, 0.99), 99);
  assert.equal(quantile(samples, 1), 100);
  assert.equal(median([3, 1, 2]), 2);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});
