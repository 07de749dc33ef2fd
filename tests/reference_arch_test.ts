/**
 * Unit-root and cointegration tests (`lf.adf`, `lf.kpss`, `lf.coint`) and the EWMA
 * (RiskMetrics) volatility of `lf.finance` through a live cluster against arch 8.0
 * (arch.unitroot, arch.univariate): seeded series of three interleaved symbols go up once;
 * tests/reference_arch.py runs arch on each symbol's rows.
 *
 * Polaroid follows statsmodels' conventions; where arch's differ, the options below make the
 * definitions coincide, or the comparison states the mapping:
 * - ADF: arch caps its default max lags at (n − 1) // 2 − 1 − ntrend, statsmodels at
 *   n / 2 − ntrend − 1 (they only bind for short series); max lags are passed explicitly
 *   except in one case where n = 1000 makes both 22. arch's AIC/BIC leave out the
 *   ntrend + 1 regressors every lag length shares (the same choice, ic_best lower by
 *   2 (ntrend + 1), resp. ln(nobs) (ntrend + 1), nobs of the selection sample n − 1 − maxLag).
 * - t-stat lag choice (ADF and Engle-Granger): arch takes the last lag's t value with the ML
 *   variance SSR / nobs, statsmodels with SSR / (nobs − k), k = ntrend + 1 + lag, so arch's |t|
 *   is larger by √(nobs / (nobs − k)); ic_best is that |t|. No option aligns them: where a
 *   |t| falls between the two stops, the reference is arch at statsmodels' lag and the test
 *   checks that the |t| lies there (once on these series, in an Engle-Granger case).
 * - KPSS: the statistic and lags ("legacy" is arch's lags = -1, "auto" its default, both
 *   Hobijn et al.) are the same; p-values and critical values are not: statsmodels (and
 *   Polaroid) interpolate the four critical values of Kwiatkowski et al. (1992) and clip
 *   p to [0.01, 0.1], arch a table simulated with 10⁸ replications. They agree to 0.005.
 * - Engle-Granger: arch's lag selection defaults to BIC (statsmodels AIC), given here; arch's
 *   p-values and critical values come from its own simulated surfaces (critical values for
 *   nobs − lags − 1), statsmodels' from MacKinnon (1994) p-values and MacKinnon (2010)
 *   critical values for n − 1, which arch ships as mackinnonp / mackinnoncrit: Polaroid is
 *   compared to those, and to arch's own surfaces within 0.02. statsmodels has no critical
 *   values for trend "n" (NaN).
 * - EWMA: arch's σ²ₜ = λ σ²ₜ₋₁ + (1 − λ) rₜ₋₁² is the variance of rₜ given the returns before
 *   it, started at a backcast σ²₀ = b; Polaroid's value at a row includes that row's return
 *   and starts at the first squared return r₁². Polaroid's row is arch's variance of the next
 *   return (the last row: arch's one-step forecast) when arch starts at b = r₁²; with arch's
 *   default b (a weighted mean of the first 75 squared returns) the variances differ by
 *   exactly λᵗ (r₁² − b) at the symbol's row t, under 1e-10 relative once that has decayed.
 *
 * Tolerances: statistics 1e-6 relative, p-values 1e-4 absolute, critical values 1e-6
 * relative, lags and nobs exact; KPSS p-values and critical values 0.005 absolute; arch's own
 * Engle-Granger surfaces 0.02 absolute; EWMA volatility 1e-12 relative (1e-10 with arch's
 * default backcast once decayed).
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { connect, type RemoteLazyFrame, type Row } from "../sdk/mod.ts";
import type { StatAutolag, StatRegression } from "../sdk/plan/plan_stat_tests.ts";
import { frameToTable, INTEGRATION, testCluster } from "./_harness.ts";
import { runPython } from "../scripts/_python.ts";
import { uniform } from "./_random.ts";

const cluster = await testCluster();
const N = 1000;
const SYMBOLS = ["A", "B", "C"] as const;
const DEFAULT_MAX_LAG = Math.ceil(12 * (N / 100) ** 0.25);

/** An AR(p) path u[t] = Σ phi[i] u[t − 1 − i] + e[t] from zeros. */
function ar(phi: number[], normal: () => number): number[] {
  const u: number[] = [];
  for (let t = 0; t < N; t++) {
    u.push(phi.reduce((s, p, i) => s + p * (u[t - 1 - i] ?? 0), normal()));
  }
  return u;
}

function cumsum(xs: number[]): number[] {
  let s = 0;
  return xs.map((x) => (s += x));
}

/**
 * Per symbol: px (A a unit root with autocorrelated differences, B trend stationary, C a
 * stationary AR), x1, x2 random walks, y (A cointegrated with x1 and x2, B an unrelated
 * random walk, C cointegrated with x1 and x2), close a geometric random walk with moving
 * volatility; the symbols' rows interleaved.
 */
function data(): Record<string, (string | number)[]> {
  const u = uniform(20260418);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const noise = () => Array.from({ length: N }, normal);
  const series = SYMBOLS.map((sym) => {
    const x1 = cumsum(noise());
    const x2 = cumsum(noise());
    const px = {
      A: () => cumsum(ar([0.45, 0, -0.3], normal)).map((v) => 50 + v),
      B: () => ar([0.6, 0.25], normal).map((v, t) => 10 + 0.02 * t + v),
      C: () => ar([0.7, -0.35, 0, 0.2], normal).map((v) => 5 + v),
    }[sym]();
    const s = ar([0.6], normal);
    const y = {
      A: () => x1.map((v, t) => 1 + 2 * v - 0.5 * x2[t]! + s[t]!),
      B: () => cumsum(noise()),
      C: () => x1.map((v, t) => 0.5 * v + x2[t]! + s[t]!),
    }[sym]();
    const r = noise().map((e, t) => 0.01 * (1 + 0.5 * Math.sin(t / 50)) * e);
    const close = cumsum(r).map((v) => 100 * Math.exp(v));
    return { px, x1, x2, y, close };
  });
  const cols: Record<string, (string | number)[]> = { sym: [] };
  for (let t = 0; t < N; t++) {
    series.forEach((one, k) => {
      cols.sym!.push(SYMBOLS[k]!);
      for (const [name, values] of Object.entries(one)) (cols[name] ??= []).push(values[t]!);
    });
  }
  return cols;
}

type Lags = { autolag: StatAutolag; maxLag?: number };
const TRENDS: StatRegression[] = ["n", "c", "ct", "ctt"];
const ADF_CASES = TRENDS.flatMap((trend) =>
  ([
    { autolag: null, maxLag: 3 },
    { autolag: "AIC", maxLag: 12 },
    { autolag: "BIC", maxLag: 12 },
    { autolag: "t-stat", maxLag: 12 },
    { autolag: "AIC" },
  ] as Lags[]).map((lags) => ({ trend, ...lags }))
);
const KPSS_CASES = (["c", "ct"] as const).flatMap((trend) =>
  ([0, 4, 15, "legacy", "auto"] as const).map((nlags) => ({ trend, nlags }))
);
const EG_CASES = TRENDS.flatMap((trend) =>
  ([
    { autolag: null, maxLag: 2 },
    { autolag: "AIC", maxLag: 10 },
    { autolag: "BIC", maxLag: 10 },
    { autolag: "t-stat", maxLag: 10 },
  ] as Lags[]).flatMap((lags) => [["x1"], ["x1", "x2"]].map((x) => ({ trend, x, ...lags })))
);
const EWMA_CASES = [{ lam: 0.94, window: 2 }, { lam: 0.97, window: 20 }];

interface Result {
  stat: number;
  pvalue: number;
  lags: number;
  nobs: number;
  crit: [number, number, number];
  ic: number | null;
  mk_pvalue: number;
  mk_crit: [number, number, number] | null;
  /** t-stat cases where arch's rule picks another lag (see tests/reference_arch.py). */
  arch_lag?: number | null;
  arch_lag_t?: number | null;
  sel_nobs?: number;
}
interface Ewma {
  exact: (number | null)[];
  default: (number | null)[];
  first: Record<string, number>;
  backcast: Record<string, number>;
}

const DATA = data();
const REF: { adf: Result[][]; kpss: Result[][]; eg: Result[][]; ewma: Ewma[] } = JSON.parse(
  await runPython(
    new URL("./reference_arch.py", import.meta.url).pathname,
    JSON.stringify({
      data: DATA,
      adf: ADF_CASES.map((k) => ({ column: "px", ...k, maxLag: k.maxLag ?? null })),
      kpss: KPSS_CASES.map((k) => ({ column: "px", ...k })),
      eg: EG_CASES.map((k) => ({ y: "y", ...k, maxLag: k.maxLag ?? null })),
      ewma: EWMA_CASES.map((k) => ({ column: "close", ...k })),
    }),
  ),
);

function relative(actual: unknown, expected: number, rel: number, what: string): void {
  assert.equal(typeof actual, "number", `${what}: got ${actual}`);
  const a = actual as number;
  assert.ok(Math.abs(a - expected) <= rel * Math.abs(expected), `${what}: ${a} vs ${expected}`);
}

function absolute(actual: unknown, expected: number, tol: number, what: string): void {
  assert.equal(typeof actual, "number", `${what}: got ${actual}`);
  const a = actual as number;
  assert.ok(Math.abs(a - expected) <= tol, `${what}: ${a} vs ${expected}`);
}

const CRIT = ["crit_1pct", "crit_5pct", "crit_10pct"] as const;
const T_STOP = 1.6448536269514722;

/**
 * Whether arch's t-stat rule picked another lag than statsmodels' (and Polaroid's); if so,
 * asserts that this is the variance convention alone: at arch's lag the OLS |t| is below the
 * stop, and the ML |t| (larger by √(nobs / (nobs − k))) is not.
 */
function tStatConvention(want: Result, ntrend: number, what: string): boolean {
  if (want.arch_lag === null || want.arch_lag === undefined) return false;
  const nobs = want.sel_nobs!;
  const k = ntrend + 1 + want.arch_lag;
  const t = want.arch_lag_t!;
  assert.ok(t < T_STOP && t * Math.sqrt(nobs / (nobs - k)) >= T_STOP, `${what}: |t| ${t}`);
  return true;
}

async function withFrame(fn: (lf: RemoteLazyFrame) => Promise<void>): Promise<void> {
  await using client = await connect({ endpoint: cluster.endpoints.compute });
  await using df = await client.fromArrow(frameToTable(pl.DataFrame(DATA)));
  await fn(df.lazy());
}

/** The result rows per symbol, in the symbols' order of appearance. */
async function perSymbol(out: RemoteLazyFrame): Promise<Row[]> {
  const rows = await out.toRecords();
  assert.deepEqual(rows.map((r) => r.sym), [...SYMBOLS]);
  return rows;
}

Deno.test({
  name: "adf() per symbol equals arch ADF for every trend and lag choice",
  ...INTEGRATION,
  async fn() {
    await withFrame(async (lf) => {
      for (const [i, k] of ADF_CASES.entries()) {
        const { trend, autolag, maxLag } = k;
        const options = {
          by: "sym",
          regression: trend,
          autolag,
          ...(maxLag === undefined ? {} : { maxLag }),
        };
        const rows = await perSymbol(lf.adf("px", options));
        rows.forEach((row, s) => {
          const want = REF.adf[i]![s]!;
          const what = `adf ${JSON.stringify(k)} ${SYMBOLS[s]}`;
          assert.equal(Number(row.used_lag), want.lags, `${what} lag`);
          assert.equal(Number(row.nobs), want.nobs, `${what} nobs`);
          relative(row.statistic, want.stat, 1e-6, `${what} statistic`);
          absolute(row.p_value, want.pvalue, 1e-4, `${what} p`);
          CRIT.forEach((name, j) => relative(row[name], want.crit[j]!, 1e-6, `${what} ${name}`));
          const ntrend = trend === "n" ? 0 : trend.length;
          const selection = N - 1 - (maxLag ?? DEFAULT_MAX_LAG);
          if (autolag === null) assert.equal(row.ic_best, null);
          else if (autolag === "AIC") {
            relative(row.ic_best, want.ic! + 2 * (ntrend + 1), 1e-6, `${what} aic`);
          } else if (autolag === "BIC") {
            const bic = want.ic! + Math.log(selection) * (ntrend + 1);
            relative(row.ic_best, bic, 1e-6, `${what} bic`);
          } else if (!tStatConvention(want, ntrend, what)) {
            assert.ok(want.lags > 0, `${what}: the t-stat rule keeps a lag`);
            const k = ntrend + 1 + want.lags;
            const t = Math.abs(want.ic!) * Math.sqrt((selection - k) / selection);
            relative(row.ic_best, t, 1e-6, `${what} |t|`);
          }
        });
      }
      const lags = REF.adf.map((bySym) => bySym.map((r) => r.lags));
      assert.ok(new Set(lags.flat()).size >= 4, `lag choices vary: ${JSON.stringify(lags)}`);
    });
  },
});

Deno.test({
  name: "kpss() per symbol equals arch KPSS statistic and lags, p-values within the tables",
  ...INTEGRATION,
  async fn() {
    await withFrame(async (lf) => {
      for (const [i, k] of KPSS_CASES.entries()) {
        const rows = await perSymbol(
          lf.kpss("px", { by: "sym", regression: k.trend, nlags: k.nlags }),
        );
        rows.forEach((row, s) => {
          const want = REF.kpss[i]![s]!;
          const what = `kpss ${JSON.stringify(k)} ${SYMBOLS[s]}`;
          assert.equal(Number(row.lags), want.lags, `${what} lags`);
          relative(row.statistic, want.stat, 1e-6, `${what} statistic`);
          // Two tables of the same distribution: arch's p clipped to Polaroid's [0.01, 0.1].
          const clipped = Math.min(0.1, Math.max(0.01, want.pvalue));
          absolute(row.p_value, clipped, 0.005, `${what} p`);
          const bound = row.p_value === 0.01 ? "smaller" : row.p_value === 0.1 ? "greater" : null;
          assert.equal(row.p_value_bound, bound, `${what} bound`);
          CRIT.forEach((name, j) => absolute(row[name], want.crit[j]!, 0.005, `${what} ${name}`));
        });
      }
      const p = REF.kpss.flat().map((r) => r.pvalue);
      assert.ok(p.some((x) => x > 0.01 && x < 0.1), "some p-values are inside the table");
    });
  },
});

Deno.test({
  name: "coint() per symbol equals arch engle_granger with MacKinnon p-values",
  ...INTEGRATION,
  async fn() {
    await withFrame(async (lf) => {
      let conventions = 0;
      for (const [i, k] of EG_CASES.entries()) {
        const { trend, autolag, maxLag, x } = k;
        const rows = await perSymbol(lf.coint("y", x, { by: "sym", trend, autolag, maxLag }));
        rows.forEach((row, s) => {
          const want = REF.eg[i]![s]!;
          const what = `coint ${JSON.stringify(k)} ${SYMBOLS[s]}`;
          if (tStatConvention(want, 0, what)) conventions++;
          relative(row.statistic, want.stat, 1e-6, `${what} statistic`);
          absolute(row.p_value, want.mk_pvalue, 1e-4, `${what} p`);
          absolute(row.p_value, want.pvalue, 0.02, `${what} p against arch's surface`);
          CRIT.forEach((name, j) => {
            if (want.mk_crit === null) {
              assert.ok(Number.isNaN(row[name]), `${what} ${name}: ${row[name]}`);
              return;
            }
            relative(row[name], want.mk_crit[j]!, 1e-6, `${what} ${name}`);
            absolute(row[name], want.crit[j]!, 0.02, `${what} ${name} against arch's surface`);
          });
        });
      }
      // On these series arch's t-stat rule differs once (trend "n", x1 and x2, symbol B).
      assert.equal(conventions, 1);
      const p = REF.eg.flat().map((r) => r.mk_pvalue);
      assert.ok(p.some((x) => x < 0.01) && p.some((x) => x > 0.2), "both outcomes occur");
    });
  },
});

Deno.test({
  name: "finance.volatility() ewma per symbol equals arch EWMAVariance",
  ...INTEGRATION,
  async fn() {
    await withFrame(async (lf) => {
      for (const [i, { lam, window }] of EWMA_CASES.entries()) {
        const out = lf.finance.volatility({
          method: "ewma",
          lambda: lam,
          window,
          annualization: 1,
          by: "sym",
          alias: "vol",
        });
        const got = (await out.select("vol").toRecords()).map((r) => r.vol);
        const ref = REF.ewma[i]!;
        assert.equal(got.length, N * SYMBOLS.length);
        let decayed = 0;
        got.forEach((v, row) => {
          const what = `ewma λ ${lam} row ${row}`;
          const exact = ref.exact[row]!;
          if (exact === null) return assert.equal(v, null, what);
          relative(v, exact, 1e-12, what);
          // arch's default backcast b: σ²(row t of symbol s) = σ²_b + λᵗ (r₁² − b).
          const sym = SYMBOLS[row % SYMBOLS.length]!;
          const t = Math.floor(row / SYMBOLS.length);
          const shift = lam ** t * (ref.first[sym]! - ref.backcast[sym]!);
          const dflt = ref.default[row]!;
          relative((v as number) ** 2, dflt ** 2 + shift, 1e-12, `${what} default backcast`);
          if (Math.abs(shift) <= 1e-10 * dflt ** 2) {
            relative(v, dflt, 1e-10, `${what} decayed`);
            decayed++;
          }
        });
        assert.ok(decayed > N / 2, `rows past the backcast's decay: ${decayed}`);
      }
    });
  },
});
