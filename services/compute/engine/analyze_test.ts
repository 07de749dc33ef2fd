import assert from "node:assert/strict";
import { BinaryOp } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { E, FileFormat, JoinType, P, testLimits } from "./_testing.ts";
import { analyzePlan } from "./analyze.ts";
import { A, m } from "./functions/string_testing.ts";

const limits = testLimits();
const cross = { how: JoinType.JOIN_TYPE_CROSS };
const sql = (query: string, tables: Record<string, Plan>, ownedHandles: boolean): Plan => ({
  node: { $case: "sql", value: { query, tables, ownedHandles } },
});

Deno.test("analyzePlan() gathers handles, files and owned SQL in one pass", () => {
  const file = P.file(FileFormat.FILE_FORMAT_PARQUET, "a.parquet");
  const plan = P.join(
    P.join(P.handle("t.b"), P.handle("t.a"), cross),
    P.join(P.filter(P.handle("t.b"), E.col("x")), file, cross),
    cross,
  );
  const analysis = analyzePlan(plan, limits);
  assert.deepEqual(analysis.handleIds, ["t.b", "t.a"]);
  assert.deepEqual(analysis.files.map((f) => f.path), ["a.parquet"]);
  assert.equal(analysis.cacheable, false, "a file may change under its path");
  assert.deepEqual(analysis.ownedSql, []);
  assert.equal(analyzePlan(P.slice(P.handle("t.a"), 0n, 5n), limits).cacheable, true);
  const owned = sql("SELECT * FROM trades", {}, true);
  const withSql = analyzePlan(P.select(owned, [E.col("x")]), limits);
  assert.deepEqual(withSql.ownedSql, [owned.node!.value]);
  assert.equal(withSql.cacheable, false);
});

Deno.test("analyzePlan() lists nodes parents first, each with its inputs in order", () => {
  const [a, b] = [P.handle("t.a"), P.handle("t.b")];
  const plan = P.select(P.join(a, P.tail(b, 3n), cross), [E.col("x")]);
  const { nodes, shape } = analyzePlan(plan, limits);
  assert.deepEqual(nodes.map((n) => n.plan.node!.$case), [
    "select",
    "join",
    "scan",
    "tail",
    "scan",
  ]);
  assert.deepEqual(nodes.map((n) => n.inputs), [[1], [2, 3], [], [4], []]);
  assert.equal(nodes[2]!.plan, a);
  assert.deepEqual([shape.nodes, shape.planDepth, shape.exprDepth], [6, 4, 1]);
});

Deno.test("analyzePlan() refuses a literal over maxLiteralBytes and literals over maxPlanLiteralBytes", () => {
  const T = P.handle("t");
  const small = testLimits({ maxLiteralBytes: 1000, maxPlanLiteralBytes: 2500 });
  analyzePlan(P.select(T, [E.str("x".repeat(1000))]), small);
  assert.throws(
    () => analyzePlan(P.select(T, [E.str("é".repeat(501))]), small),
    /literal must hold at most 1000 bytes \(POLAROID_MAX_LITERAL_BYTES\): current value is 1002/,
  );
  // A list argument is one literal: its items together.
  const isIn = m("isIn", E.col("s"), [
    A.list(...Array.from({ length: 200 }, () => A.str("abcdef"))),
  ]);
  assert.throws(() => analyzePlan(P.filter(T, isIn), small), /current value is 1200/);
  const three = Array.from({ length: 3 }, () => E.str("y".repeat(900)));
  assert.throws(
    () => analyzePlan(P.select(T, three), small),
    /literals must hold at most 2500 bytes together \(POLAROID_MAX_PLAN_LITERAL_BYTES\): current value is more than 2700/,
  );
  assert.equal(analyzePlan(P.select(T, three.slice(0, 2)), small).literalBytes, 1800);
  // An inline Series (pl.litSeries) is a literal too: refused before it is built.
  const series = {
    kind: {
      $case: "function" as const,
      value: {
        name: "pl.litSeries",
        args: [A.list(...Array.from({ length: 300 }, () => A.str("abcdef")))],
        options: { name: A.str("s") },
      },
    },
  };
  assert.throws(
    () => analyzePlan(P.select(T, [series]), small),
    /literal must hold at most 1000 bytes \(POLAROID_MAX_LITERAL_BYTES\)/,
  );
});

Deno.test("analyzePlan() marks the nodes whose expressions make values or bytes", () => {
  const T = P.handle("t");
  const sized = (plan: Plan) => analyzePlan(plan, limits).nodes[0]!.facts.sized;
  assert.equal(sized(P.withColumns(T, [E.str("label")])), true);
  assert.equal(sized(P.select(T, [m("abs", E.col("a"))])), false);
  const range = {
    kind: {
      $case: "function" as const,
      value: { name: "pl.intRange", args: [A.int(0), A.int(9)], options: {} },
    },
  };
  assert.equal(sized(P.select(T, [range])), true);
  assert.equal(sized(P.filter(T, E.bin(BinaryOp.BINARY_OP_EQ, E.col("s"), E.str("abc")))), false);
  assert.equal(sized(P.withColumns(T, [m("str.contains", E.col("s"), [A.e(E.str("a"))])])), false);
  assert.equal(sized(P.select(T, [E.col("a")])), false);
});
