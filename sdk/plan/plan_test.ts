import assert from "node:assert/strict";
import {
  FileFormat,
  JoinMaintainOrder,
  JoinType,
  Plan,
  UniqueKeep,
} from "../../shared/gen/polaroid/v1/plan.ts";
import { DataType } from "../datatypes.ts";
import { col } from "../functions.ts";
import {
  castPlan,
  dropPlan,
  filterPlan,
  groupByPlan,
  headPlan,
  type JoinOptions,
  joinPlan,
  renamePlan,
  scanFilePlan,
  scanHandlePlan,
  selectPlan,
  slicePlan,
  sortPlan,
  tailPlan,
  uniquePlan,
  withColumnsPlan,
} from "./plan.ts";

const scan = scanFilePlan({ format: FileFormat.FILE_FORMAT_PARQUET, path: "t.parquet" });
const other = scanHandlePlan("default.abcdefghijklmnopqrstuvwxyz");

function node<K extends NonNullable<Plan["node"]>["$case"]>(
  plan: Plan,
  kind: K,
): Extract<NonNullable<Plan["node"]>, { $case: K }>["value"] {
  assert.equal(plan.node?.$case, kind);
  // The plan also survives the wire.
  assert.deepEqual(Plan.toJSON(Plan.decode(Plan.encode(plan).finish())), Plan.toJSON(plan));
  return (plan.node as unknown as { value: never }).value;
}

Deno.test("scanFilePlan() and scanHandlePlan() make Scan nodes", () => {
  assert.deepEqual(node(scan, "scan").source, {
    $case: "file",
    value: { format: FileFormat.FILE_FORMAT_PARQUET, path: "t.parquet" },
  });
  assert.deepEqual(node(other, "scan").source, {
    $case: "handle",
    value: "default.abcdefghijklmnopqrstuvwxyz",
  });
  assert.throws(
    () => scanFilePlan({ format: FileFormat.FILE_FORMAT_CSV, path: "" }),
    /'path' must be a non-empty/,
  );
});

Deno.test("filterPlan() takes an Expr or a column name", () => {
  assert.deepEqual(
    node(filterPlan(scan, col("a").gt(1)), "filter").predicate,
    col("a").gt(1).toProto(),
  );
  assert.deepEqual(node(filterPlan(scan, "flag"), "filter").predicate, col("flag").toProto());
  assert.equal(node(filterPlan(scan, "flag"), "filter").input, scan);
});

Deno.test("selectPlan() and withColumnsPlan() flatten their selections", () => {
  assert.deepEqual(node(selectPlan(scan, ["a", [col("b")]]), "select").exprs, [
    col("a").toProto(),
    col("b").toProto(),
  ]);
  assert.deepEqual(node(withColumnsPlan(scan, [col("a").alias("c")]), "withColumns").exprs, [
    col("a").alias("c").toProto(),
  ]);
});

Deno.test("sortPlan() positional and options forms build the same node", () => {
  const positional = node(sortPlan(scan, ["a", "b"], [true, false], true, true), "sort");
  const options = node(
    sortPlan(scan, {
      by: ["a", "b"],
      descending: [true, false],
      nullsLast: true,
      maintainOrder: true,
    }),
    "sort",
  );
  assert.deepEqual(positional, options);
  assert.deepEqual(positional.by, [col("a").toProto(), col("b").toProto()]);
  assert.deepEqual(positional.descending, [true, false]);
  assert.equal(positional.nullsLast, true);
  assert.equal(positional.maintainOrder, true);
});

Deno.test("sortPlan() defaults to ascending, nulls first, any order", () => {
  const sort = node(sortPlan(scan, col("a")), "sort");
  assert.deepEqual(sort.descending, [false]);
  assert.equal(sort.nullsLast, false);
  assert.equal(sort.maintainOrder, false);
  assert.deepEqual(node(sortPlan(scan, "a", true), "sort").descending, [true]);
});

Deno.test("sortPlan() rejects flags that do not match the keys", () => {
  assert.throws(
    () => sortPlan(scan, ["a", "b"], [true, false, true]),
    /one flag or one per key \(2\)/,
  );
  assert.throws(
    () => sortPlan(scan, ["a", "b"], false, [true, false]),
    /'nullsLast' must be one value/,
  );
  assert.throws(() => sortPlan(scan, []), /at least one column/);
});

Deno.test("joinPlan() with 'on' uses the same keys on both sides", () => {
  const join = node(joinPlan(scan, other, { on: ["k1", "k2"] }), "join");
  assert.equal(join.how, JoinType.JOIN_TYPE_INNER);
  assert.deepEqual(join.leftOn, [col("k1").toProto(), col("k2").toProto()]);
  assert.deepEqual(join.rightOn, join.leftOn);
  // Unset: the server applies nodejs-polars' defaults ("right", coalescing by join type).
  assert.equal(join.suffix, undefined);
  assert.equal(join.coalesce, undefined);
  assert.equal(join.left, scan);
  assert.equal(join.right, other);
});

Deno.test("joinPlan() with leftOn/rightOn keeps each side's keys", () => {
  const join = node(
    joinPlan(scan, other, { leftOn: "a", rightOn: col("b"), how: "left", suffix: "_r" }),
    "join",
  );
  assert.equal(join.how, JoinType.JOIN_TYPE_LEFT);
  assert.deepEqual(join.leftOn, [col("a").toProto()]);
  assert.deepEqual(join.rightOn, [col("b").toProto()]);
  assert.equal(join.suffix, "_r");
});

Deno.test("joinPlan() maps 'outer' to FULL and passes coalesce", () => {
  const outer = node(joinPlan(scan, other, { on: "k", how: "outer" }), "join");
  assert.equal(outer.how, JoinType.JOIN_TYPE_FULL);
  assert.equal(outer.coalesce, undefined);
  const full = node(joinPlan(scan, other, { on: "k", how: "full", coalesce: true }), "join");
  assert.equal(full.how, JoinType.JOIN_TYPE_FULL);
  assert.equal(full.coalesce, true);
  for (
    const [how, type] of [["semi", JoinType.JOIN_TYPE_SEMI], [
      "anti",
      JoinType.JOIN_TYPE_ANTI,
    ]] as const
  ) {
    assert.equal(node(joinPlan(scan, other, { on: "k", how }), "join").how, type);
  }
});

Deno.test("joinPlan() cross join needs no keys; others need them", () => {
  const cross = node(joinPlan(scan, other, { how: "cross" }), "join");
  assert.equal(cross.how, JoinType.JOIN_TYPE_CROSS);
  assert.deepEqual(cross.leftOn, []);
  assert.throws(() => joinPlan(scan, other, {}), /'on' or both 'leftOn' and 'rightOn'/);
  assert.throws(() => joinPlan(scan, other, { leftOn: "a" }), /'on' or both/);
  assert.throws(() => joinPlan(scan, other, { leftOn: ["a", "b"], rightOn: "a" }), /as many keys/);
  assert.throws(
    () => joinPlan(scan, other, { on: "k", how: "right" as "left" }),
    /'how' must be one of/,
  );
  // A name the record's prototype has is not a join type.
  assert.throws(
    () => joinPlan(scan, other, { on: "k", how: "constructor" as "left" }),
    /'how' must be one of/,
  );
});

Deno.test("joinPlan() sends maintainOrder and refuses an unknown one", () => {
  const order = (maintainOrder?: unknown) =>
    node(joinPlan(scan, other, { on: "k", maintainOrder } as JoinOptions), "join").maintainOrder;
  assert.equal(order(), JoinMaintainOrder.JOIN_MAINTAIN_ORDER_UNSPECIFIED);
  assert.equal(order("none"), JoinMaintainOrder.JOIN_MAINTAIN_ORDER_UNSPECIFIED);
  assert.equal(order("left"), JoinMaintainOrder.JOIN_MAINTAIN_ORDER_LEFT);
  assert.equal(order("right"), JoinMaintainOrder.JOIN_MAINTAIN_ORDER_RIGHT);
  assert.equal(order("left_right"), JoinMaintainOrder.JOIN_MAINTAIN_ORDER_LEFT_RIGHT);
  assert.equal(order("right_left"), JoinMaintainOrder.JOIN_MAINTAIN_ORDER_RIGHT_LEFT);
  const cross = joinPlan(scan, other, { how: "cross", maintainOrder: "left_right" });
  assert.equal(node(cross, "join").maintainOrder, JoinMaintainOrder.JOIN_MAINTAIN_ORDER_LEFT_RIGHT);
  for (const bad of ["sideways", "toString", 1, true, ["left"]]) {
    assert.throws(() => order(bad), /'maintainOrder' must be one of none, left, right/);
  }
});

Deno.test("slicePlan(), headPlan() and tailPlan() carry exact counts", () => {
  const slice = node(slicePlan(scan, -3, 2), "slice");
  assert.equal(slice.offset, -3n);
  assert.equal(slice.length, 2n);
  assert.equal(node(slicePlan(scan, 4), "slice").length, undefined);
  const head = node(headPlan(scan, 7), "slice");
  assert.equal(head.offset, 0n);
  assert.equal(head.length, 7n);
  assert.equal(node(tailPlan(scan, 3), "tail").n, 3n);
  assert.throws(() => headPlan(scan, -1), /'n' must be a non-negative integer/);
  assert.throws(() => slicePlan(scan, 1.5), /'offset' must be an integer/);
  assert.throws(() => slicePlan(scan, 0, -2), /'length' must be a non-negative integer/);
});

Deno.test("uniquePlan() accepts all its forms", () => {
  const expected = { subset: ["a", "b"], keep: UniqueKeep.UNIQUE_KEEP_FIRST, maintainOrder: true };
  const pick = (p: Plan) => {
    const { subset, keep, maintainOrder } = node(p, "unique");
    return { subset, keep, maintainOrder };
  };
  assert.deepEqual(pick(uniquePlan(scan, true, ["a", "b"], "first")), expected);
  assert.deepEqual(pick(uniquePlan(scan, ["a", "b"], "first", true)), expected);
  assert.deepEqual(
    pick(uniquePlan(scan, { subset: ["a", "b"], keep: "first", maintainOrder: true })),
    expected,
  );
  assert.deepEqual(pick(uniquePlan(scan)), {
    subset: [],
    keep: UniqueKeep.UNIQUE_KEEP_ANY,
    maintainOrder: false,
  });
  assert.deepEqual(pick(uniquePlan(scan, "a")).subset, ["a"]);
  assert.throws(() => uniquePlan(scan, "a", "sometimes" as "any"), /'keep' must be one of/);
});

Deno.test("groupByPlan(), dropPlan(), renamePlan() and castPlan() build their nodes", () => {
  const group = node(
    groupByPlan(scan, ["k", col("j")], [col("v").sum(), [col("w").max()]], true),
    "groupBy",
  );
  assert.deepEqual(group.keys, [col("k").toProto(), col("j").toProto()]);
  assert.deepEqual(group.aggs, [col("v").sum().toProto(), col("w").max().toProto()]);
  assert.equal(group.maintainOrder, true);
  assert.deepEqual(node(dropPlan(scan, ["a", ["b", "c"]]), "drop").columns, ["a", "b", "c"]);
  assert.deepEqual(node(renamePlan(scan, { a: "x" }), "rename").mapping, { a: "x" });
  const cast = node(castPlan(scan, { a: DataType.Int32, t: DataType.Datetime("us") }), "cast");
  assert.deepEqual(cast.dtypes, {
    a: DataType.Int32.toProto(),
    t: DataType.Datetime("us").toProto(),
  });
  assert.equal(cast.strict, true);
  assert.equal(node(castPlan(scan, {}, false), "cast").strict, false);
  assert.throws(
    () => castPlan(scan, { a: "Int32" as unknown as DataType }),
    /'a' must map to a DataType/,
  );
  assert.throws(() => dropPlan(scan, [1 as unknown as string]), /column names must be strings/);
});
