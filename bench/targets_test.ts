import assert from "node:assert/strict";
import {
  atLeast,
  atMost,
  best,
  meets,
  pairedSpeed,
  ratiosToBest,
  targetText,
  verdict,
} from "./targets.ts";

Deno.test("meets() holds at the bound and fails past it or on NaN", () => {
  assert.ok(meets(1.2, atMost(1.2)));
  assert.ok(!meets(1.21, atMost(1.2)));
  assert.ok(meets(0.8, atLeast(0.8)));
  assert.ok(!meets(0.79, atLeast(0.8)));
  assert.ok(!meets(NaN, atLeast(0)));
  assert.equal(verdict(0.5, atMost(1.5)), "met");
  assert.equal(verdict(2, atMost(1.5)), "not met");
  assert.equal(targetText(atLeast(0.9)), "≥ 0.9×");
  assert.equal(targetText(atMost(3)), "≤ 3×");
});

Deno.test("pairedSpeed() is the median of baseline over measured per rep", () => {
  assert.equal(pairedSpeed([10, 10, 10], [20, 10, 12.5]), 0.8);
  assert.throws(() => pairedSpeed([1, 2], [1]), /same number of runs/);
  assert.throws(() => pairedSpeed([], []), /same number of runs/);
});

Deno.test("ratiosToBest() divides every engine by the fastest peer, Polaroid not a peer", () => {
  const times = { polaroid: 90, node: 100, duckdb: 50, broken: NaN };
  assert.deepEqual(best(times, ["node", "duckdb", "broken"]), { engine: "duckdb", ms: 50 });
  const ratios = ratiosToBest(times, ["node", "duckdb"]);
  assert.equal(ratios.polaroid, 1.8);
  assert.equal(ratios.node, 2);
  assert.equal(ratios.duckdb, 1);
  assert.throws(() => best(times, ["broken", "missing"]), /none has a time/);
});
