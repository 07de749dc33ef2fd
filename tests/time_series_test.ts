/**
 * Time-series frames through a live cluster: asTimeSeries() checks and metadata, and the
 * series operations against their references (tests/time_series_reference.py): rolling
 * windows by duration and by rows, expanding windows, EWM, lag/lead by time, bounded forward
 * fill and asof interpolation against pandas; rolling windows over repeated instants and
 * upsampling against Python Polars. Seeded ticks of three interleaved symbols; values agree
 * to 1e-9 relative (sums of different order), nulls where the references have NaN.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  col,
  connect,
  type RemoteLazyFrame,
  type RemoteTimeSeries,
  TIME_SERIES_METADATA,
} from "../sdk/mod.ts";
import { frameToTable, INTEGRATION, testCluster } from "./_harness.ts";
import { runPython } from "../scripts/_python.ts";
import { uniform } from "./_random.ts";

const cluster = await testCluster();
const SYMBOLS = ["A", "B", "C"];
const WINDOW = "5m";
const ROWS = 7;
const START = Date.UTC(2024, 2, 1, 14) * 1000; // µs

type Columns = Record<string, (string | number | null)[]>;

/**
 * Irregular ticks (1 s to 3 min apart; with `repeat`, every fifth tick repeats the previous
 * instant), interleaved across symbols by time.
 */
function ticks(seed: number, perSymbol: number, repeat = false): Columns {
  const u = uniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const rows: {
    sym: string;
    ts: number;
    price: number;
    x: number;
    y: number;
    gappy: number | null;
  }[] = [];
  for (const sym of SYMBOLS) {
    let t = START;
    let price = 50 + 50 * u();
    for (let i = 0; i < perSymbol; i++) {
      if (!(repeat && i % 5 === 4)) t += 1_000_000 * (1 + Math.floor(u() * 180));
      price *= Math.exp(0.002 * normal());
      const x = normal();
      rows.push({ sym, ts: t, price, x, y: 0.5 * x + normal(), gappy: u() < 0.4 ? null : price });
    }
  }
  rows.sort((a, b) => a.ts - b.ts || a.sym.localeCompare(b.sym));
  const out: Columns = { sym: [], ts: [], price: [], x: [], y: [], gappy: [] };
  for (const row of rows) for (const [k, v] of Object.entries(row)) out[k]!.push(v);
  return out;
}

function table(columns: Columns) {
  const { ts, ...rest } = columns;
  return frameToTable(pl.DataFrame({
    ...rest,
    ts: pl.Series("ts", ts as number[], pl.Int64).cast(pl.Datetime("us")),
  }));
}

const DATA = ticks(20261123, 300);
const DUPS = ticks(7, 200, true);
const TRADES = ticks(11, 120);
const QUOTES: Columns = (() => {
  const q = ticks(12, 150);
  return { sym: q.sym!, ts: q.ts!, bid: q.price! };
})();
/** Minute-aligned values with gaps of whole minutes, for upsampling. */
const UPSAMPLE = (() => {
  const u = uniform(3);
  const out: Columns = { sym: [], ts: [], v: [] };
  for (const sym of ["A", "B"]) {
    let t = START;
    for (let i = 0; i < 40; i++) {
      t += 60_000_000 * (1 + Math.floor(u() * 4));
      out.sym!.push(sym);
      out.ts!.push(t);
      out.v!.push(Math.round(u() * 1000) / 10);
    }
  }
  return out;
})();

/**
 * Left instants for asof joins onto DUPS: each distinct instant of a symbol (exact matches of
 * repeated right instants), the midpoints between consecutive ones (ties for "nearest"), one
 * second before the first and one after the last.
 */
const ASOF_LEFT: Columns = (() => {
  const rows: { sym: string; ts: number }[] = [];
  for (const sym of SYMBOLS) {
    const times = [
      ...new Set((DUPS.ts as number[]).filter((_, i) => DUPS.sym![i] === sym)),
    ];
    rows.push({ sym, ts: times[0]! - 1_000_000 }, { sym, ts: times.at(-1)! + 1_000_000 });
    times.forEach((t, i) => {
      rows.push({ sym, ts: t });
      if (i + 1 < times.length) rows.push({ sym, ts: (t + times[i + 1]!) / 2 });
    });
  }
  rows.sort((a, b) => a.ts - b.ts || a.sym.localeCompare(b.sym));
  return { sym: rows.map((r) => r.sym), ts: rows.map((r) => r.ts) };
})();

const REF: Record<string, (number | string | null)[]> = JSON.parse(
  await runPython(
    new URL("./time_series_reference.py", import.meta.url).pathname,
    JSON.stringify({
      data: DATA,
      dups: DUPS,
      trades: TRADES,
      quotes: QUOTES,
      upsample: UPSAMPLE,
      asof_left: ASOF_LEFT,
      window: WINDOW,
      rows: ROWS,
    }),
  ),
);

function near(actual: unknown, expected: unknown, rel: number, what: string): void {
  if (expected === null) {
    assert.ok(actual === null || Number.isNaN(actual), `${what}: expected null, got ${actual}`);
    return;
  }
  assert.equal(typeof actual, "number", `${what}: got ${actual}, expected ${expected}`);
  const [a, e] = [actual as number, expected as number];
  assert.ok(Math.abs(a - e) <= rel * Math.max(1, Math.abs(e)), `${what}: ${a} vs ${e}`);
}

function nearAll(actual: unknown[], name: string, rel = 1e-9): void {
  const expected = REF[name]!;
  assert.ok(expected !== undefined, `no reference ${name}`);
  assert.equal(actual.length, expected.length, `${name}: row count`);
  assert.ok(expected.some((v) => v !== null), `${name}: reference is all null`);
  actual.forEach((v, i) => near(v, expected[i], rel, `${name} row ${i}`));
}

async function columns(lf: RemoteLazyFrame, names: string[]): Promise<Record<string, unknown[]>> {
  const rows = await lf.select(...names).toRecords();
  return Object.fromEntries(names.map((n) => [n, rows.map((r) => r[n])]));
}

async function withSeries(
  data: Columns,
  fn: (ts: RemoteTimeSeries) => Promise<void>,
  duplicates: "keep" | "error" = "keep",
): Promise<void> {
  await using client = await connect({ endpoint: cluster.endpoints.compute });
  await using df = await client.fromArrow(table(data));
  const ts = await df.asTimeSeries({ index: "ts", by: "sym", duplicates });
  try {
    await fn(ts);
  } finally {
    await ts.frame!.release();
  }
}

Deno.test({
  name: "asTimeSeries() checks the frame, detects its frequency and keeps both on the handle",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromArrow(table(UPSAMPLE));
    const ts = await df.asTimeSeries({ index: "ts", by: "sym" });
    try {
      assert.equal(ts.info.rows, 80);
      assert.equal(ts.info.symbols, 2);
      assert.equal(ts.info.kind, "datetime");
      assert.equal(ts.info.duplicates, 0);
      assert.equal(ts.info.frequency.regular, false);
      assert.equal(ts.info.frequency.minStep, "1m");
      assert.equal(ts.info.frequency.maxStep, "4m");
      assert.match(ts.info.frequency.step!, /^[1-4]m$/);
      // Reopened by id: the metadata alone makes it a series again.
      const again = await (await client.handle(ts.frame!.id)).asTimeSeries();
      assert.deepEqual(again.info, ts.info);
      assert.ok(ts.frame!.metadata[TIME_SERIES_METADATA]!.includes('"index":"ts"'));
      await assert.rejects(df.asTimeSeries(), /not made by asTimeSeries/);
      // Time zones: the same instants shown in New York; wall-clock times read as Tokyo.
      const ny = await ts.convertTimeZone("America/New_York").lazy().schema();
      assert.equal(ny.ts!.timeZone, "America/New_York");
      const tokyo = ts.replaceTimeZone("Asia/Tokyo").lazy().select(
        col("ts").dt.epoch("s").alias("e"),
      ).head(1);
      assert.equal(
        Number((await tokyo.toRecords())[0]!.e),
        (UPSAMPLE.ts![0] as number) / 1e6 - 9 * 3600,
      );
      // A regular series.
      const grid = await ts.upsample({ every: "1m" }).collect();
      assert.equal(grid.info.rows, 80); // the facts of the series it came from
      const regular = await grid.frame!.asTimeSeries({ index: "ts", by: "sym" });
      assert.equal(regular.info.frequency.regular, true);
      assert.equal(regular.info.frequency.step, "1m");
      await regular.frame!.release();
      await grid.frame!.release();
    } finally {
      await ts.frame!.release();
    }
  },
});

Deno.test({
  name: "asTimeSeries() refuses unsorted, null and repeated instants unless a policy fixes them",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const shuffled = { ...UPSAMPLE, ts: [...UPSAMPLE.ts!].reverse() };
    await using bad = await client.fromArrow(table(shuffled));
    await assert.rejects(
      bad.asTimeSeries({ index: "ts", by: "sym" }),
      /'ts' must be sorted within each sym \(or unsorted: "sort"\): current value is "78 rows earlier/,
    );
    const sorted = await bad.asTimeSeries({ index: "ts", by: "sym", unsorted: "sort" });
    assert.equal(sorted.info.rows, 80);
    const order = await columns(sorted.lazy(), ["sym", "ts"]);
    assert.deepEqual(order.sym, [...Array(40).fill("A"), ...Array(40).fill("B")]);
    await sorted.frame!.release();

    await using dups = await client.fromArrow(table(DUPS));
    await assert.rejects(
      dups.asTimeSeries({ index: "ts", by: "sym", duplicates: "error" }),
      /'ts' must be unique within each sym .*: current value is "120 repeated instants"/,
    );
    const last = await dups.asTimeSeries({ index: "ts", by: "sym", duplicates: "last" });
    assert.equal(last.info.rows, 600 - 120);
    assert.equal(last.info.duplicates, 0);
    await last.frame!.release();

    const withNull = { ...UPSAMPLE, ts: UPSAMPLE.ts!.map((t, i) => i === 3 ? null : t) };
    await using nulls = await client.fromArrow(table(withNull));
    await assert.rejects(nulls.asTimeSeries({ index: "ts" }), /free of nulls .*"1 null rows"/);
    const dropped = await nulls.asTimeSeries({ index: "ts", by: "sym", nulls: "drop" });
    assert.equal(dropped.info.rows, 79);
    await dropped.frame!.release();
    await assert.rejects(bad.asTimeSeries({ index: "sym" }), /Datetime, Date or integer/);
    await assert.rejects(bad.asTimeSeries({ index: "ts", by: "nope" }), /'by' must be columns/);
  },
});

Deno.test({
  name: "rolling() by duration and by rows, per symbol, equals pandas",
  ...INTEGRATION,
  async fn() {
    await withSeries(DATA, async (ts) => {
      const stats = [
        "mean",
        "sum",
        "min",
        "max",
        "std",
        "var",
        "median",
        "quantile",
        "skew",
      ] as const;
      const byTime = ts.rolling({
        window: WINDOW,
        columns: ["price"],
        stats: [...stats],
        quantile: 0.9,
        pairs: [["x", "y"]],
        pairStats: ["corr", "cov"],
      });
      const names = [
        ...stats.map((s) => `price_${s}_${WINDOW}`),
        `x_y_corr_${WINDOW}`,
        `x_y_cov_${WINDOW}`,
      ];
      const got = await columns(byTime.lazy(), names);
      for (const s of stats) {
        nearAll(got[`price_${s}_${WINDOW}`]!, `time_${s}`, s === "skew" ? 1e-7 : 1e-9);
      }
      nearAll(got[`x_y_corr_${WINDOW}`]!, "time_corr", 1e-7);
      nearAll(got[`x_y_cov_${WINDOW}`]!, "time_cov", 1e-7);

      const byRows = ts.rolling({
        window: ROWS,
        columns: ["price"],
        stats: ["mean", "std", "median", "skew"],
        pairs: [["x", "y"]],
      });
      const rows = await columns(byRows.lazy(), [
        "price_mean_7",
        "price_std_7",
        "price_median_7",
        "price_skew_7",
        "x_y_corr_7",
      ]);
      nearAll(rows.price_mean_7!, "rows_mean");
      nearAll(rows.price_std_7!, "rows_std", 1e-7);
      nearAll(rows.price_median_7!, "rows_median");
      nearAll(rows.price_skew_7!, "rows_skew", 1e-7);
      nearAll(rows.x_y_corr_7!, "rows_corr", 1e-7);
      // Row order and every other column are the frame's.
      const kept = await columns(byRows.lazy(), ["sym", "ts", "price"]);
      assert.deepEqual(kept.sym, DATA.sym);
      assert.throws(() => ts.rolling({ window: "5x", columns: ["price"] }), /'window' must be/);
      assert.throws(() => ts.rolling({ window: 0, columns: ["price"] }), /positive number of rows/);
      assert.throws(
        () => ts.rolling({ window: 5, columns: ["price"], closed: "left" }),
        /unset for a window of rows/,
      );
    });
  },
});

Deno.test({
  name: "rolling() by duration over repeated instants equals Python Polars' rolling_*_by",
  ...INTEGRATION,
  async fn() {
    await withSeries(DUPS, async (ts) => {
      const stats = ["mean", "sum", "min", "max", "std", "var", "median", "quantile"] as const;
      const got = await columns(
        ts.rolling({ window: WINDOW, columns: ["price"], stats: [...stats], quantile: 0.9 }).lazy(),
        stats.map((s) => `price_${s}_${WINDOW}`),
      );
      for (const s of stats) nearAll(got[`price_${s}_${WINDOW}`]!, `dups_${s}`, 1e-9);
    });
  },
});

Deno.test({
  name: "expanding() and ewm() per symbol equal pandas",
  ...INTEGRATION,
  async fn() {
    await withSeries(DATA, async (ts) => {
      const stats = ["mean", "std", "var", "median", "min", "max", "sum", "quantile"] as const;
      const exp = ts.expanding({ columns: ["price"], stats: [...stats], quantile: 0.25 });
      const got = await columns(exp.lazy(), stats.map((s) => `price_expanding_${s}`));
      for (const s of stats) nearAll(got[`price_expanding_${s}`]!, `expanding_${s}`, 1e-9);
      const ewm = await columns(
        ts.ewm({ columns: ["price"], stats: ["mean", "std", "var"], span: 10 }).lazy(),
        ["price_ewm_mean", "price_ewm_std", "price_ewm_var"],
      );
      for (const s of ["mean", "std", "var"]) nearAll(ewm[`price_ewm_${s}`]!, `ewm_${s}`, 1e-9);
      const plain = await columns(
        ts.ewm({ columns: ["price"], stats: ["mean", "std", "var"], halfLife: 7, adjust: false })
          .lazy(),
        ["price_ewm_mean", "price_ewm_std", "price_ewm_var"],
      );
      for (const s of ["mean", "std", "var"]) {
        nearAll(plain[`price_ewm_${s}`]!, `ewm_noadjust_${s}`, 1e-9);
      }
      assert.throws(() => ts.ewm({ columns: ["price"], span: 3, alpha: 0.5 }), /exactly one given/);
      assert.throws(() => ts.expanding({ columns: ["price"], stats: ["skew"] }), /'stats' must be/);
    });
  },
});

Deno.test({
  name:
    "ewm() over missing values equals pandas' default ignore_na=False; null rows repeat the last",
  ...INTEGRATION,
  async fn() {
    await withSeries(DATA, async (ts) => {
      const names = ["gappy_ewm_mean", "gappy_ewm_std", "gappy_ewm_var"];
      const stats = ["mean", "std", "var"] as const;
      const adjusted = await columns(
        ts.ewm({ columns: ["gappy"], stats: [...stats], span: 10 }).lazy(),
        names,
      );
      const plain = await columns(
        ts.ewm({ columns: ["gappy"], stats: [...stats], halfLife: 7, adjust: false }).lazy(),
        names,
      );
      for (const s of stats) {
        nearAll(adjusted[`gappy_ewm_${s}`]!, `ewm_gappy_${s}`, 1e-9);
        nearAll(plain[`gappy_ewm_${s}`]!, `ewm_gappy_noadjust_${s}`, 1e-9);
        // The rule matters on this data: skipping missing values differs by over 0.1%.
        for (const kind of ["ewm_gappy", "ewm_gappy_noadjust"]) {
          const ours = REF[`${kind}_${s}`]!;
          const skipping = REF[`${kind}_${s}_ignore_na`]!;
          const worst = Math.max(
            ...ours.map((e, i) =>
              typeof e === "number" && e !== 0 ? Math.abs((skipping[i] as number) - e) / e : 0
            ),
          );
          assert.ok(worst > 1e-3, `${kind}_${s}: ignore_na=True differs by ${worst} only`);
        }
      }
      // A row without a value repeats its symbol's last result (Polars alone gives null).
      const gappy = DATA.gappy!;
      const mean = adjusted.gappy_ewm_mean!;
      const missing = gappy.flatMap((v, i) => v === null ? [i] : []);
      assert.ok(missing.length > 100);
      for (const i of missing) {
        const before = DATA.sym!.lastIndexOf(DATA.sym![i]!, i - 1);
        if (before >= 0) assert.equal(mean[i], mean[before], `row ${i}`);
      }
    });
  },
});

/**
 * FX-like ticks of the three symbols: 1.085 in 1e-5 steps, 1 s to 20 s apart, each symbol
 * flat for 60 ticks every 1000 (windows of equal values).
 */
const FX: Columns = (() => {
  const u = uniform(20261201);
  const rows: { sym: string; ts: number; px: number }[] = [];
  for (const sym of SYMBOLS) {
    let t = START;
    let ticks = 108_500;
    for (let i = 0; i < 4000; i++) {
      t += 1_000_000 * (1 + Math.floor(u() * 20));
      if (i % 1000 >= 60) ticks += u() < 0.5 ? -1 : 1;
      rows.push({ sym, ts: t, px: ticks / 1e5 });
    }
  }
  rows.sort((a, b) => a.ts - b.ts || a.sym.localeCompare(b.sym));
  return { sym: rows.map((r) => r.sym), ts: rows.map((r) => r.ts), px: rows.map((r) => r.px) };
})();

/** Exact variance and std (fractions: exact_variance_reference.py) of FX's windows, per symbol. */
async function exactFx(window: Record<string, unknown>, minPeriods: number) {
  const script = new URL("./exact_variance_reference.py", import.meta.url).pathname;
  const input = { values: FX.px, by: FX.sym, minPeriods, ddof: 1, window };
  const out = JSON.parse(await runPython(script, JSON.stringify({ cases: [input] })));
  return out.results[0] as { var: (number | null)[]; std: (number | null)[] };
}

Deno.test({
  name: "rolling() and expanding() std and var equal exact fractions to 1e-12, 0 over equal values",
  ...INTEGRATION,
  async fn() {
    const cases: [string, Record<string, unknown>, number][] = [
      ["5m", { period: 300_000_000, index: FX.ts }, 1],
      ["20", { rows: 20 }, 20],
      ["expanding", { rows: FX.ts!.length + 1 }, 1],
    ];
    await withSeries(FX, async (ts) => {
      const lf = ts.rolling({ window: "5m", columns: ["px"], stats: ["std", "var"] })
        .rolling({ window: 20, columns: ["px"], stats: ["std", "var"] })
        .expanding({ columns: ["px"], stats: ["std", "var"] }).lazy();
      const names = (w: string) =>
        w === "expanding"
          ? ["px_expanding_std", "px_expanding_var"]
          : [`px_std_${w}`, `px_var_${w}`];
      const got = await columns(lf, cases.flatMap(([w]) => names(w)));
      for (const [w, window, minPeriods] of cases) {
        const expected = await exactFx(window, minPeriods);
        const [std, variance] = names(w);
        let zeros = 0;
        for (const [name, want] of [[std!, expected.std], [variance!, expected.var]] as const) {
          const values = got[name]!;
          assert.equal(values.length, want.length);
          want.forEach((e, i) => {
            const a = values[i] as number | null;
            if (e === null || e === 0) {
              assert.equal(a, e, `${name} row ${i}`);
              if (e === 0) zeros++;
            } else {
              assert.ok(Math.abs(a! - e) <= 1e-12 * e, `${name} row ${i}: ${a} vs ${e}`);
            }
          });
        }
        if (w !== "expanding") assert.ok(zeros > 100, `${w}: ${zeros} windows of equal values`);
      }
    });
  },
});

Deno.test({
  name: "lag()/lead() by duration are the asof values at t ∓ d; fillForward() honours its limit",
  ...INTEGRATION,
  async fn() {
    await withSeries(DATA, async (ts) => {
      const shifted = ts.lag("price", "90s").lead("price", "90s").lag("price", 2);
      const got = await columns(shifted.lazy(), [
        "price_lag_90s",
        "price_lead_90s",
        "price_lag_2",
        "sym",
      ]);
      nearAll(got.price_lag_90s!, "lag_90s", 0);
      nearAll(got.price_lead_90s!, "lead_90s", 0);
      assert.deepEqual(got.sym, DATA.sym);
      const filled = await columns(ts.fillForward({ columns: ["gappy"], limit: 2 }).lazy(), [
        "gappy",
      ]);
      nearAll(filled.gappy!, "ffill2", 0);
      const aged = await columns(ts.fillForward({ columns: ["gappy"], maxAge: "1ns" }).lazy(), [
        "gappy",
      ]);
      assert.deepEqual(aged.gappy, DATA.gappy); // nothing is that fresh
      assert.throws(() => ts.lag("price", "1mo"), /fixed duration/);
    });
  },
});

Deno.test({
  name: "asofJoin() is kdb+ aj (and aj0 with rightIndex); interpolation equals pandas",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using quotesDf = await client.fromArrow(table(QUOTES));
    const quotes = await quotesDf.asTimeSeries({ index: "ts", by: "sym" });
    await withSeries(TRADES, async (trades) => {
      const aj = await columns(
        trades.asofJoin(quotes, { rightIndex: "quote_ts" }).lazy(),
        ["sym", "ts", "bid", "quote_ts"],
      );
      // Every match is the symbol's last quote at or before the trade.
      aj.ts!.forEach((t, i) => {
        const sym = aj.sym![i];
        const times = QUOTES.ts!.filter((q, k) =>
          QUOTES.sym![k] === sym && (q as number) <= (t as Date).getTime() * 1000
        );
        const want = times.length === 0 ? null : Math.max(...(times as number[]));
        const got = aj.quote_ts![i] === null ? null : (aj.quote_ts![i] as Date).getTime() * 1000;
        assert.equal(got, want === null ? null : Math.floor(want / 1000) * 1000, `row ${i}`);
      });
      assert.ok(aj.bid!.some((b) => b === null)); // trades before the first quote
      for (const method of ["time", "linear"] as const) {
        const got = await columns(
          trades.asofJoin(quotes, { interpolate: method, columns: ["bid"] }).lazy(),
          ["bid"],
        );
        nearAll(got.bid!, `interp_${method}`, 1e-12);
      }
      assert.throws(
        () => trades.asofJoin(quotes, { interpolate: "time", columns: ["bid"], tolerance: "1s" }),
        /'tolerance' must be unset with interpolate/,
      );
    });
    await quotes.frame!.release();
  },
});

Deno.test({
  name: "asofJoin() with repeated right instants matches the docs and Python Polars' join_asof",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    // The example of docs/timeseries.md: quotes a at 1 s; b, c, d at 3 s; e, f at 5 s.
    const s = (seconds: number[]) => seconds.map((x) => START + x * 1_000_000);
    await using quotesDf = await client.fromArrow(
      table({ sym: Array(6).fill("A"), ts: s([1, 3, 3, 3, 5, 5]), quote: [..."abcdef"] }),
    );
    const quotes = await quotesDf.asTimeSeries({ index: "ts", by: "sym", duplicates: "keep" });
    const documented = {
      backward: { exact: ["a", "d", "d"], strict: ["a", "a", "d"] },
      forward: { exact: ["b", "b", "e"], strict: ["b", "e", "e"] },
      nearest: { exact: ["d", "d", "f"], strict: ["d", "f", "f"] },
    } as const;
    await withSeries({ sym: ["A", "A", "A"], ts: s([2, 3, 4]) }, async (trades) => {
      for (const [strategy, want] of Object.entries(documented)) {
        for (const exact of [true, false]) {
          const got = await columns(
            trades.asofJoin(quotes, {
              strategy: strategy as keyof typeof documented,
              allowExactMatches: exact,
            }).lazy(),
            ["quote"],
          );
          assert.deepEqual(got.quote, want[exact ? "exact" : "strict"], `${strategy} ${exact}`);
        }
      }
    });
    await quotes.frame!.release();
    // Seeded ticks with every fifth instant repeated, against Python Polars' join_asof.
    await using dupsDf = await client.fromArrow(table(DUPS));
    const dups = await dupsDf.asTimeSeries({ index: "ts", by: "sym", duplicates: "keep" });
    await withSeries(ASOF_LEFT, async (left) => {
      for (const strategy of ["backward", "forward", "nearest"] as const) {
        for (const exact of [true, false]) {
          const got = await columns(
            left.asofJoin(dups, { strategy, allowExactMatches: exact }).lazy(),
            ["price"],
          );
          nearAll(got.price!, `asof_${strategy}_${exact ? "exact" : "strict"}`, 0);
        }
      }
    });
    await dups.frame!.release();
  },
});

Deno.test({
  name: "upsample() lays out a per-symbol grid and fills it as Python Polars does",
  ...INTEGRATION,
  async fn() {
    await withSeries(UPSAMPLE, async (ts) => {
      const expectedTimes = REF.upsample_ts!;
      for (const fill of ["forward", "linear", "time"] as const) {
        const got = await columns(ts.upsample({ every: "1m", fill }).lazy(), ["sym", "ts", "v"]);
        assert.deepEqual(got.ts!.map((t) => (t as Date).getTime() * 1000), expectedTimes);
        assert.deepEqual(got.sym, REF.upsample_sym);
        nearAll(got.v!, `upsample_${fill}`, 1e-12);
      }
      const none = await columns(ts.upsample({ every: "1m" }).lazy(), ["v"]);
      assert.equal(none.v!.filter((v) => v !== null).length, 80); // nothing lost, nothing filled
      await assert.rejects(
        ts.upsample({ every: "1s", maxRows: 1000 }).lazy().toArrow(),
        /at most 1000 rows \(maxRows\)/,
      );
      assert.throws(() => ts.upsample({ every: "1mo" }), /fixed duration/);
    });
  },
});

Deno.test({
  name: "bars, returns and tests of a series are the frame's with the series' index and symbols",
  ...INTEGRATION,
  async fn() {
    await withSeries(DATA, async (ts) => {
      const lf = ts.lazy();
      const same = async (a: RemoteLazyFrame, b: RemoteLazyFrame) =>
        assert.deepEqual(await a.toRecords(), await b.toRecords());
      await same(
        ts.ohlcv({ price: "price", every: "10m" }),
        lf.ohlcv({ index: "ts", by: "sym", price: "price", every: "10m" }),
      );
      await same(
        ts.returns("price", { kind: "log" }).diff("x").pctChange("y", 2).lazy(),
        lf.finance.returns("price", { kind: "log", by: "sym" }).finance.diff("x", 1, { by: "sym" })
          .finance.pctChange("y", 2, { by: "sym" }),
      );
      await same(ts.adf("price", { maxLag: 2 }), lf.adf("price", { maxLag: 2, by: "sym" }));
      await same(ts.halfLife("price"), lf.halfLife("price", { by: "sym" }));
      const bars = await ts.ohlcv({ price: "price", every: "10m" }).toRecords();
      assert.equal(bars.reduce((n, b) => n + Number(b.count), 0), 900); // every tick in a bar
    });
  },
});
