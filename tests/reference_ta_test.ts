/**
 * Rolling and exponentially weighted statistics, returns and z-scores through a live cluster
 * against pandas-ta (pandas_ta_classic 0.8.32, the maintained fork of pandas-ta with the same
 * indicator definitions): seeded random-walk prices and integer-valued volumes of three
 * interleaved symbols go up once; tests/reference_ta.py runs the pandas-ta indicator on each
 * symbol's rows, and the SDK computes the same per symbol with `.over("sym")`.
 *
 * Null positions must be equal (pandas-ta's NaN is Polaroid's null; a NaN from Polaroid where
 * pandas-ta has NaN fails). A value passes when |actual − expected| ≤ rel · max(|expected|,
 * scale), per case:
 * - 0 (bit-equal): rolling median and quantile (the same order statistics and interpolation).
 * - 1e-12: rolling mean, ema, returns (the same arithmetic up to rounding; returns with scale
 *   1, see the returns test).
 * - 1e-9 where the algorithms sum in a different order: Polars updates sliding sums and
 *   moments row by row, pandas-ta sums every window afresh with numpy (std, var, zscore:
 *   largest relative difference seen 5e-11). Skew compares with scale 1 (skewness is O(1) and
 *   its third moment cancels): nodejs-polars 0.25's sliding rolling_skew differs from numpy by
 *   up to 8e-10 on prices whose level is ~100 standard deviations (Python Polars 2.1 agrees to
 *   1e-13), so values near zero lose relative digits.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { col, connect, type Expr, lit, type RemoteLazyFrame, when } from "../sdk/mod.ts";
import { frameToTable, INTEGRATION, testCluster } from "./_harness.ts";
import { runPython } from "../scripts/_python.ts";
import { uniform } from "./_random.ts";

const cluster = await testCluster();
const N = 2000;
const SYMBOLS = ["A", "B", "C"] as const;

/** N geometric random-walk closes and integer-valued volumes per symbol, interleaved. */
function data(): { sym: string[]; close: number[]; volume: number[] } {
  const u = uniform(20260417);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const out = { sym: [] as string[], close: [] as number[], volume: [] as number[] };
  const last = [100, 40, 250];
  for (let i = 0; i < N; i++) {
    SYMBOLS.forEach((sym, k) => {
      last[k] = last[k]! * Math.exp(0.012 * normal());
      out.sym.push(sym);
      out.close.push(last[k]!);
      out.volume.push(100 + Math.floor(u() * 40));
    });
  }
  return out;
}

/** A pandas-ta call: pandas_ta_classic.<fn>(column of one symbol, **kwargs). */
interface Reference {
  name: string;
  fn: string;
  /** @default "close" */
  column?: "close" | "volume";
  kwargs: Record<string, unknown>;
}

/** One comparison: the SDK expression (per symbol) and the pandas-ta call it must equal. */
interface Case extends Reference {
  expr: Expr;
  /** Relative tolerance; 0 for bit-equal values. */
  rel: number;
  /** The tolerance is rel · max(|expected|, scale). @default 0 */
  scale?: number;
}

const c = col("close");
const v = col("volume");

/** pandas-ta's default ema: the first `n` values replaced by their mean, then adjust=False. */
function smaSeededEma(x: Expr, n: number): Expr {
  const sma = x.rollingMean(n);
  return when(sma.shift(1).isNotNull()).then(x).otherwise(sma).ewmMean({ span: n, adjust: false });
}

const ROLLING: Case[] = [
  { name: "sma20", expr: c.rollingMean(20), fn: "sma", kwargs: { length: 20 }, rel: 1e-12 },
  {
    name: "sma50_volume",
    expr: v.rollingMean(50),
    fn: "sma",
    column: "volume",
    kwargs: { length: 50 },
    rel: 1e-12,
  },
  {
    name: "stdev20_ddof1",
    expr: c.rollingStd({ windowSize: 20, ddof: 1 }),
    fn: "stdev",
    kwargs: { length: 20, ddof: 1 },
    rel: 1e-9,
  },
  // pandas_ta_classic's stdev and variance default to ddof 0 (the population variance).
  {
    name: "stdev20_ddof0",
    expr: c.rollingStd({ windowSize: 20, ddof: 0 }),
    fn: "stdev",
    kwargs: { length: 20, ddof: 0 },
    rel: 1e-9,
  },
  {
    name: "variance30_ddof1",
    expr: c.rollingVar({ windowSize: 30, ddof: 1 }),
    fn: "variance",
    kwargs: { length: 30, ddof: 1 },
    rel: 1e-9,
  },
  {
    name: "variance30_ddof0",
    expr: c.rollingVar({ windowSize: 30, ddof: 0 }),
    fn: "variance",
    kwargs: { length: 30, ddof: 0 },
    rel: 1e-9,
  },
  { name: "median21", expr: c.rollingMedian(21), fn: "median", kwargs: { length: 21 }, rel: 0 },
  { name: "median20", expr: c.rollingMedian(20), fn: "median", kwargs: { length: 20 }, rel: 0 },
  {
    name: "median20_volume",
    expr: v.rollingMedian(20),
    fn: "median",
    column: "volume",
    kwargs: { length: 20 },
    rel: 0,
  },
  // pandas-ta's quantile is numpy's default, linear interpolation between order statistics.
  ...([[20, 0.25, "close"], [30, 0.9, "close"], [25, 0.1, "volume"], [20, 0.5, "volume"]] as const)
    .map(([n, q, column]): Case => ({
      name: `quantile${n}_${q}_${column}`,
      expr: col(column).rollingQuantile({ quantile: q, interpolation: "linear", windowSize: n }),
      fn: "quantile",
      column,
      kwargs: { length: n, q },
      rel: 1e-12,
    })),
  // pandas-ta's skew is pandas' unbiased (adjusted Fisher-Pearson) G1 = √(n(n−1))/(n−2)·g1:
  // Polars' rolling_skew with bias=false; the default bias=true gives g1.
  {
    name: "skew30",
    expr: c.rollingSkew({ windowSize: 30, bias: false }),
    fn: "skew",
    kwargs: { length: 30 },
    rel: 1e-9,
    scale: 1,
  },
  {
    name: "skew20_volume",
    expr: v.rollingSkew({ windowSize: 20, bias: false }),
    fn: "skew",
    column: "volume",
    kwargs: { length: 20 },
    rel: 1e-9,
    scale: 1,
  },
  // zscore = (x − mean) / std over the window, std with ddof 1 (pandas-ta fixes it).
  {
    name: "zscore30",
    expr: c.sub(c.rollingMean(30)).div(c.rollingStd(30)),
    fn: "zscore",
    kwargs: { length: 30 },
    rel: 1e-9,
  },
];

// pandas-ta's ema is close.ewm(span=n, adjust=False) after replacing the first n values by
// their mean (sma=True, the default). sma=False makes it the recursion of ewmMean({span,
// adjust}); the SMA seed is composed from rollingMean (both agree to 1e-15 here).
const EMA: Case[] = [
  {
    name: "ema10_plain",
    expr: c.ewmMean({ span: 10, adjust: false }),
    fn: "ema",
    kwargs: { length: 10, sma: false },
    rel: 1e-12,
  },
  {
    name: "ema10_adjust",
    expr: c.ewmMean({ span: 10, adjust: true }),
    fn: "ema",
    kwargs: { length: 10, sma: false, adjust: true },
    rel: 1e-12,
  },
  {
    name: "ema20_presma",
    expr: smaSeededEma(c, 20),
    fn: "ema",
    kwargs: { length: 20 },
    rel: 1e-12,
  },
];

// Returns are ratios minus one or logs of ratios: an ulp of the ratio (the SDK's (c − b) / b
// against pandas-ta's c / b − 1; Polars divides by a broadcast scalar such as c.first() as a
// multiplication by its reciprocal) is an absolute error in r, hence scale 1.
const RETURNS: Reference[] = [
  { name: "pct1", fn: "percent_return", kwargs: { length: 1 } },
  { name: "pct5", fn: "percent_return", kwargs: { length: 5 } },
  { name: "pct_cum", fn: "percent_return", kwargs: { cumulative: true } },
  { name: "log1", fn: "log_return", kwargs: { length: 1 } },
  { name: "log5", fn: "log_return", kwargs: { length: 5 } },
  { name: "log_cum", fn: "log_return", kwargs: { cumulative: true } },
];
const RETURN_TOLERANCE = { rel: 1e-12, scale: 1 };

type Values = (number | null)[];
type Tolerance = Pick<Case, "rel" | "scale">;

const DATA = data();
const REF: Record<string, Values> = JSON.parse(
  await runPython(
    new URL("./reference_ta.py", import.meta.url).pathname,
    JSON.stringify({
      data: DATA,
      cases: [...ROLLING, ...EMA, ...RETURNS].map(({ name, fn, column, kwargs }) => ({
        name,
        fn,
        column: column ?? "close",
        kwargs,
      })),
    }),
  ),
);

function near(actual: unknown, expected: number | null, tol: Tolerance, what: string): void {
  if (expected === null) {
    assert.equal(actual, null, `${what}: expected null, got ${actual}`);
    return;
  }
  assert.equal(typeof actual, "number", `${what}: got ${actual}, expected ${expected}`);
  const a = actual as number;
  const bound = tol.rel * Math.max(Math.abs(expected), tol.scale ?? 0);
  assert.ok(Math.abs(a - expected) <= bound, `${what}: ${a} vs ${expected}`);
}

function nearAll(actual: unknown[], expected: Values, tol: Tolerance, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: row count`);
  actual.forEach((a, i) => near(a, expected[i]!, tol, `${what} row ${i}`));
}

/** The rows of the symbols in `keep`, in order. */
function rowsOf(values: readonly (number | null)[], keep: readonly string[]): Values {
  return values.filter((_, i) => keep.includes(DATA.sym[i]!));
}

/** The number of leading nulls of each symbol. */
function leadingNulls(values: Values): number[] {
  return SYMBOLS.map((s) => {
    const own = rowsOf(values, [s]);
    const first = own.findIndex((x) => x !== null);
    assert.ok(own.slice(first).every((x) => x !== null), "nulls only at the start");
    return first;
  });
}

async function withFrame(fn: (lf: RemoteLazyFrame) => Promise<void>): Promise<void> {
  await using client = await connect({ endpoint: cluster.endpoints.compute });
  await using df = await client.fromArrow(frameToTable(pl.DataFrame(DATA)));
  await fn(df.lazy());
}

/** Every case's expression per symbol, in one query, against pandas-ta. */
async function compareCases(lf: RemoteLazyFrame, cases: Case[]): Promise<void> {
  const rows = await lf.select(...cases.map((k) => k.expr.over("sym").alias(k.name))).toRecords();
  for (const k of cases) {
    nearAll(rows.map((r) => r[k.name]), REF[k.name]!, k, k.name);
  }
}

Deno.test({
  name: "rolling mean, std, var, median, quantile, skew and zscore per symbol equal pandas-ta",
  ...INTEGRATION,
  async fn() {
    assert.deepEqual(leadingNulls(REF.sma20!), [19, 19, 19]);
    assert.deepEqual(leadingNulls(REF.skew30!), [29, 29, 29]);
    assert.deepEqual(leadingNulls(REF.zscore30!), [29, 29, 29]);
    // The two ddof conventions differ by √(n / (n − 1)), so each case can tell them apart.
    const [s1, s0] = [REF.stdev20_ddof1![100]!, REF.stdev20_ddof0![100]!];
    assert.ok(Math.abs(s1 / s0 - Math.sqrt(20 / 19)) < 1e-12);
    await withFrame((lf) => compareCases(lf, ROLLING));
  },
});

Deno.test({
  name: "ewmMean() per symbol equals pandas-ta ema with and without its SMA seed",
  ...INTEGRATION,
  async fn() {
    assert.deepEqual(leadingNulls(REF.ema20_presma!), [19, 19, 19]);
    assert.deepEqual(leadingNulls(REF.ema10_plain!), [0, 0, 0]);
    await withFrame((lf) => compareCases(lf, EMA));
  },
});

Deno.test({
  name: "rolling statistics and ema without over() on one symbol equal pandas-ta",
  ...INTEGRATION,
  async fn() {
    const cases = [...ROLLING, ...EMA].filter((k) =>
      ["sma20", "stdev20_ddof1", "median20", "quantile20_0.25_close", "skew30", "ema20_presma"]
        .includes(k.name)
    );
    assert.equal(cases.length, 6);
    await withFrame(async (lf) => {
      const one = lf.filter(col("sym").eq(lit("B")));
      const rows = await one.select(...cases.map((k) => k.expr.alias(k.name))).toRecords();
      for (const k of cases) {
        nearAll(rows.map((r) => r[k.name]), rowsOf(REF[k.name]!, ["B"]), k, k.name);
      }
    });
  },
});

Deno.test({
  name: "finance.returns() per symbol equals pandas-ta percent_return and log_return",
  ...INTEGRATION,
  async fn() {
    await withFrame(async (lf) => {
      const f = lf.finance;
      const by = "sym";
      const got = async (out: RemoteLazyFrame, name: string) =>
        (await out.select(name).toRecords()).map((r) => r[name]);
      const cases: [RemoteLazyFrame, string, string][] = [
        [f.returns("close", { by }), "close_return", "pct1"],
        [f.returns("close", { by, periods: 5 }), "close_return", "pct5"],
        [f.returns("close", { by, kind: "cumulative" }), "close_cum_return", "pct_cum"],
        [f.returns("close", { by, kind: "log" }), "close_log_return", "log1"],
        [f.returns("close", { by, kind: "log", periods: 5 }), "close_log_return", "log5"],
        // ln(cₜ / c₀) has no finance kind: it is an expression.
        [lf.withColumns(c.div(c.first()).log().over(by).alias("log_cum")), "log_cum", "log_cum"],
      ];
      for (const [out, name, ref] of cases) {
        nearAll(await got(out, name), REF[ref]!, RETURN_TOLERANCE, ref);
      }
      assert.deepEqual(leadingNulls(REF.pct1!), [1, 1, 1]);
      assert.deepEqual(leadingNulls(REF.log5!), [5, 5, 5]);
      const cumulative = await got(cases[2]![0], "close_cum_return");
      assert.deepEqual(cumulative.slice(0, 3), [0, 0, 0], "each symbol starts at 0 exactly");
    });
  },
});
