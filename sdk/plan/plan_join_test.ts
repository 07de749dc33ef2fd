import assert from "node:assert/strict";
import { AsofStrategy, type JoinAsof } from "../../shared/gen/polaroid/v1/plan.ts";
import { scanHandlePlan } from "./plan.ts";
import { joinAsofPlan } from "./plan_join.ts";

const left = scanHandlePlan("t.l");
const right = scanHandlePlan("t.r");

function asof(options: Parameters<typeof joinAsofPlan>[2]): JoinAsof {
  const plan = joinAsofPlan(left, right, options);
  assert.equal(plan.node?.$case, "joinAsof");
  return plan.node!.value as JoinAsof;
}

Deno.test("joinAsofPlan() sends nodejs-polars' defaults: backward, sorted check, coalesce", () => {
  assert.deepEqual(asof({ on: "t" }), {
    left,
    right,
    leftOn: "t",
    rightOn: "t",
    byLeft: [],
    byRight: [],
    strategy: AsofStrategy.ASOF_STRATEGY_BACKWARD,
    tolerance: undefined,
    suffix: "",
    allowExactMatches: undefined,
    checkSortedness: true,
    coalesce: true,
  });
});

Deno.test("joinAsofPlan() takes every option; `by` names both sides", () => {
  const plan = asof({
    leftOn: "a",
    rightOn: "b",
    byLeft: "g",
    byRight: ["h"],
    strategy: "nearest",
    suffix: "_r",
    tolerance: 2.5,
    allowExactMatches: false,
    checkSortedness: false,
    coalesce: false,
    allowParallel: true,
    forceParallel: false,
  });
  assert.deepEqual(
    [plan.leftOn, plan.rightOn, plan.byLeft, plan.byRight, plan.strategy, plan.suffix],
    ["a", "b", ["g"], ["h"], AsofStrategy.ASOF_STRATEGY_NEAREST, "_r"],
  );
  assert.deepEqual(plan.tolerance, { $case: "toleranceNumber", value: 2.5 });
  assert.deepEqual([plan.allowExactMatches, plan.checkSortedness, plan.coalesce], [
    false,
    false,
    false,
  ]);
  const by = asof({
    on: "t",
    by: ["g", "h"],
    byLeft: "x",
    tolerance: "1h30m",
    strategy: "forward",
  });
  assert.deepEqual([by.byLeft, by.byRight], [["g", "h"], ["g", "h"]]);
  assert.deepEqual(by.tolerance, { $case: "toleranceDuration", value: "1h30m" });
  assert.equal(by.strategy, AsofStrategy.ASOF_STRATEGY_FORWARD);
});

Deno.test("joinAsofPlan() refuses missing keys, unequal by lists and bad options", () => {
  assert.throws(() => joinAsofPlan(left, right, {}), /'on' or both 'leftOn' and 'rightOn'/);
  assert.throws(() => joinAsofPlan(left, right, { leftOn: "a" }), /'on' or both/);
  assert.throws(
    () => joinAsofPlan(left, right, { on: "t", byLeft: ["a", "b"], byRight: "a" }),
    /as many columns as 'byLeft' \(2\)/,
  );
  assert.throws(() => joinAsofPlan(left, right, { on: "t", tolerance: -1 }), /'tolerance'/);
  assert.throws(
    () => joinAsofPlan(left, right, { on: "t", strategy: "closest" as "nearest" }),
    /'strategy' must be one of/,
  );
  assert.throws(() => joinAsofPlan(left, right, { on: "" }), /'on' must be a column name/);
});
