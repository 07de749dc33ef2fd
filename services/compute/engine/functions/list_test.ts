import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { BinaryOp } from "../../../../shared/gen/polaroid/v1/expr.ts";
import { E } from "../_testing.ts";
import { A, col, m, named, refused, select, values } from "./string_testing.ts";

function frame(): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("l", [[3, 1, 2], [], null, [5, 5, 1]]).cast(pl.List(pl.Int64)),
    pl.Series("w", [["a", "b"], ["c", null], null, []]),
  ]);
}

const [l, w] = [col("l"), col("w")];
const element = {
  kind: { $case: "function" as const, value: { name: "pl.element", args: [], options: {} } },
};
const mul = (input: typeof element, n: number) => E.bin(BinaryOp.BINARY_OP_MUL, input, E.i64(n));

Deno.test("lst functions refuse arguments of the wrong kind or range", async () => {
  const df = frame();
  await refused(df, m("lst.head", l, [A.int(-1)]), /argument 1 must be at least 0/);
  await refused(df, m("lst.tail", l, [A.float(1.5)]), /argument 1 must be an integer/);
  await refused(df, m("lst.diff", l, [A.int(1), A.str("keep")]), /must be one of "ignore", "drop"/);
  await refused(df, m("lst.diff", l, [A.int(2 ** 31)]), /argument 1 must be at most/);
  await refused(df, m("lst.eval", l, [A.int(1)]), /argument 1 must be an expression/);
  await refused(df, m("lst.get", l, [A.int(2n ** 60n)]), /argument 1 must be a safe integer/);
  await refused(df, m("lst.slice", l, [A.int(0), A.int(-2)]), /argument 2 must be at least 0/);
  await refused(df, m("lst.sort", l, [A.str("desc")]), /argument 1 must be a boolean/);
  await refused(df, m("lst.concat", l, [A.str("l")]), /argument 1 must be a list of expressions/);
  await refused(df, m("lst.join", w, [A.int(1)]), /argument 1 must be an expression/);
  await refused(df, m("lst.contains", l, [A.list(A.int(1))]), /expression or a plain value/);
});

Deno.test("lst functions take nodejs-polars' defaults", async () => {
  const out = await select(
    frame(),
    named(m("lst.head", l), "head"),
    named(m("lst.tail", l, [A.int(2)]), "tail"),
    named(m("lst.get", l, [A.int(-1)]), "last"),
    named(m("lst.contains", l, [A.int(5)]), "has5"),
    named(m("lst.join", w), "joined"),
    named(m("lst.join", w, [A.str("-"), A.bool(true)]), "skip"),
    named(m("lst.diff", l), "diff"),
    named(m("lst.shift", l, [A.int(-1)]), "shift"),
    named(m("lst.sort", l, [A.bool(true)]), "desc"),
    named(m("lst.concat", l, [A.list(A.e(l))]), "twice"),
    named(m("lst.eval", l, [A.e(mul(element, 2))]), "double"),
  );
  assert.deepEqual(values(out, "head"), [[3n, 1n, 2n], [], null, [5n, 5n, 1n]]);
  assert.deepEqual(values(out, "tail"), [[1n, 2n], [], null, [5n, 1n]]);
  assert.deepEqual(values(out, "last"), [2n, null, null, 1n]);
  assert.deepEqual(values(out, "has5"), [false, false, null, true]);
  assert.deepEqual(values(out, "joined"), ["a,b", null, null, ""]);
  assert.deepEqual(values(out, "skip"), ["a-b", "c", null, ""]);
  assert.deepEqual(values(out, "diff"), [[null, -2n, 1n], [], null, [null, 0n, -4n]]);
  assert.deepEqual(values(out, "shift"), [[1n, 2n, null], [], null, [5n, 1n, null]]);
  assert.deepEqual(values(out, "desc"), [[3n, 2n, 1n], [], null, [5n, 5n, 1n]]);
  assert.deepEqual(values(out, "twice")[0], [3n, 1n, 2n, 3n, 1n, 2n]);
  assert.deepEqual(values(out, "double")[3], [10n, 10n, 2n]);
});
