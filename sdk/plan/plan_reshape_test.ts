import assert from "node:assert/strict";
import { ConcatHow, PivotAgg, Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import { col } from "../functions.ts";
import { scanHandlePlan } from "./plan.ts";
import {
  cachePlan,
  concatPlan,
  dropNullsPlan,
  explodePlan,
  pivotPlan,
  unnestPlan,
  unpivotPlan,
  withRowIndexPlan,
} from "./plan_reshape.ts";

const scan = scanHandlePlan("t.x");

function node<K extends NonNullable<Plan["node"]>["$case"]>(
  plan: Plan,
  kind: K,
): Extract<NonNullable<Plan["node"]>, { $case: K }>["value"] {
  assert.equal(plan.node?.$case, kind);
  // The plan also survives the wire.
  assert.deepEqual(Plan.toJSON(Plan.decode(Plan.encode(plan).finish())), Plan.toJSON(plan));
  return (plan.node as unknown as { value: never }).value;
}

Deno.test("explodePlan() takes names, arrays and expressions; none means every column", () => {
  assert.deepEqual(node(explodePlan(scan, ["a", [col("b")]]), "explode").columns, [
    col("a").toProto(),
    col("b").toProto(),
  ]);
  assert.deepEqual(node(explodePlan(scan, []), "explode").columns, []);
  assert.throws(() => explodePlan(scan, [3 as unknown as string]), TypeError);
});

Deno.test("unpivotPlan() records index, on and the optional names", () => {
  assert.deepEqual(node(unpivotPlan(scan, "id", ["a", "b"]), "unpivot"), {
    input: scan,
    index: ["id"],
    on: ["a", "b"],
    variableName: undefined,
    valueName: undefined,
  });
  const named = node(unpivotPlan(scan, [], [], { variableName: "k", valueName: null }), "unpivot");
  assert.deepEqual([named.variableName, named.valueName], ["k", undefined]);
  assert.throws(() => unpivotPlan(scan, "id", "a", { valueName: "" }), /'valueName' must be/);
  assert.throws(() => unpivotPlan(scan, [1 as unknown as string], "a"), /names must be strings/);
});

Deno.test("unnestPlan(), withRowIndexPlan(), dropNullsPlan() and cachePlan() build their nodes", () => {
  assert.deepEqual(node(unnestPlan(scan, "s", "."), "unnest"), {
    input: scan,
    columns: ["s"],
    separator: ".",
  });
  assert.throws(() => unnestPlan(scan, []), /at least one column/);
  assert.deepEqual(node(withRowIndexPlan(scan), "withRowIndex"), {
    input: scan,
    name: "index",
    offset: 0n,
  });
  assert.equal(
    node(withRowIndexPlan(scan, "id", 2 ** 32 - 1), "withRowIndex").offset,
    2n ** 32n - 1n,
  );
  for (const offset of [-1, 2 ** 32, 1.5, NaN]) {
    assert.throws(() => withRowIndexPlan(scan, "id", offset), RangeError);
  }
  assert.throws(() => withRowIndexPlan(scan, ""), /'name' must be a non-empty string/);
  assert.deepEqual(node(dropNullsPlan(scan, ["a", ["b", "c"]]), "dropNulls").subset, [
    "a",
    "b",
    "c",
  ]);
  assert.deepEqual(node(dropNullsPlan(scan, []), "dropNulls").subset, []);
  assert.deepEqual(node(cachePlan(scan), "cache"), { input: scan });
});

Deno.test("concatPlan() maps nodejs-polars' `how` names and refuses others", () => {
  const hows = {
    vertical: ConcatHow.CONCAT_HOW_VERTICAL,
    verticalRelaxed: ConcatHow.CONCAT_HOW_VERTICAL_RELAXED,
    horizontal: ConcatHow.CONCAT_HOW_HORIZONTAL,
    diagonal: ConcatHow.CONCAT_HOW_DIAGONAL,
    diagonalRelaxed: ConcatHow.CONCAT_HOW_DIAGONAL_RELAXED,
  } as const;
  for (const [how, value] of Object.entries(hows)) {
    assert.equal(node(concatPlan([scan, scan], { how: how as "vertical" }), "concat").how, value);
  }
  assert.deepEqual(node(concatPlan([scan]), "concat"), {
    inputs: [scan],
    how: ConcatHow.CONCAT_HOW_VERTICAL,
    rechunk: false,
    parallel: true,
  });
  // The aligning modes (side by side, matched on the common columns).
  assert.equal(
    (concatPlan([scan, scan], { how: "alignLeft" }).node?.value as { how: number }).how,
    ConcatHow.CONCAT_HOW_ALIGN_LEFT,
  );
  assert.throws(() => concatPlan([scan], { how: "zigzag" as "vertical" }), /'how' must be one of/);
  assert.throws(() => concatPlan([]), /must not be empty/);
});

Deno.test("pivotPlan() takes both nodejs-polars forms, with its defaults", () => {
  const a = pivotPlan(scan, "v", { index: "k", on: ["c"] });
  const b = pivotPlan(scan, { values: ["v"], index: ["k"], on: "c" });
  assert.deepEqual(a, b);
  assert.deepEqual(node(a, "pivot"), {
    input: scan,
    values: ["v"],
    index: ["k"],
    on: ["c"],
    aggregate: PivotAgg.PIVOT_AGG_FIRST,
    maintainOrder: true,
    sortColumns: false,
    separator: undefined,
  });
  const sum = node(
    pivotPlan(scan, "v", { index: "k", on: "c", aggregateFunc: "count", separator: "|" }),
    "pivot",
  );
  assert.deepEqual([sum.aggregate, sum.separator], [PivotAgg.PIVOT_AGG_COUNT, "|"]);
  assert.throws(
    () => pivotPlan(scan, "v", { index: "k", on: "c", aggregateFunc: "mode" as "sum" }),
    /'aggregateFunc' must be one of/,
  );
  assert.throws(
    () =>
      pivotPlan(scan, "v", { index: "k", on: "c", aggregateFunc: col("v") as unknown as "sum" }),
    /Expr is not supported/,
  );
  assert.throws(() => pivotPlan(scan, "v", { index: "k", on: [] }), /'on' must name/);
  assert.throws(() => pivotPlan(scan, "v", { index: [], on: "c" }), /'index' must name/);
});
