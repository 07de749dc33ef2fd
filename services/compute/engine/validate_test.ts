import assert from "node:assert/strict";
import { AggKind, BinaryOp } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { dtype, E, FileFormat, JoinType, Kind, P, testLimits, UniqueKeep } from "./_testing.ts";
import { ENGINE_MAX_DEPTH, inspectPlan, validatePlan } from "./validate.ts";
import { analyzePlan } from "./analyze.ts";

// Handle ids of plans of any size (the analysis gathers them while it checks).
const unbounded = testLimits({ maxPlanDepth: 1_000_000, maxPlanNodes: 1_000_000 });
const planHandleIds = (plan: Plan) => analyzePlan(plan, unbounded).handleIds;

const T = P.handle("t");
// Validation is checked at a depth above the engine's own cap, which run-time tests cover.
const limits = testLimits({ maxPlanDepth: 5000 });

function filterChain(depth: number): Plan {
  let plan = T;
  for (let i = 1; i < depth; i++) plan = P.filter(plan, E.col("x"));
  return plan;
}

function addChain(depth: number): Expr {
  let expr = E.col("x");
  for (let i = 1; i < depth; i++) expr = E.bin(BinaryOp.BINARY_OP_ADD, expr, E.col("x"));
  return expr;
}

function invalid(plan: Plan, message: RegExp): void {
  assert.throws(() => validatePlan(plan, limits), { name: "InvalidPlanError", message });
}

Deno.test("validatePlan() accepts a 5000-deep plan without overflowing the stack", () => {
  const plan = filterChain(5000);
  validatePlan(plan, limits);
  const shape = inspectPlan(plan, limits);
  assert.deepStrictEqual([shape.planDepth, shape.exprDepth, shape.combinedDepth], [5000, 1, 5000]);
  assert.equal(shape.nodes, 5000 + 4999);
});

Deno.test("validatePlan() refuses plans nested deeper than maxPlanDepth", () => {
  assert.throws(() => validatePlan(filterChain(5001), limits), {
    name: "LimitExceededError",
    message: /at most 5000 deep/,
  });
  assert.throws(() => validatePlan(P.select(T, [addChain(5001)]), limits), {
    name: "LimitExceededError",
  });
  // Far deeper than any stack: still a clean error.
  assert.throws(() => validatePlan(filterChain(200_000), limits), { name: "LimitExceededError" });
});

Deno.test("validatePlan() refuses plans with more than maxPlanNodes nodes", () => {
  const plan = P.select(T, Array.from({ length: 20 }, () => E.col("x")));
  validatePlan(plan, testLimits({ maxPlanNodes: 22 }));
  assert.throws(() => validatePlan(plan, testLimits({ maxPlanNodes: 21 })), {
    name: "LimitExceededError",
    message: /at most 21 nodes/,
  });
});

Deno.test("inspectPlan() measures plan and expression nesting together", () => {
  const shape = inspectPlan(P.select(filterChain(10), [addChain(30)]), limits);
  assert.deepStrictEqual([shape.planDepth, shape.exprDepth, shape.combinedDepth], [11, 30, 31]);
  assert.ok(ENGINE_MAX_DEPTH < limits.maxPlanDepth);
});

Deno.test("validatePlan() refuses malformed nodes with InvalidPlanError", () => {
  invalid({ node: undefined }, /'plan.node' must be set/);
  invalid(
    { node: { $case: "filter", value: { input: undefined, predicate: E.col("x") } } },
    /filter.input/,
  );
  invalid(
    { node: { $case: "filter", value: { input: T, predicate: undefined } } },
    /filter.predicate/,
  );
  invalid({ node: { $case: "scan", value: { source: undefined } } }, /scan.source/);
  invalid(P.handle(""), /scan.handle/);
  invalid(P.file(FileFormat.FILE_FORMAT_UNSPECIFIED, "a.csv"), /scan.file.format/);
  invalid(P.file(FileFormat.FILE_FORMAT_CSV, "a.csv", { separator: ";;" }), /separator/);
  invalid(P.select(T, [{ kind: undefined }]), /expr.kind/);
  invalid(P.select(T, [E.col("")]), /column.name/);
  invalid(P.select(T, [E.bin(99 as BinaryOp, E.col("x"), E.col("y"))]), /binary.op.*99/);
  invalid(
    P.select(T, [E.bin(BinaryOp.BINARY_OP_UNSPECIFIED, E.col("x"), E.col("y"))]),
    /binary.op/,
  );
  invalid(
    P.select(T, [E.agg(AggKind.AGG_KIND_QUANTILE, E.col("x"), { quantile: 1.5 })]),
    /quantile/,
  );
  invalid(P.select(T, [E.agg(AggKind.AGG_KIND_STD, E.col("x"), { ddof: 300 })]), /ddof/);
  invalid(P.select(T, [E.when([])]), /when.branches/);
  invalid(P.select(T, [E.cast(E.col("x"), dtype(Kind.KIND_LIST))]), /cast.dtype.inner/);
  invalid(P.select(T, [E.cast(E.col("x"), dtype(Kind.KIND_DECIMAL))]), /precision/);
  invalid(P.select(T, [E.cast(E.col("x"), dtype(Kind.KIND_BINARY))]), /BINARY/);
  invalid(
    P.select(T, [E.lit({ $case: "null", value: {} }, dtype(77 as Kind))]),
    /literal.dtype.kind/,
  );
  invalid({
    node: {
      $case: "select",
      value: { input: T, exprs: [{ kind: { $case: "literal", value: { value: undefined } } }] },
    },
  }, /literal.value/);
  invalid(P.sort(T, []), /sort.by/);
  invalid(
    P.sort(T, [E.col("a"), E.col("b"), E.col("c")], { descending: [true, false] }),
    /descending/,
  );
  invalid(P.groupBy(T, [], []), /group_by.keys/);
  invalid(P.join(T, T, { how: JoinType.JOIN_TYPE_INNER }), /left_on/);
  invalid(P.join(T, T, { leftOn: [E.col("a")], rightOn: [] }), /right_on/);
  invalid(
    P.join(T, T, { how: JoinType.JOIN_TYPE_CROSS, leftOn: [E.col("a")], rightOn: [E.col("a")] }),
    /cross/,
  );
  invalid(
    P.join(T, T, { how: 12 as JoinType, leftOn: [E.col("a")], rightOn: [E.col("a")] }),
    /join.how/,
  );
  invalid(P.unique(T, { keep: 9 as UniqueKeep }), /unique.keep/);
  invalid(P.drop(T, [""]), /drop.columns/);
  invalid(P.rename(T, { a: "" }), /rename.mapping/);
  invalid(P.cast(T, { a: dtype(Kind.KIND_UNSPECIFIED) }), /cast.dtypes/);
  // Deep inside a valid plan, too.
  invalid(
    P.select(filterChain(100), [E.alias(E.agg(AggKind.AGG_KIND_SUM, E.col("")), "s")]),
    /column.name/,
  );
});

Deno.test("planHandleIds() lists each handle once, in order of appearance", () => {
  const plan = P.join(
    P.join(P.handle("t.b"), P.handle("t.a"), { how: JoinType.JOIN_TYPE_CROSS }),
    P.filter(P.handle("t.b"), E.col("x")),
    { how: JoinType.JOIN_TYPE_CROSS },
  );
  assert.deepStrictEqual(planHandleIds(plan), ["t.b", "t.a"]);
  assert.deepStrictEqual(planHandleIds(P.file(FileFormat.FILE_FORMAT_CSV, "x.csv")), []);
  assert.deepStrictEqual(planHandleIds(filterChain(100_000)), ["t"]);
});
