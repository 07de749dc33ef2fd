import assert from "node:assert/strict";
import { adf, type AdfOptions } from "./adf.ts";
import {
  assertAbs,
  assertRel,
  num,
  P_ABS,
  reference,
  type ReferenceCase,
  STAT_REL,
} from "./_reference.ts";
import { ar1, randomWalk, trendStationary } from "./_testdata.ts";

const SERIES: Record<string, Float64Array> = {
  walk: randomWalk(400, 1),
  ar1: ar1(300, 0.7, 2),
  trend: trendStationary(250, 3),
  short: ar1(40, 0.2, 4),
};

const OPTIONS: AdfOptions[] = [
  { regression: "c" },
  { regression: "n", autolag: "AIC" },
  { regression: "ct", autolag: "BIC" },
  { regression: "ctt", autolag: "t-stat" },
  { regression: "c", autolag: "t-stat", maxLag: 6 },
  { regression: "c", autolag: null, maxLag: 3 },
  { regression: "ct", autolag: null, maxLag: 0 },
  { regression: "n", autolag: null, maxLag: 5 },
  { regression: "ctt", autolag: "BIC", maxLag: 4 },
];

Deno.test("adf() matches statsmodels adfuller for every regression and lag mode", async () => {
  const cases: { name: string; opts: AdfOptions; ref: ReferenceCase }[] = [];
  for (const [name, x] of Object.entries(SERIES)) {
    for (const opts of OPTIONS) {
      const autolag = opts.autolag === undefined ? "AIC" : opts.autolag;
      cases.push({
        name,
        opts,
        ref: {
          fn: "adf",
          args: { x, maxlag: opts.maxLag ?? null, regression: opts.regression, autolag },
        },
      });
    }
  }
  const refs = await reference(cases.map((c) => c.ref));
  cases.forEach(({ name, opts }, i) => {
    const r = adf(SERIES[name]!, opts);
    const ref = refs[i]!;
    const what = `${name} ${JSON.stringify(opts)}`;
    assert.equal(r.usedLag, ref.usedlag, `${what} usedLag`);
    assert.equal(r.nobs, ref.nobs, `${what} nobs`);
    assertRel(r.statistic, ref.statistic, STAT_REL, `${what} statistic`);
    assertAbs(r.pValue, ref.pvalue, P_ABS, `${what} pValue`);
    const crit = ref.crit as Record<string, unknown>;
    for (const level of ["1%", "5%", "10%"] as const) {
      assertRel(r.criticalValues[level], crit[level], STAT_REL, `${what} crit ${level}`);
    }
    if (ref.icbest === null) assert.equal(r.icBest, null, `${what} icBest`);
    else assertRel(r.icBest ?? NaN, num(ref.icbest), STAT_REL, `${what} icBest`);
  });
});

Deno.test("adf() separates a random walk from a stationary AR(1)", () => {
  assert.ok(adf(SERIES.walk!).pValue > 0.1);
  assert.ok(adf(SERIES.ar1!).pValue < 0.01);
});

Deno.test("adf() rejects short, non-finite and constant series and bad options", () => {
  assert.throws(
    () => adf(SERIES.short!, { maxLag: 20 }),
    /Cannot run adf as 'x' must hold at least 44 finite values: current value holds 40/,
  );
  assert.throws(
    () => adf(Float64Array.of(1, 2, NaN, 4, 5, 6)),
    /Cannot run adf as 'x' must hold only finite values: current value holds NaN at index 2/,
  );
  assert.throws(() => adf(new Float64Array(30).fill(2)), /'x' must not be constant/);
  assert.throws(() => adf(SERIES.walk!, { regression: "q" as "c" }), /'regression' must be one/);
  assert.throws(() => adf(SERIES.walk!, { autolag: "HQIC" as "AIC" }), /'autolag' must be one/);
  assert.throws(() => adf(SERIES.walk!, { maxLag: -1 }), /'maxLag' must be an integer >= 0/);
});
