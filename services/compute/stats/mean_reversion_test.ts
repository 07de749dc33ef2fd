import assert from "node:assert/strict";
import { halfLife, hurst } from "./mean_reversion.ts";
import { assertRel, reference, type ReferenceCase, STAT_REL } from "./_reference.ts";
import { ar1, randomWalk, trendStationary } from "./_testdata.ts";

const SERIES: Record<string, Float64Array> = {
  walk: randomWalk(1000, 91),
  ar1: ar1(1000, 0.9, 92),
  fast: ar1(500, 0.3, 93),
  trend: trendStationary(600, 94),
};

Deno.test("halfLife() matches statsmodels OLS of the differences on the lagged level", async () => {
  const names = Object.keys(SERIES);
  const refs = await reference(names.map((n) => ({ fn: "halflife", args: { y: SERIES[n] } })));
  names.forEach((name, i) => {
    const r = halfLife(SERIES[name]!);
    assertRel(r.halfLife, refs[i]!.halflife, STAT_REL, `${name} halfLife`);
    assertRel(r.beta, refs[i]!.beta, STAT_REL, `${name} beta`);
    assertRel(r.intercept, refs[i]!.intercept, STAT_REL, `${name} intercept`);
  });
  // AR(1) with phi = 0.9 has a half-life near ln 2 / 0.1 = 6.9 observations.
  const h = halfLife(SERIES.ar1!).halfLife;
  assert.ok(h > 4 && h < 11, `half-life ${h}`);
});

Deno.test("hurst() matches the NumPy variance-of-lagged-differences estimator", async () => {
  const cases: { name: string; minLag: number; maxLag: number; ref: ReferenceCase }[] = [];
  for (const name of Object.keys(SERIES)) {
    for (const [minLag, maxLag] of [[2, 99], [2, 20], [5, 50]] as const) {
      const args = { y: SERIES[name], min_lag: minLag, max_lag: maxLag };
      cases.push({ name, minLag, maxLag, ref: { fn: "hurst", args } });
    }
  }
  const refs = await reference(cases.map((c) => c.ref));
  cases.forEach(({ name, minLag, maxLag }, i) => {
    const h = hurst(SERIES[name]!, { minLag, maxLag });
    assertRel(h, refs[i]!.hurst, STAT_REL, `${name} hurst(${minLag}, ${maxLag})`);
  });
  // Short lags: with lags up to 99 on 1000 points the estimator is biased low.
  assert.ok(Math.abs(hurst(SERIES.walk!, { maxLag: 20 }) - 0.5) < 0.1);
  assert.ok(hurst(SERIES.fast!) < 0.2);
});

Deno.test("halfLife() and hurst() reject short, NaN and constant series", () => {
  assert.throws(
    () => hurst(randomWalk(50, 1)),
    /Cannot run hurst as 'y' must hold at least 101 finite values: current value holds 50/,
  );
  assert.throws(() => hurst(randomWalk(50, 1), { minLag: 5, maxLag: 5 }), /'maxLag' must be/);
  assert.throws(() => halfLife(Float64Array.of(1, 2, NaN, 3)), /must hold only finite values/);
  assert.throws(() => halfLife(new Float64Array(10).fill(3)), /must not be constant/);
  assert.throws(() => halfLife(Float64Array.of(1, 2)), /at least 4 finite values/);
});
