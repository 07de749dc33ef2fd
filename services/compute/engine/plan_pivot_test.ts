import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { LimitExceededError } from "../../../shared/errors.ts";
import { type Pivot, PivotAgg, type Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { assertFramesEqual, P, run, testContext, testLimits } from "./_testing.ts";
import { planSchema } from "./run.ts";

const { maxPivotCells: MAX_PIVOT_CELLS, maxPivotColumns: MAX_PIVOT_COLUMNS } = testLimits();

function sales(): pl.DataFrame {
  return pl.DataFrame({
    store: ["a", "a", "b", "b", "a", "c"],
    month: ["jan", "feb", "jan", "jan", "jan", "feb"],
    qty: [1, 2, 3, 4, 5, 6],
    price: [1.5, 2.5, 3.5, 4.5, 5.5, 6.5],
  });
}

function pivot(extra: Partial<Pivot>): Plan {
  return {
    node: {
      $case: "pivot",
      value: {
        input: P.handle("s"),
        values: ["qty"],
        index: ["store"],
        on: ["month"],
        aggregate: PivotAgg.PIVOT_AGG_UNSPECIFIED,
        maintainOrder: true,
        sortColumns: false,
        ...extra,
      },
    },
  };
}

Deno.test("runPlan() pivots as nodejs-polars' DataFrame.pivot does", async () => {
  const frames = { s: sales() };
  assertFramesEqual(
    await run(pivot({}), frames),
    sales().pivot("qty", { index: "store", on: "month" }),
  );
  assertFramesEqual(
    await run(
      pivot({
        values: ["qty", "price"],
        aggregate: PivotAgg.PIVOT_AGG_SUM,
        sortColumns: true,
        separator: "|",
      }),
      frames,
    ),
    sales().pivot(["qty", "price"], {
      index: "store",
      on: "month",
      aggregateFunc: "sum",
      sortColumns: true,
      separator: "|",
    }),
  );
  assertFramesEqual(
    await run(pivot({ values: [], aggregate: PivotAgg.PIVOT_AGG_COUNT }), frames),
    sales().pivot(["qty", "price"], { index: "store", on: "month", aggregateFunc: "count" }),
  );
});

Deno.test("planSchema() of a pivot has the columns the data gives", async () => {
  const schema = await planSchema(pivot({}), testContext({ s: sales() }));
  assert.deepEqual(schema.fields.map((f) => f.name), ["store", "jan", "feb"]);
});

Deno.test("runPlan() refuses a pivot with more output columns than the bound", async () => {
  const wide = pl.DataFrame({
    k: Array.from({ length: MAX_PIVOT_COLUMNS + 1 }, () => "x"),
    on: Array.from({ length: MAX_PIVOT_COLUMNS + 1 }, (_, i) => `c${i}`),
    v: Array.from({ length: MAX_PIVOT_COLUMNS + 1 }, (_, i) => i),
  });
  await assert.rejects(
    run(pivot({ values: ["v"], index: ["k"], on: ["on"] }), { s: wide }),
    (e) => e instanceof LimitExceededError && /at most 10000 columns/.test(e.message),
  );
});

Deno.test("runPlan() refuses a pivot with more output cells than the bound", async () => {
  // 9999 `on` values and 20003 index values: 9999 columns × 20003 rows > 2e8 cells.
  const rows = 20_003;
  const tall = pl.DataFrame({
    k: Array.from({ length: rows }, (_, i) => i),
    on: Array.from({ length: rows }, (_, i) => `c${i % 9998}`),
    v: Array.from({ length: rows }, (_, i) => i),
  });
  await assert.rejects(
    run(pivot({ values: ["v"], index: ["k"], on: ["on"] }), { s: tall }),
    (e) =>
      e instanceof LimitExceededError &&
      e.message.includes(`at most ${MAX_PIVOT_CELLS} cells: current value is ${9999 * rows}`),
  );
});
