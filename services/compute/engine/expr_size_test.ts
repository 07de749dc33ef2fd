import assert from "node:assert/strict";
import type { Arg, Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import { BinaryOp } from "../../../shared/gen/polaroid/v1/expr.ts";
import { E, testLimits } from "./_testing.ts";
import { checkNodeSize, isSized, nodeSize, sizeExprs } from "./expr_size.ts";
import { MAX_GENERATED } from "./functions/core_args.ts";
import { A, m } from "./functions/string_testing.ts";

/** A top-level function call (no receiver). */
const fn = (name: string, args: Arg[], options: Record<string, Arg> = {}): Expr => ({
  kind: { $case: "function", value: { name, args, options } },
});
const range = (start: number, stop: number) => fn("pl.intRange", [A.int(start), A.int(stop)]);
const ranges = (start: number, stop: number) => fn("pl.intRanges", [A.int(start), A.int(stop)]);

Deno.test("sizeExprs() sizes columns, literals and their bytes per value", () => {
  const [column, literal, wide] = sizeExprs([E.col("a"), E.i64(1), E.str("é".repeat(10))], 1000);
  assert.equal(column!.rows, 1000);
  assert.equal(column!.made, 0);
  assert.equal(literal!.rows, 1);
  assert.equal(literal!.width, 0);
  assert.equal(wide!.width, 20, "UTF-8 bytes, not characters");
  const [sum, eq] = sizeExprs([
    E.bin(BinaryOp.BINARY_OP_ADD, E.col("s"), E.str("abc")),
    E.bin(BinaryOp.BINARY_OP_EQ, E.col("s"), E.str("abc")),
  ], 10);
  assert.equal(sum!.width, 3, "a concatenation carries the literal's bytes");
  assert.equal(eq!.width, 0, "a comparison makes booleans");
});

Deno.test("sizeExprs() counts the rows ranges generate, whatever the input's rows", () => {
  const [r] = sizeExprs([range(0, 1_000_000)], 1);
  assert.deepEqual([r!.rows, r!.made], [1_000_000, 1_000_000]);
  // Longer literal ranges are refused by the builder: the size stops at its bound.
  assert.equal(sizeExprs([range(0, 2 ** 40)], 1)[0]!.rows, MAX_GENERATED);
  // Computed ends: the runtime bound.
  const computed = fn("pl.intRange", [A.int(0), A.e(E.col("n"))]);
  assert.equal(sizeExprs([computed], 1)[0]!.rows, MAX_GENERATED);
  // Literal ends: one list, broadcast over the node's rows.
  const [lists] = sizeExprs([ranges(0, 5)], 100);
  assert.deepEqual([lists!.rows, lists!.items, lists!.values, lists!.made], [1, 5, 5, 5]);
  assert.equal(nodeSize([lists!], 100).made, 500);
  // Computed ends: a list per row, at most the runtime bound in all.
  const perRow = fn("pl.intRanges", [A.int(0), A.e(E.col("n"))]);
  const [bounded] = sizeExprs([perRow], 100);
  assert.deepEqual([bounded!.rows, bounded!.values], [100, MAX_GENERATED]);
});

Deno.test("sizeExprs() adds up list fan-out, broadcast scalars and copies of columns", () => {
  const tenLists = fn("pl.concatList", [
    A.list(...Array.from({ length: 10 }, () => A.e(ranges(0, 10_000_000)))),
  ]);
  const [fanOut] = sizeExprs([tenLists], 1);
  assert.equal(fanOut!.made, 100_000_000);
  assert.equal(fanOut!.items, 100_000_000);
  // A column copied once into a list is bounded by the input; each copy more is made.
  const copies = fn("pl.concatList", [A.list(A.e(E.col("a")), A.e(E.col("a")), A.e(E.col("a")))]);
  assert.equal(sizeExprs([copies], 1000)[0]!.made, 2000);
  const distinct = fn("pl.concatList", [A.list(A.e(E.col("a")), A.e(E.col("b")))]);
  assert.equal(sizeExprs([distinct], 1000)[0]!.made, 0);
  // Exploding generated lists yields their items (and a row per empty list).
  assert.equal(sizeExprs([m("explode", ranges(0, 5))], 100)[0]!.rows, 6);
  const perRow = m("explode", fn("pl.intRanges", [A.int(0), A.e(E.col("n"))]));
  assert.equal(sizeExprs([perRow], 100)[0]!.rows, MAX_GENERATED + 100);
  // Exploding lists of the data: only the data knows.
  assert.equal(sizeExprs([m("explode", E.col("l"))], 100)[0]!.rows, Infinity);
});

Deno.test("sizeExprs() bounds the bytes of padding, separators and repeats of the plan", () => {
  const pad = m("str.padStart", E.col("s"), [A.int(5000), A.str("€")]);
  assert.equal(sizeExprs([pad], 1)[0]!.width, 15_000);
  const zfill = m("str.zFill", E.col("s"), [A.int(300)]);
  assert.equal(sizeExprs([zfill], 1)[0]!.width, 300);
  const joined = fn(
    "pl.concatString",
    [A.list(A.e(E.str("ab")), A.e(E.col("s")), A.e(E.str("c")))],
    {
      sep: A.str("--"),
    },
  );
  assert.equal(sizeExprs([joined], 1)[0]!.width, 3 + 2 * 2);
  const extended = m("extendConstant", E.col("s"), [A.str("x".repeat(100)), A.int(50)]);
  const [e] = sizeExprs([extended], 10);
  assert.deepEqual([e!.rows, e!.made, e!.width], [60, 50, 100]);
});

Deno.test("isSized() tells nodes whose values or bytes come from the plan", () => {
  assert.equal(isSized([E.col("a"), E.i64(1)]), false);
  assert.equal(isSized([E.str("x")]), true);
  assert.equal(isSized([m("str.contains", E.col("s"), [A.e(E.str("x".repeat(1000)))])]), false);
  assert.equal(isSized([E.bin(BinaryOp.BINARY_OP_EQ, E.col("s"), E.str("abc"))]), false);
  assert.equal(isSized([range(0, 10)]), true);
});

Deno.test("checkNodeSize() refuses a big literal broadcast over many rows, with the figure", () => {
  const limits = testLimits();
  const literal = E.str("x".repeat(1_000_000));
  const size = nodeSize(sizeExprs([E.col("a"), literal], 100_000), 100_000);
  assert.equal(size.bytes, 100_000_000_000);
  assert.throws(() => checkNodeSize("with_columns", size, limits), (e: unknown) => {
    assert.ok(e instanceof Error && e.name === "LimitExceededError", String(e));
    assert.match(
      e.message,
      /POLAROID_MAX_GENERATED_BYTES\): current value is up to 100000000000 \(up to 1000000 bytes per value over 100000 rows\)/,
    );
    return true;
  });
  // Over a hundred rows, the same literal is 100 MB: under the limit.
  checkNodeSize("with_columns", nodeSize(sizeExprs([literal], 100), 100), limits);
  const fanOut = nodeSize(
    sizeExprs([
      fn("pl.concatList", [A.list(...Array.from({ length: 6 }, () => A.e(ranges(0, 10_000_000))))]),
    ], 1),
  );
  assert.throws(
    () => checkNodeSize("select", fanOut, limits),
    /generate at most 50000000 values \(POLAROID_MAX_GENERATED_VALUES\): current value is up to 60000000/,
  );
});

Deno.test("sizeExprs() reads the expressions inside list arguments too", () => {
  const struct = fn("pl.struct", [A.list(A.e(E.str("x".repeat(100))), A.e(E.col("a")))]);
  assert.equal(sizeExprs([struct], 10)[0]!.width, 100);
  const sum = fn("pl.sumHorizontal", [A.list(A.e(range(0, 1000)), A.e(E.col("a")))]);
  assert.equal(sizeExprs([sum], 10)[0]!.made, 1000);
});
