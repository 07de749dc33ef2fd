import assert from "node:assert/strict";
import { E, JoinType, P, testLimits } from "./_testing.ts";
import { analyzePlan } from "./analyze.ts";
import { MAX_OUTLINE_CHARS, planOutline } from "./outline.ts";

const limits = testLimits();
const cross = { how: JoinType.JOIN_TYPE_CROSS };

Deno.test("planOutline() lists a chain's nodes in the order data flows", () => {
  const plan = P.select(P.filter(P.handle("t.a"), E.col("x")), [E.col("x")]);
  assert.equal(planOutline(analyzePlan(plan, limits)), "scan → filter → select");
});

Deno.test("planOutline() lists each input of a join and leaves values out", () => {
  const plan = P.join(
    P.filter(P.handle("t.secret"), E.lit({ $case: "string", value: "password" })),
    P.handle("t.b"),
    cross,
  );
  const outline = planOutline(analyzePlan(plan, limits));
  assert.equal(outline, "join(scan → filter, scan)");
  assert.doesNotMatch(outline, /secret|password/);
});

Deno.test("planOutline() cuts a long plan's outline", () => {
  let plan = P.handle("t.a");
  for (let i = 0; i < 200; i++) plan = P.filter(plan, E.col("x"));
  const outline = planOutline(analyzePlan(plan, { ...limits, maxPlanNodes: 10_000 }));
  assert.equal(outline.length, MAX_OUTLINE_CHARS);
  assert.ok(outline.endsWith("…"));
});
