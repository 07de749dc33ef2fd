import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { InvalidPlanError, QueryError } from "../../../shared/errors.ts";
import { type StatTest, StatTestKind } from "../../../shared/gen/polaroid/v1/plan.ts";
import { checkStatTest, runStatTest } from "./plan_stat_tests.ts";
import { testLimits } from "./_testing.ts";

const node = (over: Partial<StatTest>): StatTest => ({
  input: undefined,
  kind: StatTestKind.STAT_TEST_KIND_ADF,
  columns: ["v"],
  by: [],
  options: {},
  ...over,
});

Deno.test("checkStatTest() refuses unknown kinds, column counts and options", () => {
  assert.throws(() => checkStatTest(node({ kind: 0 })), InvalidPlanError);
  assert.throws(() => checkStatTest(node({ columns: ["a", "b"] })), /1 columns for adf/);
  assert.throws(
    () => checkStatTest(node({ kind: StatTestKind.STAT_TEST_KIND_COINT, columns: ["y"] })),
    /2 to 6 columns for coint/,
  );
  assert.throws(
    () => checkStatTest(node({ options: { nlags: { value: { $case: "int", value: 2n } } } })),
    /hold only regression, autolag, maxLag/,
  );
  assert.throws(() => checkStatTest(node({ by: [""] })), InvalidPlanError);
  checkStatTest(node({ kind: StatTestKind.STAT_TEST_KIND_JOHANSEN, columns: ["a", "b", "c"] }));
});

Deno.test("runStatTest() gives one row per group, keys first, in group order", async () => {
  const n = 300;
  const lf = pl.DataFrame({
    g: Array.from({ length: n }, (_, i) => (i % 2 ? "odd" : "even")),
    v: Float64Array.from({ length: n }, (_, i) => Math.sin(i / 3) + (i % 7) / 10),
  }).lazy();
  const out = await runStatTest(
    lf,
    node({ kind: StatTestKind.STAT_TEST_KIND_HURST, by: ["g"] }),
    testLimits(),
  );
  assert.deepEqual(out.columns, ["g", "hurst"]);
  assert.deepEqual(out.getColumn("g").toArray(), ["even", "odd"]);
  await assert.rejects(
    runStatTest(lf.head(3), node({}), testLimits()),
    (e: unknown) => e instanceof QueryError && /Cannot run adf/.test(e.message),
  );
});
