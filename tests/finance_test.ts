/**
 * Finance operations (`lf.finance`) through a live cluster against pandas: seeded OHLCV bars
 * of two interleaved symbols go up once; tests/finance_reference.py computes the same
 * quantities with pandas, per symbol. Values agree to 1e-9 relative (1e-12 where the
 * arithmetic is the same), and the nulls at the start of each symbol's windows fall where
 * pandas' rolling(n) (min_periods = n) puts its NaN.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { connect, type RemoteLazyFrame, type Row } from "../sdk/mod.ts";
import type { VolatilityMethod } from "../sdk/timeseries/finance.ts";
import { frameToTable, INTEGRATION, testCluster } from "./_harness.ts";
import { runPython } from "../scripts/_python.ts";
import { uniform } from "./_random.ts";

const cluster = await testCluster();
const N = 260;
const WINDOW = 20;
const ANNUALIZATION = 252;
const LAMBDA = 0.94;
const MATRIX = ["open", "close", "volume", "x"];
const DAY = 86_400_000;

/** Seeded OHLCV bars of symbols "A" and "B", interleaved by time, with irregular gaps. */
function bars(): Record<string, (string | number)[]> {
  const u = uniform(20261123);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const cols: Record<string, (string | number)[]> = {
    sym: [],
    ts: [],
    open: [],
    high: [],
    low: [],
    close: [],
    volume: [],
    x: [],
    y: [],
  };
  const last = { A: 100, B: 40 };
  let t = Date.UTC(2024, 0, 2);
  for (let i = 0; i < N; i++) {
    t += DAY * (1 + Math.floor(u() * 3));
    for (const sym of ["A", "B"] as const) {
      const open = last[sym] * Math.exp(0.004 * normal());
      const close = open * Math.exp(0.015 * normal());
      const x = normal();
      const push = (k: string, v: string | number) => cols[k]!.push(v);
      push("sym", sym);
      push("ts", t);
      push("open", open);
      push("high", Math.max(open, close) * Math.exp(0.006 * Math.abs(normal())));
      push("low", Math.min(open, close) * Math.exp(-0.006 * Math.abs(normal())));
      push("close", close);
      push("volume", 100 + Math.floor(u() * 50));
      push("x", x);
      push("y", 0.6 * x + 0.8 * normal());
      last[sym] = close;
    }
  }
  return cols;
}

type Values = (number | null)[];
type Reference = Record<string, unknown>;

/** Rows whose close is missing in the EWMA gap case (A: 120, 122, 124 and 300; B: 181). */
const GAPS = [120, 122, 124, 181, 300];

async function pandas(data: Record<string, unknown>): Promise<Reference> {
  const input = { data, window: WINDOW, annualization: ANNUALIZATION, lambda: LAMBDA, gaps: GAPS };
  const script = new URL("./finance_reference.py", import.meta.url).pathname;
  return JSON.parse(await runPython(script, JSON.stringify({ ...input, columns: MATRIX })));
}

const DATA = bars();
const REF = await pandas(DATA);

function frame(): pl.DataFrame {
  return pl.DataFrame({
    ...DATA,
    ts: pl.Series("ts", (DATA.ts as number[]).map((ms) => new Date(ms)), pl.Datetime("ms")),
  });
}

function near(actual: unknown, expected: unknown, rel: number, what: string): void {
  if (expected === null) {
    assert.equal(actual, null, `${what}: expected null, got ${actual}`);
    return;
  }
  assert.equal(typeof actual, "number", `${what}: got ${actual}, expected ${expected}`);
  const [a, e] = [actual as number, expected as number];
  assert.ok(Math.abs(a - e) <= rel * Math.abs(e), `${what}: ${a} vs ${e}`);
}

function nearAll(actual: unknown[], expected: Values, rel: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: row count`);
  actual.forEach((v, i) => near(v, expected[i], rel, `${what} row ${i}`));
}

function nearRows(actual: Row[], expected: Record<string, unknown>[], rel: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: row count`);
  actual.forEach((row, i) => {
    const want = expected[i]!;
    assert.deepEqual(Object.keys(row), Object.keys(want), `${what}: columns`);
    for (const [k, v] of Object.entries(want)) {
      if (typeof v === "string") assert.equal(row[k], v, `${what} row ${i} ${k}`);
      else near(row[k], v, rel, `${what} row ${i} ${k}`);
    }
  });
}

async function column(lf: RemoteLazyFrame, name: string): Promise<unknown[]> {
  return (await lf.select(name).toRecords()).map((r) => r[name]);
}

/** Starts with nulls exactly where pandas has them: the first `n` rows of each symbol. */
function leadingNulls(values: Values, n: number): void {
  const nulls = values.flatMap((v, i) => v === null ? [i] : []);
  assert.deepEqual(nulls, Array.from({ length: 2 * n }, (_, i) => i));
}

async function withFrame(fn: (lf: RemoteLazyFrame) => Promise<void>): Promise<void> {
  await using client = await connect({ endpoint: cluster.endpoints.compute });
  await using df = await client.fromArrow(frameToTable(frame()));
  await fn(df.lazy());
}

Deno.test({
  name: "finance.volatility() of every method per symbol equals pandas",
  ...INTEGRATION,
  async fn() {
    await withFrame(async (lf) => {
      const methods: [VolatilityMethod, number][] = [
        ["close", WINDOW],
        ["ewma", WINDOW],
        ["parkinson", WINDOW - 1],
        ["garman_klass", WINDOW - 1],
        ["rogers_satchell", WINDOW - 1],
        ["yang_zhang", WINDOW],
      ];
      for (const [method, nullRows] of methods) {
        const expected = REF[`vol_${method}`] as Values;
        leadingNulls(expected, nullRows);
        const out = lf.finance.volatility({ method, window: WINDOW, by: "sym", alias: "vol" });
        nearAll(await column(out, "vol"), expected, 1e-9, method);
      }
      // annualization 1 gives the per-bar volatility: the annualised one over √252.
      const daily = lf.finance.volatility({
        method: "parkinson",
        window: WINDOW,
        by: "sym",
        annualization: 1,
      });
      const perBar = (REF.vol_parkinson as Values).map((v) =>
        v === null ? null : v / Math.sqrt(252)
      );
      nearAll(await column(daily, "volatility"), perBar, 1e-12, "parkinson per bar");
    });
  },
});

Deno.test({
  name:
    "finance.volatility() ewma over missing closes equals pandas' default ewm (ignore_na=False)",
  ...INTEGRATION,
  async fn() {
    const close = (DATA.close as number[]).map((c, i) => GAPS.includes(i) ? null : c);
    const gappy = frame().withColumns(pl.Series("close", close, pl.Float64));
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromArrow(frameToTable(gappy));
    const out = df.lazy().finance.volatility({ method: "ewma", window: WINDOW, by: "sym" });
    const got = await column(out, "volatility");
    const expected = REF.vol_ewma_gaps as Values;
    nearAll(got, expected, 1e-12, "ewma with gaps");
    // The bars without a return repeat the last value, as pandas: no null after the first n.
    for (const row of [...GAPS, ...GAPS.map((r) => r + 2)]) {
      assert.equal(typeof got[row], "number", `row ${row}`);
      assert.equal(got[row], got[row - 2], `row ${row} repeats the bar before`);
    }
    // The rule matters here: skipping the gap (ignore_na=True) differs by over 0.1%.
    const skipping = REF.vol_ewma_gaps_ignore_na as Values;
    const worst = Math.max(
      ...expected.map((e, i) => e === null ? 0 : Math.abs(skipping[i]! - e) / e),
    );
    assert.ok(worst > 1e-3, `ignore_na=True differs by ${worst} only`);
  },
});

Deno.test({
  name:
    "finance.volatility() close equals exact fractions to 1e-12, exactly 0 over unchanged closes",
  ...INTEGRATION,
  async fn() {
    // FX-like closes of two symbols (1.085 in 1e-5 steps), unchanged for 40 bars every 500.
    const u = uniform(20261202);
    const sym: string[] = [];
    const close: number[] = [];
    for (const s of ["A", "B"]) {
      let ticks = 108_500;
      for (let i = 0; i < 3000; i++) {
        if (i % 500 >= 40) ticks += u() < 0.5 ? -1 : 1;
        sym.push(s);
        close.push(ticks / 1e5);
      }
    }
    const bars = pl.DataFrame([pl.Series("sym", sym), pl.Series("close", close, pl.Float64)]);
    // The log returns as the engine computes them, and the exact std of each window of 20.
    const returns = bars.select(
      pl.col("close").div(pl.col("close").shift(1)).log().over("sym").alias("r"),
    ).getColumn("r").toArray() as (number | null)[];
    const script = new URL("./exact_variance_reference.py", import.meta.url).pathname;
    const input = {
      values: returns,
      by: sym,
      minPeriods: WINDOW,
      ddof: 1,
      window: { rows: WINDOW },
    };
    const expected = JSON.parse(await runPython(script, JSON.stringify({ cases: [input] })))
      .results[0].std as Values;
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromArrow(frameToTable(bars));
    const got = await column(
      df.lazy().finance.volatility({ window: WINDOW, by: "sym", annualization: 1 }),
      "volatility",
    );
    nearAll(got, expected, 1e-12, "close-to-close");
    const zeros = expected.flatMap((e, i) => e === 0 ? [i] : []);
    assert.ok(zeros.length >= 100, `${zeros.length} windows of unchanged closes`);
    for (const i of zeros) assert.equal(got[i], 0, `row ${i}`);
  },
});

Deno.test({
  name: "finance.returns(), lag, lead, diff and pctChange per symbol equal pandas",
  ...INTEGRATION,
  async fn() {
    await withFrame(async (lf) => {
      const f = lf.finance;
      // Returns are compared as price ratios (1 + r) to 1e-12: pandas computes c / b − 1, the
      // SDK (c − b) / b, which differ by an ulp of the ratio when r is near zero.
      const ratio = (v: unknown) => typeof v === "number" ? 1 + v : v;
      const asRatio = (values: unknown[]) => values.map(ratio) as Values;
      const cases: [RemoteLazyFrame, string, string, number, boolean][] = [
        [f.returns("close", { by: "sym" }), "close_return", "simple", 1e-12, true],
        [f.returns("close", { by: "sym", periods: 3 }), "close_return", "simple3", 1e-12, true],
        [f.returns("close", { by: "sym", kind: "log" }), "close_log_return", "log", 1e-12, false],
        [
          f.returns("close", { kind: "cumulative", by: ["sym"] }),
          "close_cum_return",
          "cumulative",
          1e-12,
          true,
        ],
        [f.lag("close", 2, { by: "sym" }), "close_lag2", "lag2", 0, false],
        [f.lead("close", 1, { by: "sym", alias: "next" }), "next", "lead1", 0, false],
        [f.diff("close", 1, { by: "sym" }), "close_diff", "diff1", 0, false],
        [f.pctChange("close", 2, { by: "sym" }), "close_pct_change", "pct2", 1e-12, true],
      ];
      for (const [out, name, ref, rel, isReturn] of cases) {
        const got = await column(out, name);
        const want = REF[ref] as Values;
        if (isReturn) nearAll(asRatio(got), asRatio(want), rel, ref);
        else nearAll(got, want, rel, ref);
      }
      const cumulative = await column(
        f.returns("close", { kind: "cumulative", by: "sym" }),
        "close_cum_return",
      );
      assert.deepEqual(cumulative.slice(0, 2), [0, 0], "each symbol starts at 0 exactly");
      assert.equal((REF.simple3 as Values).filter((v) => v === null).length, 6);
    });
  },
});

Deno.test({
  name: "finance.vwap(), twap() and rollingVwap() per symbol equal pandas",
  ...INTEGRATION,
  async fn() {
    await withFrame(async (lf) => {
      const f = lf.finance;
      nearRows(await f.vwap({ by: "sym" }).toRecords(), REF.vwap as Row[], 1e-12, "vwap");
      const twap = REF.twap as { sym: string; twap: number; mean: number }[];
      const timed = await f.twap({ index: "ts", by: "sym" }).toRecords();
      nearRows(timed, twap.map(({ sym, twap }) => ({ sym, twap })), 1e-12, "twap");
      const plain = await f.twap({ by: "sym", alias: "mean" }).toRecords();
      nearRows(plain, twap.map(({ sym, mean }) => ({ sym, mean })), 1e-12, "twap by rows");
      const all = await f.vwap().toRecords();
      assert.deepEqual(Object.keys(all[0]!), ["vwap"]);
      assert.equal(all.length, 1);
      const rolling = await column(f.rollingVwap(WINDOW, { by: "sym" }), "rolling_vwap");
      leadingNulls(REF.rolling_vwap as Values, WINDOW - 1);
      nearAll(rolling, REF.rolling_vwap as Values, 1e-9, "rolling vwap");
    });
  },
});

Deno.test({
  name: "finance.correlation() gives the pandas Pearson and Spearman matrices",
  ...INTEGRATION,
  async fn() {
    await withFrame(async (lf) => {
      for (const method of ["pearson", "spearman"] as const) {
        const whole = await lf.finance.correlation(MATRIX, { method }).toRecords();
        nearRows(whole, REF[method] as Row[], 1e-9, method);
        const bySym = await lf.finance.correlation(MATRIX, { method, by: "sym" }).toRecords();
        nearRows(bySym, REF[`${method}_by`] as Row[], 1e-9, `${method} by symbol`);
      }
    });
  },
});

Deno.test({
  name: "finance.rollingCorrelation() per symbol equals pandas rolling(n).corr()",
  ...INTEGRATION,
  async fn() {
    await withFrame(async (lf) => {
      const f = lf.finance;
      leadingNulls(REF.rolling_corr as Values, WINDOW - 1);
      const xy = await column(f.rollingCorrelation("x", "y", WINDOW, { by: "sym" }), "x_y_corr");
      nearAll(xy, REF.rolling_corr as Values, 1e-9, "x y");
      const px = f.rollingCorrelation("close", "volume", WINDOW, { by: "sym", alias: "c" });
      nearAll(await column(px, "c"), REF.rolling_corr_px as Values, 1e-9, "close volume");
    });
  },
});
