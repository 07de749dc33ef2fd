import assert from "node:assert/strict";
import { DataType } from "./datatypes.ts";
import type { Expr } from "./expr/expr.ts";
import {
  all,
  argSortBy,
  avg,
  col,
  cols,
  concatList,
  concatString,
  cov,
  exclude,
  first,
  format,
  intRange,
  intRanges,
  len,
  lit,
  selectionProtos,
  singleProto,
  sumHorizontal,
} from "./functions.ts";

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

/** The name and arguments count of a top-level call. */
function fnOf(e: Expr): { name: string; args: number; options: string[] } {
  const proto = e.toProto();
  assert.ok(proto.kind?.$case === "function");
  return {
    name: proto.kind.value.name,
    args: proto.kind.value.args.length,
    options: Object.keys(proto.kind.value.options).sort(),
  };
}

Deno.test("top-level functions call their pl.<name> server function", () => {
  assert.deepEqual(fnOf(concatList(["a", col("b")])), {
    name: "pl.concatList",
    args: 1,
    options: [],
  });
  assert.deepEqual(fnOf(concatString({ exprs: ["a"], sep: "-" })), {
    name: "pl.concatString",
    args: 1,
    options: ["sep"],
  });
  assert.deepEqual(fnOf(cov("a", "b", 0)), { name: "pl.cov", args: 2, options: ["ddof"] });
  assert.deepEqual(fnOf(first()), { name: "pl.first", args: 0, options: [] });
  assert.deepEqual(first("a").toProto(), col("a").first().toProto());
  assert.deepEqual(avg("a").toProto(), col("a").mean().toProto());
  assert.deepEqual(all().toProto(), col("*").toProto());
  assert.deepEqual(exclude("a", "b").toProto(), col("*").exclude(["a", "b"]).toProto());
  assert.deepEqual(fnOf(argSortBy(["a", "b"], true)), {
    name: "pl.argSortBy",
    args: 1,
    options: ["descending"],
  });
  assert.deepEqual(fnOf(sumHorizontal("a")), { name: "pl.sumHorizontal", args: 1, options: [] });
});

Deno.test("intRange() takes one end, two ends or an options object, never eager", () => {
  assert.deepEqual(intRange(len()).toProto(), intRange(0, len()).toProto());
  assert.deepEqual(
    intRange({ start: 1, end: 9, step: 2, dtype: DataType.Int32 }).toProto(),
    intRange(1, 9, 2, DataType.Int32).toProto(),
  );
  assert.throws(() => intRange(0, 5, 1, undefined, true as false), /'eager' must be false/);
  assert.throws(() => intRanges(0, 5, 1, undefined, true as false), /'eager' must be false/);
});

Deno.test("format() fills placeholders with columns and literals", () => {
  assert.deepEqual(
    format("{} is {}", "a", col("b")).toProto(),
    concatString([col("a"), lit(" is "), col("b")], "").toProto(),
  );
  assert.throws(() => format("{} {}", "a"), /placeholders must match the arguments/);
});
