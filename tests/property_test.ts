/**
 * Random plans of the v1 nodes give the same rows, in the same order, on the cluster as in
 * process on nodejs-polars. Each operation is written once against the shared Polars-shaped
 * API and applied to both a nodejs-polars LazyFrame and a RemoteLazyFrame.
 */

import fc from "fast-check";
import pl from "nodejs-polars";
import remotePl, { connect, type RemoteLazyFrame } from "../sdk/mod.ts";
import { assertSameTable, frameToTable, INTEGRATION, testCluster } from "./_harness.ts";

const cluster = await testCluster();

/** The slice of the API both sides share, as the operations below use it. */
// deno-lint-ignore no-explicit-any
type Api = any;
type Op = { name: string; apply: (lf: Api, ns: Api) => Api };

const NUMERIC = ["a", "b"] as const;
const ALL = ["a", "b", "s", "g"] as const;

const rowOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ c: fc.constantFrom(...NUMERIC), v: fc.integer({ min: -50, max: 50 }) }).map((
    { c, v },
  ) => ({
    name: `filter(${c} > ${v})`,
    apply: (lf: Api, ns: Api) => lf.filter(ns.col(c).gt(v)),
  })),
  fc.constantFrom("a", "b", "s").map((c) => ({
    name: `filter(${c} is not null)`,
    apply: (lf: Api, ns: Api) => lf.filter(ns.col(c).isNotNull()),
  })),
  fc.constantFrom("x", "y", "z").map((v) => ({
    name: `filter(s == ${v} or a is null)`,
    apply: (lf: Api, ns: Api) => lf.filter(ns.col("s").eq(ns.lit(v)).or(ns.col("a").isNull())),
  })),
  fc.integer({ min: -5, max: 5 }).map((k) => ({
    name: `with_columns(b = b * ${k} + a)`,
    apply: (lf: Api, ns: Api) =>
      lf.withColumns(ns.col("b").mul(k).add(ns.col("a").cast(ns.Float64)).alias("b")),
  })),
  fc.constantFrom("a", "b").map((c) => ({
    name: `with_columns(when ${c} > 0 then ${c} else 0)`,
    apply: (lf: Api, ns: Api) =>
      lf.withColumns(
        ns.when(ns.col(c).gt(0)).then(ns.col(c)).otherwise(ns.lit(0).cast(ns.Float64)).alias(
          `${c}_pos`,
        ),
      ),
  })),
  fc.record({
    by: fc.shuffledSubarray([...ALL], { minLength: 1 }),
    descending: fc.boolean(),
    nullsLast: fc.boolean(),
  }).map(({ by, descending, nullsLast }) => ({
    name: `sort(${by.join(",")}, desc=${descending}, nullsLast=${nullsLast})`,
    apply: (lf: Api) => lf.sort({ by, descending, nullsLast, maintainOrder: true }),
  })),
  fc.integer({ min: 0, max: 30 }).map((n) => ({
    name: `head(${n})`,
    apply: (lf: Api) => lf.head(n),
  })),
  fc.integer({ min: 0, max: 30 }).map((n) => ({
    name: `tail(${n})`,
    apply: (lf: Api) => lf.tail(n),
  })),
  fc.record({ offset: fc.integer({ min: -20, max: 40 }), length: fc.integer({ min: 0, max: 30 }) })
    .map((
      { offset, length },
    ) => ({ name: `slice(${offset}, ${length})`, apply: (lf: Api) => lf.slice(offset, length) })),
  fc.record({
    subset: fc.shuffledSubarray(["s", "g"], { minLength: 1 }),
    keep: fc.constantFrom("first", "last"),
  }).map(({ subset, keep }) => ({
    name: `unique(${subset.join(",")}, keep=${keep})`,
    apply: (lf: Api) => lf.unique({ subset, keep, maintainOrder: true }),
  })),
);

const finalOp: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({
    name: "group_by(g).agg(sum a, mean b, count s, n_unique s, max b)",
    apply: (lf: Api, ns: Api) =>
      lf.groupBy("g", true).agg(
        ns.col("a").sum().alias("sa"),
        ns.col("b").mean().alias("mb"),
        ns.col("s").count().alias("cs"),
        ns.col("s").nUnique().alias("us"),
        ns.col("b").max().alias("xb"),
      ),
  }),
  fc.shuffledSubarray([...ALL], { minLength: 1 }).map((cols) => ({
    name: `select(${cols.join(",")})`,
    apply: (lf: Api, ns: Api) => lf.select(...cols.map((c) => ns.col(c))),
  })),
  fc.constantFrom("a", "s").map((c) => ({ name: `drop(${c})`, apply: (lf: Api) => lf.drop(c) })),
  fc.constant({ name: "rename(a→alpha)", apply: (lf: Api) => lf.rename({ a: "alpha" }) }),
  fc.constant({ name: "identity", apply: (lf: Api) => lf }),
);

const row = fc.record({
  a: fc.option(fc.integer({ min: -100, max: 100 }), { freq: 5 }),
  b: fc.option(fc.integer({ min: -1000, max: 1000 }).map((x) => x / 8), { freq: 5 }),
  s: fc.option(fc.constantFrom("x", "y", "z"), { freq: 5 }),
  g: fc.constantFrom("g1", "g2", "g3"),
});

function baseFrame(
  rows: Array<{ a: number | null; b: number | null; s: string | null; g: string }>,
) {
  return pl.DataFrame([
    pl.Series("a", rows.map((r) => r.a), pl.Int64),
    pl.Series("b", rows.map((r) => r.b), pl.Float64),
    pl.Series("s", rows.map((r) => r.s), pl.Utf8),
    pl.Series("g", rows.map((r) => r.g), pl.Utf8),
  ]);
}

Deno.test({
  name: "random plans give the same rows remotely as in-process nodejs-polars",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 0, maxLength: 40 }),
        fc.array(rowOp, { maxLength: 5 }),
        finalOp,
        async (rows, ops, last) => {
          const df = baseFrame(rows);
          await using remote = await client.fromArrow(frameToTable(df));
          let local: Api = df.lazy();
          let lf: RemoteLazyFrame = remote.lazy();
          for (const op of [...ops, last]) {
            local = op.apply(local, pl);
            lf = op.apply(lf, remotePl);
          }
          const expected = frameToTable(await local.collect());
          const actual = await lf.toArrow();
          assertSameTable(actual, expected, [...ops, last].map((o) => o.name).join(" → "));
        },
      ),
      { numRuns: 60, seed: 20261123, endOnFailure: true },
    );
  },
});
