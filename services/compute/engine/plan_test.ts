import assert from "node:assert/strict";
import pl, { type LazyDifferentNameColumnJoinOptions } from "nodejs-polars";
import { AggKind, BinaryOp } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import {
  assertFramesEqual,
  dtype,
  E,
  JoinMaintainOrder,
  JoinType,
  Kind,
  P,
  run,
  sampleFrame,
  testContext,
  UniqueKeep,
} from "./_testing.ts";
import { buildLazyFrame } from "./run.ts";

const c = pl.col;
const T = P.handle("t");
const lazy = () => sampleFrame().lazy();

async function assertPlan(plan: Plan, expected: pl.LazyDataFrame): Promise<pl.DataFrame> {
  const actual = await run(plan, { t: sampleFrame() });
  assertFramesEqual(actual, await expected.collect());
  return actual;
}

Deno.test("buildLazyFrame() builds one LazyFrame for the whole plan", async () => {
  const plan = P.select(
    P.filter(T, E.bin(BinaryOp.BINARY_OP_GT, E.col("f"), E.f64(1))),
    [E.col("g"), E.col("f")],
  );
  const lf = await buildLazyFrame(plan, testContext({ t: sampleFrame() }));
  assert.match(lf.describePlan(), /FILTER/);
  assertFramesEqual(
    await lf.collect(),
    await lazy().filter(c("f").gt(1)).select("g", "f").collect(),
  );
});

Deno.test("runPlan() runs filter, select and with_columns as Polars does", async () => {
  await assertPlan(
    P.filter(T, E.bin(BinaryOp.BINARY_OP_GT_EQ, E.col("i"), E.i64(2))),
    lazy().filter(c("i").gtEq(pl.lit(2).cast(pl.Int64))),
  );
  await assertPlan(
    P.select(T, [E.col("s"), E.alias(E.bin(BinaryOp.BINARY_OP_MUL, E.col("f"), E.f64(2)), "f2")]),
    lazy().select(c("s"), c("f").mul(pl.lit(2)).alias("f2")),
  );
  await assertPlan(
    P.withColumns(T, [E.alias(E.agg(AggKind.AGG_KIND_SUM, E.col("f")), "total"), E.str("k")]),
    lazy().withColumns(c("f").sum().alias("total"), pl.lit("k")),
  );
});

Deno.test("runPlan() sorts by several keys, descending per key or for all, nulls last", async () => {
  await assertPlan(
    P.sort(T, [E.col("g"), E.col("i")], { descending: [false, true], maintainOrder: true }),
    lazy().sort([c("g"), c("i")], [false, true], false, true),
  );
  await assertPlan(
    P.sort(T, [E.col("i"), E.col("f")], {
      descending: [true],
      nullsLast: true,
      maintainOrder: true,
    }),
    lazy().sort([c("i"), c("f")], true, true, true),
  );
  const out = await assertPlan(
    P.sort(T, [E.col("s")], { nullsLast: true, maintainOrder: true }),
    lazy().sort([c("s")], false, true, true),
  );
  assert.deepStrictEqual(out.getColumn("s").toArray(), ["w", "x", "x", "y", "zz", null]);
});

Deno.test("runPlan() slices from the start, from the end and to the end", async () => {
  await assertPlan(P.slice(T, 1n, 2n), lazy().slice(1, 2));
  await assertPlan(P.slice(T, -2n, 1n), lazy().slice(-2, 1));
  await assertPlan(P.slice(T, 2n), lazy().tail(4));
  await assertPlan(P.slice(T, -3n), lazy().tail(3));
  await assertPlan(P.slice(T, 0n, 18446744073709551615n), lazy());
  await assertPlan(P.tail(T, 2n), lazy().tail(2));
  await assertPlan(P.tail(T, 1n << 40n), lazy());
});

Deno.test("runPlan() groups with aggregations, keeping order when asked", async () => {
  await assertPlan(
    P.groupBy(T, [E.col("g")], [
      E.alias(E.agg(AggKind.AGG_KIND_MEAN, E.col("f")), "mean"),
      E.alias(E.len(), "n"),
    ], true),
    lazy().groupBy([c("g")], true).agg(c("f").mean().alias("mean"), pl.len().alias("n")),
  );
  const unordered = await run(
    P.groupBy(T, [E.col("g"), E.col("b")], [E.agg(AggKind.AGG_KIND_SUM, E.col("i"))], false),
    { t: sampleFrame() },
  );
  const expected = await lazy().groupBy([c("g"), c("b")], false).agg(c("i").sum()).collect();
  const key = (df: pl.DataFrame) => df.sort(["g", "b"]);
  assertFramesEqual(key(unordered), key(expected));
});

const left = () =>
  pl.DataFrame({ k: pl.Series("k", [1, 2, 3, 4]).cast(pl.Int64), v: ["a", "b", "c", "d"] });
const right = () =>
  pl.DataFrame({ k2: pl.Series("k2", [2, 3, 3, 5]).cast(pl.Int64), v: ["B", "C", "C2", "E"] });

async function assertJoin(plan: Plan, expected: pl.LazyDataFrame) {
  const actual = await run(plan, { l: left(), r: right() });
  assertFramesEqual(actual, await expected.collect());
  return actual;
}

Deno.test("runPlan() joins inner, left, full, semi, anti and cross as Polars does", async () => {
  const L = P.handle("l"), R = P.handle("r");
  const keys = { leftOn: [E.col("k")], rightOn: [E.col("k2")] };
  const hows: [JoinType, "inner" | "left" | "full" | "semi" | "anti"][] = [
    [JoinType.JOIN_TYPE_UNSPECIFIED, "inner"],
    [JoinType.JOIN_TYPE_INNER, "inner"],
    [JoinType.JOIN_TYPE_LEFT, "left"],
    [JoinType.JOIN_TYPE_FULL, "full"],
    [JoinType.JOIN_TYPE_SEMI, "semi"],
    [JoinType.JOIN_TYPE_ANTI, "anti"],
  ];
  for (const [how, name] of hows) {
    await assertJoin(
      P.sort(P.join(L, R, { how, ...keys }), [E.col("v")], { maintainOrder: true }),
      left().lazy().join(right().lazy(), {
        leftOn: "k",
        rightOn: "k2",
        how: name,
      })
        .sort("v"),
    );
  }
  const full = await assertJoin(
    P.sort(P.join(L, R, { how: JoinType.JOIN_TYPE_FULL, coalesce: true, ...keys }), [E.col("k")], {
      nullsLast: true,
    }),
    left().lazy().join(right().lazy(), {
      leftOn: "k",
      rightOn: "k2",
      how: "full",
      coalesce: true,
    }).sort("k", false, true),
  );
  // nodejs-polars' default suffix: "right".
  assert.deepStrictEqual(full.columns, ["k", "v", "vright"]);
  const cross = await assertJoin(
    P.join(L, R, { how: JoinType.JOIN_TYPE_CROSS, suffix: "_r" }),
    left().lazy().join(right().lazy(), { how: "cross", suffix: "_r" }),
  );
  assert.deepStrictEqual([cross.height, cross.columns], [16, ["k", "v", "k2", "v_r"]]);
});

Deno.test("runPlan() keeps the order a join asks for, on the streaming engine too", async () => {
  // Large enough that the streaming engine splits the left side into many morsels.
  const n = 200_000;
  const big = pl.DataFrame({
    i: pl.Series("i", Array.from({ length: n }, (_, i) => i)).cast(pl.Int64),
    k: pl.Series("k", Array.from({ length: n }, (_, i) => (i * 7919) % 100)).cast(pl.Int64),
  });
  const keys = pl.DataFrame({
    k: pl.Series("k", Array.from({ length: 100 }, (_, i) => 99 - i)).cast(pl.Int64),
  });
  const plan = (maintainOrder: JoinMaintainOrder) =>
    P.join(P.handle("big"), P.handle("keys"), {
      leftOn: [E.col("k")],
      rightOn: [E.col("k")],
      maintainOrder,
    });
  const previous = Deno.env.get("POLARS_FORCE_STREAMING");
  Deno.env.set("POLARS_FORCE_STREAMING", "1");
  try {
    const kept = await run(plan(JoinMaintainOrder.JOIN_MAINTAIN_ORDER_LEFT), { big, keys });
    assert.equal(kept.height, n);
    assert.ok(kept.getColumn("i").eq(big.getColumn("i")).all(), "the left side's order");
    const expected = await big.lazy().join(keys.lazy(), { on: "k", maintainOrder: "right_left" })
      .collect();
    const rightFirst = await run(plan(JoinMaintainOrder.JOIN_MAINTAIN_ORDER_RIGHT_LEFT), {
      big,
      keys,
    });
    assertFramesEqual(rightFirst, expected);
    assert.equal(rightFirst.getColumn("k").get(0), 99);
  } finally {
    if (previous === undefined) Deno.env.delete("POLARS_FORCE_STREAMING");
    else Deno.env.set("POLARS_FORCE_STREAMING", previous);
  }
});

Deno.test("runPlan() joins on expressions with a custom suffix", async () => {
  const plan = P.join(P.handle("l"), P.handle("r"), {
    leftOn: [E.bin(BinaryOp.BINARY_OP_ADD, E.col("k"), E.i64(1))],
    rightOn: [E.col("k2")],
    suffix: "_other",
  });
  const out = await assertJoin(
    P.sort(plan, [E.col("v_other")]),
    (left().lazy() as pl.LazyDataFrame).join(
      right().lazy() as pl.LazyDataFrame,
      {
        leftOn: [c("k").add(pl.lit(1).cast(pl.Int64))],
        rightOn: [c("k2")],
        suffix: "_other",
        coalesce: false,
      } as unknown as LazyDifferentNameColumnJoinOptions,
    ).sort("v_other"),
  );
  assert.deepStrictEqual(out.getColumn("v_other").toArray(), ["B", "C", "C2", "E"]);
});

Deno.test("runPlan() keeps unique rows as first, last, any or none", async () => {
  const keeps: [UniqueKeep, "first" | "last" | "none"][] = [
    [UniqueKeep.UNIQUE_KEEP_FIRST, "first"],
    [UniqueKeep.UNIQUE_KEEP_LAST, "last"],
    [UniqueKeep.UNIQUE_KEEP_NONE, "none"],
  ];
  for (const [keep, name] of keeps) {
    await assertPlan(
      P.unique(T, { subset: ["g"], keep, maintainOrder: true }),
      lazy().unique({ subset: ["g"], keep: name, maintainOrder: true }),
    );
  }
  const any = await run(P.unique(P.select(T, [E.col("g")])), { t: sampleFrame() });
  assert.deepStrictEqual(any.getColumn("g").sort().toArray(), ["a", "b", "c"]);
  await assertPlan(
    P.unique(P.select(T, [E.col("g"), E.col("b")]), { maintainOrder: true }),
    lazy().select("g", "b").unique({ keep: "any", maintainOrder: true }),
  );
});

Deno.test("runPlan() drops, renames and casts columns", async () => {
  await assertPlan(P.drop(T, ["s", "t"]), lazy().drop(["s", "t"]));
  await assertPlan(P.rename(T, { g: "group", i: "g" }), lazy().rename({ g: "group", i: "g" }));
  const cast = await assertPlan(
    P.cast(T, { i: dtype(Kind.KIND_FLOAT32), d: dtype(Kind.KIND_STRING) }),
    lazy().withColumns(c("i").cast(pl.Float32, true), c("d").cast(pl.String, true)),
  );
  assert.deepStrictEqual(cast.columns, ["g", "i", "f", "s", "b", "t", "d"]);
  await assert.rejects(run(P.cast(T, { s: dtype(Kind.KIND_INT64) }), { t: sampleFrame() }), {
    name: "QueryError",
  });
  const lenient = await run(P.cast(T, { s: dtype(Kind.KIND_INT64) }, false), { t: sampleFrame() });
  assert.deepStrictEqual(lenient.getColumn("s").toArray(), [null, null, null, null, null, null]);
});
