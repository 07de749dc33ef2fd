import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { InvalidPlanError, PolaroidError } from "../../../../shared/errors.ts";
import type { Arg, Expr } from "../../../../shared/gen/polaroid/v1/expr.ts";
import { assertFramesEqual, dtype, E, int64Series, Kind, P, run } from "../_testing.ts";
import { MAX_GENERATED, MAX_SAMPLE_FRAC, U32_MAX } from "./core_args.ts";

/** Arguments of a FunctionCall. */
const A = {
  e: (value: Expr): Arg => ({ value: { $case: "expr", value } }),
  int: (value: number | bigint): Arg => ({ value: { $case: "int", value: BigInt(value) } }),
  float: (value: number): Arg => ({ value: { $case: "float", value } }),
  str: (value: string): Arg => ({ value: { $case: "string", value } }),
  bool: (value: boolean): Arg => ({ value: { $case: "bool", value } }),
  null: (): Arg => ({ value: { $case: "null", value: {} } }),
  list: (...items: Arg[]): Arg => ({ value: { $case: "list", value: { items } } }),
  dtype: (kind: Kind): Arg => ({ value: { $case: "dtype", value: dtype(kind) } }),
};

/** The method `name` called on `receiver`. */
function m(
  name: string,
  receiver: Expr,
  args: Arg[] = [],
  options: Record<string, Arg> = {},
): Expr {
  return { kind: { $case: "function", value: { name, args: [A.e(receiver), ...args], options } } };
}

function frame(): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("i", [3, -1, null, 7, 0], pl.Int64),
    pl.Series("x", [0.5, 1.5, 2.5, NaN, null]),
    pl.Series("n", [1, 2, 0, 3, 1], pl.Int64),
  ]);
}

function select(...exprs: Expr[]): Promise<pl.DataFrame> {
  return run(P.select(P.handle("t"), exprs), { t: frame() });
}

/** Asserts the plan selecting `expr` is refused with a message matching `pattern`. */
async function refused(expr: Expr, pattern: RegExp): Promise<void> {
  await assert.rejects(select(expr), (e: unknown) => {
    assert.ok(e instanceof InvalidPlanError, `expected InvalidPlanError, got ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
}

const i = E.col("i");
const x = E.col("x");

Deno.test("core functions refuse arguments of the wrong kind", async () => {
  await refused(m("sin", i, [A.int(1)]), /sin\.args' must hold 1 arguments/);
  await refused(
    { kind: { $case: "function", value: { name: "abs", args: [A.str("i")], options: {} } } },
    /Cannot call abs\(\) as argument 0 must be an expression: current value is "string"/,
  );
  await refused(m("shift", i, [A.str("2")]), /shift\(\) as argument 1 must be an integer/);
  await refused(m("rank", i, [], { method: A.str("best") }), /'method' must be one of/);
  await refused(m("rollingMean", x, [], { windowSize: A.int(3), ddof: A.int(0) }), /options/);
  await refused(m("round", x, [], { decimals: A.int(-1) }), /'decimals' must be at least 0/);
  await refused(m("round", x, [], { decimals: A.int(1), mode: A.str("up") }), /'mode'/);
  await refused(m("hash", i, [A.int(-1), A.int(1), A.int(2), A.int(3)]), /at least 0/);
  await refused(m("gather", i, [A.list(A.float(1.5))]), /'1\[0\]' must be an integer/);
  await refused(m("sortBy", i, [A.list()]), /at least one sort key/);
  await refused(
    m("sortBy", i, [A.list(A.e(x), A.e(i))], {
      descending: A.list(A.bool(true), A.bool(false), A.bool(true)),
    }),
    /'descending' must hold 1 or 2 flags/,
  );
  await refused(m("exclude", i, [A.list()]), /at least one column/);
});

Deno.test("fillNull() takes a value or a strategy, not both", async () => {
  await refused(
    m("fillNull", i, [A.e(E.i64(0))], { strategy: A.str("forward") }),
    /argument 1 must be unset when 'strategy' is set/,
  );
  await refused(m("fillNull", i, [A.e(E.i64(0))], { limit: A.int(1) }), /'limit' must be unset/);
  await refused(m("fillNull", i, [], { strategy: A.str("sideways") }), /'strategy' must be one of/);
  const df = await select(
    E.alias(m("fillNull", i, [], { strategy: A.str("forward"), limit: A.int(1) }), "f"),
  );
  assert.deepEqual(df.getColumn("f").toArray(), [3, -1, -1, 7, 0]);
});

Deno.test("rolling functions bound the window, weights, minPeriods and ddof", async () => {
  const rolling = (options: Record<string, Arg>, name = "rollingMean") => m(name, x, [], options);
  await refused(rolling({ windowSize: A.int(0) }), /'windowSize' must be at least 1/);
  await refused(rolling({ windowSize: A.int(U32_MAX + 1) }), /'windowSize' must be at most/);
  await refused(
    rolling({ windowSize: A.int(3), weights: A.list(A.float(1), A.float(2)) }),
    /'weights' must hold one weight per row of the window \(3\): current value is 2/,
  );
  await refused(
    rolling({ windowSize: A.int(3), minPeriods: A.int(4) }),
    /'minPeriods' must be at most 3/,
  );
  await refused(rolling({ windowSize: A.int(3), ddof: A.int(256) }, "rollingStd"), /at most 255/);
  await refused(
    rolling({ windowSize: A.int(3), quantile: A.float(1.5) }, "rollingQuantile"),
    /'quantile' must be at most 1/,
  );
  await refused(
    rolling({ windowSize: A.int(0) }, "rollingSkew"),
    /'windowSize' must be at least 1/,
  );
  // Weighted medians and quantiles of partial windows are wrong in the engine: refused.
  const weights = A.list(A.float(1), A.float(2), A.float(1));
  const partial = { windowSize: A.int(3), weights, minPeriods: A.int(2) };
  for (const name of ["rollingMedian", "rollingQuantile"]) {
    const options = name === "rollingQuantile" ? { ...partial, quantile: A.float(0.25) } : partial;
    await refused(
      rolling(options, name),
      /'minPeriods' must equal 'windowSize' \(3\) when 'weights' are given/,
    );
  }
  // Full windows, and unweighted partial ones, run (on a column without nulls: the engine
  // refuses weights over nulls with an error of its own).
  const n = E.col("n");
  const full = await select(
    E.alias(
      m("rollingQuantile", n, [], { windowSize: A.int(3), weights, quantile: A.float(0.5) }),
      "q",
    ),
    E.alias(m("rollingMedian", n, [], { windowSize: A.int(3), minPeriods: A.int(1) }), "m"),
  );
  assert.deepEqual(full.getColumn("m").toArray(), [1, 1.5, 1, 2, 1]);
  assert.equal(full.getColumn("q").toArray()[0], null);
  // ddof reaches the engine (nodejs-polars' wrapper drops it).
  const df = await select(
    E.alias(rolling({ windowSize: A.int(2), ddof: A.int(0) }, "rollingVar"), "v"),
  );
  assert.deepEqual(df.getColumn("v").toArray().slice(0, 3), [null, 0.25, 0.25]);
});

Deno.test("ewm functions take one of alpha, com, span, halfLife, each in range", async () => {
  const ewm = (options: Record<string, Arg>) => m("ewmMean", x, [], options);
  await refused(ewm({ alpha: A.float(0) }), /'alpha' must be in \(0, 1\]/);
  await refused(ewm({ alpha: A.float(1.5) }), /'alpha' must be at most 1/);
  await refused(ewm({ alpha: A.float(0.5), span: A.int(3) }), /'span' must be unset when 'alpha'/);
  await refused(ewm({ span: A.float(0.5) }), /'span' must be at least 1/);
  await refused(ewm({ com: A.float(-1) }), /'com' must be at least 0/);
  await refused(ewm({ halfLife: A.float(0) }), /'halfLife' must be positive/);
  await refused(ewm({ minPeriods: A.int(-1) }), /'minPeriods' must be at least 0/);
  // span 3 is alpha 0.5: the first two means of [0.5, 1.5] with adjust are 0.5 and 7/6.
  const df = await select(E.alias(ewm({ span: A.int(3) }), "m"));
  const values = df.getColumn("m").toArray() as number[];
  assert.equal(values[0], 0.5);
  assert.ok(Math.abs(values[1]! - (1.5 + 0.5 * 0.5) / 1.5) < 1e-12);
});

Deno.test("sizes that allocate are bounded before the plan runs", async () => {
  await refused(
    m("extendConstant", i, [A.int(0), A.int(MAX_GENERATED + 1)]),
    new RegExp(`argument 2 must be at most ${MAX_GENERATED}`),
  );
  await refused(m("extendConstant", i, [A.int(0), A.int(-1)]), /at least 0/);
  await refused(m("sample", i, [], { n: A.int(MAX_GENERATED + 1) }), /'n' must be at most/);
  await refused(
    m("sample", i, [], { frac: A.float(MAX_SAMPLE_FRAC + 1), withReplacement: A.bool(true) }),
    /'frac' must be at most 100/,
  );
  await refused(
    m("sample", i, [], { n: A.int(1), frac: A.float(0.5) }),
    /'frac' instead, not both/,
  );
  await refused(m("sample", i, []), /'n' must be set/);
  await refused(m("sample", i, [], { n: A.int(1), seed: A.int(2n ** 60n) }), /safe integer/);
  await refused(m("shuffle", i, [], { seed: A.int(-1) }), /'seed' must be at least 0/);
  await refused(m("head", i, [A.int(-1)]), /at least 0/);
  await refused(m("tail", i, [A.int(-1)]), /at least 0/);
  await refused(m("gatherEvery", i, [A.int(0)]), /argument 1 must be at least 1/);
  await refused(m("reshape", i, [A.list()]), /hold 1 to 8 dimensions/);
  await refused(m("reshape", i, [A.list(...Array(9).fill(A.int(1)))]), /hold 1 to 8 dimensions/);
  await refused(m("reshape", i, [A.list(A.int(-2))]), /must be -1 or an integer/);
  await refused(
    m("reshape", i, [A.list(A.int(U32_MAX + 1), A.int(0))]),
    /must be -1 or an integer/,
  );
  // Within the bounds, the same calls run.
  const df = await select(
    E.alias(m("extendConstant", i, [A.int(9), A.int(2)]), "e"),
  );
  assert.deepEqual(df.getColumn("e").toArray(), [3, -1, null, 7, 0, 9, 9]);
  const sampled = await select(E.alias(m("sample", i, [], { n: A.int(5), seed: A.int(1) }), "s"));
  assert.deepEqual(
    [...sampled.getColumn("s").toArray()].sort(),
    [3, -1, null, 7, 0].sort(),
  );
});

Deno.test("repeatBy() fails while running when the repeats add up to too many values", async () => {
  const df = await select(E.alias(m("repeatBy", i, [A.e(E.col("n"))]), "r"));
  assert.deepEqual(df.getColumn("r").toArray(), [[3], [-1, -1], [], [7, 7, 7], [0]]);
  const tooMany = E.i64(MAX_GENERATED / 2 + 1);
  await assert.rejects(select(m("repeatBy", i, [A.e(tooMany)])), (e: unknown) => {
    assert.ok(e instanceof PolaroidError && !(e instanceof InvalidPlanError));
    assert.match(e.message, /'by' must add up to at most 10000000/);
    return true;
  });
  await assert.rejects(
    select(m("repeatBy", i, [A.e(E.i64(2 ** 40))])),
    /'by' must add up to at most/,
  );
});

Deno.test("clip() takes a null bound as no bound", async () => {
  const df = await select(
    E.alias(m("clip", i, [A.e(E.i64(0)), A.e(E.null())]), "lo"),
    E.alias(m("clip", i, [A.e(E.null()), A.e(E.i64(2))]), "hi"),
  );
  assert.deepEqual(df.getColumn("lo").toArray(), [3, 0, null, 7, 0]);
  assert.deepEqual(df.getColumn("hi").toArray(), [2, -1, null, 2, 0]);
});

Deno.test("isIn() with a dtype matches 64-bit integers exactly", async () => {
  const big = 2n ** 60n;
  const t = pl.DataFrame([int64Series("v", [big, big + 1n, -3n, 3n])]);
  const expr = m("isIn", E.col("v"), [A.list(A.int(big + 1n), A.int(-3n), A.null())], {
    dtype: A.dtype(Kind.KIND_INT64),
  });
  const df = await run(P.select(P.handle("t"), [E.alias(expr, "in")]), { t });
  assertFramesEqual(df, pl.DataFrame([pl.Series("in", [false, true, true, false])]));
});

Deno.test("isBetween() honours each kind of closed interval", async () => {
  const between = (closed: string) =>
    E.alias(m("isBetween", i, [A.e(E.i64(0)), A.e(E.i64(3))], { closed: A.str(closed) }), closed);
  const df = await select(between("both"), between("left"), between("right"), between("none"));
  assert.deepEqual(df.getColumn("both").toArray(), [true, false, null, false, true]);
  assert.deepEqual(df.getColumn("left").toArray(), [false, false, null, false, true]);
  assert.deepEqual(df.getColumn("right").toArray(), [true, false, null, false, false]);
  assert.deepEqual(df.getColumn("none").toArray(), [false, false, null, false, false]);
  await refused(between("open"), /'closed' must be one of/);
});

Deno.test("slice() takes expressions and a null length (to the end), as Python Polars", async () => {
  const df = await select(
    E.alias(m("slice", i, [A.e(E.i64(1)), A.null()]), "s"),
  );
  assert.deepEqual(df.getColumn("s").toArray(), [-1, null, 7, 0]);
  const computed = await select(
    E.alias(m("slice", i, [A.int(-2), A.e(E.i64(1))]), "s"),
  );
  assert.deepEqual(computed.getColumn("s").toArray(), [7]);
});
