import assert from "node:assert/strict";
import type { Expr as ProtoExpr } from "../shared/gen/polaroid/v1/expr.ts";
import { Expr } from "./expr/expr.ts";
import { col, lit } from "./functions.ts";
import { when } from "./when.ts";

Deno.test("when().then().when().then().otherwise() builds one WhenThen with two branches", () => {
  const expr = when(col("a").gt(0)).then("pos").when(col("a").lt(0)).then(lit("neg")).otherwise(
    "zero",
  );
  assert.deepEqual(expr.toProto(), {
    kind: {
      $case: "when",
      value: {
        branches: [
          { when: col("a").gt(0).toProto(), then: lit("pos").toProto() },
          { when: col("a").lt(0).toProto(), then: lit("neg").toProto() },
        ],
        otherwise: lit("zero").toProto(),
      },
    },
  });
});

Deno.test("when().then() without otherwise() is an Expr whose otherwise is absent", () => {
  const then = when("flag").then(col("x"));
  assert.ok(then instanceof Expr);
  const proto = then.alias("y").toProto();
  assert.ok(proto.kind?.$case === "alias");
  const inner = proto.kind.value.input as ProtoExpr;
  assert.ok(inner.kind?.$case === "when");
  assert.equal(inner.kind.value.otherwise, undefined);
  assert.deepEqual(inner.kind.value.branches, [{
    when: col("flag").toProto(),
    then: col("x").toProto(),
  }]);
});

Deno.test("when() branches do not leak between chains built from one prefix", () => {
  const base = when(col("a").eq(1)).then(1);
  const left = base.when(col("a").eq(2)).then(2).otherwise(0).toProto();
  const right = base.otherwise(9).toProto();
  assert.ok(left.kind?.$case === "when" && right.kind?.$case === "when");
  assert.equal(left.kind.value.branches.length, 2);
  assert.equal(right.kind.value.branches.length, 1);
});
