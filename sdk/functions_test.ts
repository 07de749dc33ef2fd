import assert from "node:assert/strict";
import { DataType } from "./datatypes.ts";
import { col, cols, len, lit, selectionProtos, singleProto } from "./functions.ts";

Deno.test("col() names one column; cols() several", () => {
  assert.deepEqual(col("a").toProto(), { kind: { $case: "column", value: { name: "a" } } });
  assert.deepEqual(cols("a", "b").toProtos(), col(["a", "b"]).toProtos());
  assert.deepEqual(cols(["a", "b"], "c").toProtos().length, 3);
  assert.throws(() => col(1 as unknown as string), TypeError);
});

Deno.test("lit() with a dtype sends an exact Int64", () => {
  assert.deepEqual(lit(2n ** 62n + 1n, DataType.Int64).toProto(), {
    kind: {
      $case: "literal",
      value: { value: { $case: "int64", value: 2n ** 62n + 1n }, dtype: DataType.Int64.toProto() },
    },
  });
});

Deno.test("len() is the Len node", () => {
  assert.deepEqual(len().toProto(), { kind: { $case: "len", value: {} } });
  assert.deepEqual(len().alias("n").toProto(), {
    kind: { $case: "alias", value: { name: "n", input: { kind: { $case: "len", value: {} } } } },
  });
});

Deno.test("selectionProtos() flattens names, Exprs and nested arrays in order", () => {
  const protos = selectionProtos(["a", [col("b"), ["c"]], col(["d", "e"])]);
  assert.deepEqual(protos.map((p) => p.kind?.$case === "column" && p.kind.value.name), [
    "a",
    "b",
    "c",
    "d",
    "e",
  ]);
  assert.throws(() => selectionProtos([1 as unknown as string]), /column name or an Expr/);
});

Deno.test("singleProto() takes a name or a one-column Expr", () => {
  assert.deepEqual(singleProto("a"), col("a").toProto());
  assert.throws(() => singleProto(col(["a", "b"])), /one column/);
  assert.throws(() => singleProto(3 as unknown as string), /column name or an Expr/);
});
