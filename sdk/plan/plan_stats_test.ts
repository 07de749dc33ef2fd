import assert from "node:assert/strict";
import type { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import { DataType, type Schema } from "../datatypes.ts";
import { callMethod } from "../expr/call.ts";
import { col, lit } from "../functions.ts";
import { scanHandlePlan, selectPlan, withColumnsPlan } from "./plan.ts";
import {
  describePlan,
  fillNanPlan,
  fillNullPlan,
  reversePlan,
  shiftAndFillPlan,
  shiftPlan,
  statisticPlan,
} from "./plan_stats.ts";

const scan = scanHandlePlan("t.x");
const schema: Schema = {
  i: DataType.Int64,
  f: DataType.Float32,
  s: DataType.String,
  d: DataType.Date,
  l: DataType.List(DataType.Int64),
  st: DataType.Struct({ a: DataType.Bool }),
};

function exprs(plan: Plan): unknown[] {
  const node = plan.node;
  assert.ok(node?.$case === "select" || node?.$case === "withColumns");
  return node.value.exprs;
}

Deno.test("statisticPlan() computes supported types and gives typed nulls elsewhere", () => {
  const protos = (e: ReturnType<typeof col>) => e.toProtos();
  assert.deepEqual(exprs(statisticPlan("max")(scan, schema)), [
    ...protos(col("i").max()),
    ...protos(col("f").max()),
    ...protos(col("s").max()),
    ...protos(col("d").max()),
    ...protos(lit(null, schema.l).alias("l")),
    ...protos(lit(null, schema.st).alias("st")),
  ]);
  assert.deepEqual(exprs(statisticPlan("sum")(scan, schema)), [
    ...protos(col("i").sum()),
    ...protos(col("f").sum()),
    ...protos(lit(null, DataType.String).alias("s")),
    ...protos(lit(null, DataType.Date).alias("d")),
    ...protos(lit(null, schema.l).alias("l")),
    ...protos(lit(null, schema.st).alias("st")),
  ]);
  const std0 = exprs(statisticPlan("std", { ddof: 0 })(scan, { i: DataType.Int64 }));
  assert.deepEqual(std0, col("i").std(0).toProtos());
  const q = exprs(
    statisticPlan("quantile", { quantile: 0.3, interpolation: "linear" })(scan, {
      d: DataType.Date,
      b: DataType.Bool,
    }),
  );
  assert.deepEqual(q, [
    ...col("d").quantile(0.3, "linear").toProtos(),
    ...lit(null, DataType.Bool).alias("b").toProtos(),
  ]);
});

Deno.test("statisticPlan() checks its arguments before any schema is known", () => {
  assert.throws(() => statisticPlan("quantile", { quantile: 1.5 }), RangeError);
  assert.throws(
    () => statisticPlan("quantile", { quantile: 0.5, interpolation: "cubic" as "linear" }),
    /'interpolation' must be one of/,
  );
  assert.throws(() => statisticPlan("std", { ddof: -1 }), /'ddof'/);
});

Deno.test("fillNanPlan() fills the float columns only, and leaves a frame without any alone", () => {
  assert.deepEqual(
    fillNanPlan(0)(scan, { a: DataType.Float64, i: DataType.Int64, b: DataType.Float32 }),
    withColumnsPlan(scan, [callMethod(col(["a", "b"]), "fillNan", [lit(0)])]),
  );
  assert.equal(fillNanPlan(col("x"))(scan, { i: DataType.Int64 }), scan);
  assert.throws(() => fillNanPlan({} as number), /'fillValue' must be/);
});

Deno.test("fillNull, shift, shiftAndFill and reverse apply to every column", () => {
  assert.deepEqual(
    fillNullPlan(scan, "z"),
    selectPlan(scan, [callMethod(col("*"), "fillNull", [lit("z")])]),
  );
  assert.deepEqual(
    fillNullPlan(scan, col("a")),
    selectPlan(scan, [callMethod(col("*"), "fillNull", [col("a")])]),
  );
  assert.deepEqual(shiftPlan(scan, -2), selectPlan(scan, [callMethod(col("*"), "shift", [-2])]));
  assert.deepEqual(
    shiftAndFillPlan(scan, 1, 0.5),
    selectPlan(scan, [callMethod(col("*"), "shiftAndFill", [1, 0.5])]),
  );
  assert.deepEqual(reversePlan(scan), selectPlan(scan, [callMethod(col("*"), "reverse")]));
  assert.throws(() => shiftPlan(scan, 1.5), /'periods' must be an integer/);
  assert.throws(() => shiftAndFillPlan(scan, 1, "x" as unknown as number), /'fillValue'/);
});

Deno.test("describePlan() stacks mean, std, min, max and median rows after a label column", () => {
  const plan = describePlan(scan, { n: DataType.Int32, s: DataType.String });
  assert.ok(plan.node?.$case === "concat");
  const rows = plan.node.value.inputs;
  assert.equal(rows.length, 5);
  assert.deepEqual(exprs(rows[1]!), [
    ...lit("std").alias("describe").toProtos(),
    ...col("n").std(1).cast(DataType.Float64).alias("n").toProtos(),
    ...lit(null, DataType.String).alias("s").toProtos(),
  ]);
  assert.deepEqual(exprs(rows[2]!)[2], col("s").min().toProto());
});
