import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { InvalidPlanError, PolaroidError } from "../../../../shared/errors.ts";
import { AggKind, type Arg, BinaryOp, type Expr } from "../../../../shared/gen/polaroid/v1/expr.ts";
import { dtype, E, Kind, P, run } from "../_testing.ts";
import { MAX_GENERATED } from "./core_args.ts";

const A = {
  e: (value: Expr): Arg => ({ value: { $case: "expr", value } }),
  int: (value: number | bigint): Arg => ({ value: { $case: "int", value: BigInt(value) } }),
  bool: (value: boolean): Arg => ({ value: { $case: "bool", value } }),
  list: (...items: Arg[]): Arg => ({ value: { $case: "list", value: { items } } }),
  dtype: (kind: Kind): Arg => ({ value: { $case: "dtype", value: dtype(kind) } }),
};

function fn(name: string, args: Arg[], options: Record<string, Arg> = {}): Expr {
  return { kind: { $case: "function", value: { name: `pl.${name}`, args, options } } };
}

function select(...exprs: Expr[]): Promise<pl.DataFrame> {
  const t = pl.DataFrame([
    pl.Series("a", [1, 5, 2], pl.Int64),
    pl.Series("b", [4, 3, 6], pl.Int64),
  ]);
  return run(P.select(P.handle("t"), exprs), { t });
}

async function refused(expr: Expr, pattern: RegExp): Promise<void> {
  await assert.rejects(select(expr), (e: unknown) => {
    assert.ok(e instanceof InvalidPlanError, `expected InvalidPlanError, got ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("pl.intRange refuses literal ranges longer than the bound before running", async () => {
  await refused(
    fn("intRange", [A.int(0), A.int(MAX_GENERATED + 1)]),
    new RegExp(`make a range of at most ${MAX_GENERATED} values`),
  );
  await refused(fn("intRange", [A.int(0), A.int(2 ** 40)], { step: A.int(-1) }), /at most/);
  await refused(fn("intRange", [A.int(0), A.int(3)], { step: A.int(0) }), /'step' must not be 0/);
  await refused(
    fn("intRange", [A.int(0), A.int(3)], { dtype: A.dtype(Kind.KIND_FLOAT64) }),
    /'dtype' must be an integer type/,
  );
  // A long range is fine when the step makes it short.
  const df = await select(
    E.alias(fn("intRange", [A.int(0), A.int(2 ** 40)], { step: A.int(2 ** 38) }), "r"),
  );
  assert.deepEqual(df.getColumn("r").toArray(), [0, 2 ** 38, 2 ** 39, 3 * 2 ** 38]);
});

Deno.test("pl.intRange and pl.intRanges fail while running when computed ends are too far apart", async () => {
  const far = E.agg(
    AggKind.AGG_KIND_MAX,
    E.bin(BinaryOp.BINARY_OP_MUL, E.col("a"), E.i64(MAX_GENERATED)),
  );
  await assert.rejects(
    select(fn("intRange", [A.int(0), A.e(far)])),
    (e: unknown) => {
      assert.ok(e instanceof PolaroidError && !(e instanceof InvalidPlanError));
      assert.match(e.message, /Cannot build a range as it must hold at most 10000000 values/);
      return true;
    },
  );
  // Each range is short, but together they exceed the bound.
  const tall = E.bin(BinaryOp.BINARY_OP_MUL, E.col("a"), E.i64(MAX_GENERATED / 4));
  await assert.rejects(select(fn("intRanges", [A.int(0), A.e(tall)])), /at most 10000000 values/);
  const ok = await select(fn("intRanges", [A.e(E.col("a")), A.e(E.col("b"))]));
  assert.deepEqual(ok.getColumn("a").toArray(), [[1, 2, 3], [], [2, 3, 4, 5]]);
});

Deno.test("top-level functions refuse empty expression lists and mismatched flags", async () => {
  await refused(fn("sumHorizontal", [A.list()]), /hold at least one expression/);
  await refused(fn("concatList", [A.list()]), /hold at least one expression/);
  await refused(
    fn("argSortBy", [A.list(A.e(E.col("a")), A.e(E.col("b")))], {
      descending: A.list(A.bool(true), A.bool(false), A.bool(true)),
    }),
    /'descending' must hold 1 or 2 flags/,
  );
  await refused(fn("cov", [A.e(E.col("a")), A.e(E.col("b"))], { ddof: A.int(256) }), /at most 255/);
  await refused(fn("first", [A.int(1)]), /hold 0 arguments/);
  const df = await select(
    fn("argSortBy", [A.list(A.e(E.col("a")))], { descending: A.list(A.bool(true)) }),
    E.alias(fn("nth", [A.int(-1)]), "n"),
  );
  assert.deepEqual(df.getColumn("a").toArray(), [1, 2, 0]);
  assert.deepEqual(df.getColumn("n").toArray(), [4, 3, 6]);
});

Deno.test("pl.litSeries is a column of inline values named after the Series", async () => {
  const str = (value: string): Arg => ({ value: { $case: "string", value } });
  const df = await select(
    E.col("a"),
    fn("litSeries", [A.list(A.int(7), A.int(8), A.int(9))], {
      name: str("c"),
      dtype: A.dtype(Kind.KIND_INT32),
    }),
    fn("litSeries", [A.list(A.bool(true), A.bool(false), A.bool(true))], { name: str("f") }),
  );
  const expected = pl.DataFrame([pl.Series("a", [1, 5, 2], pl.Int64)]).lazy().select(
    pl.col("a"),
    pl.Series("c", [7, 8, 9], pl.Int32) as never,
    pl.Series("f", [true, false, true]) as never,
  ).collectSync();
  assert.deepEqual(df.schema, expected.schema);
  assert.deepEqual(df.toRecords(), expected.toRecords());
  // Expressions are not values.
  await refused(fn("litSeries", [A.list(A.e(E.col("a")))]), /litSeries/);
  // Several types select columns in frame order.
  const typed = await select(fn("dtypeCols", [A.list(A.dtype(Kind.KIND_INT64))]));
  assert.deepEqual(typed.columns, ["a", "b"]);
  await refused(fn("dtypeCols", [A.list()]), /non-empty list/);
});
