import assert from "node:assert/strict";
import { kpss, type KpssOptions } from "./kpss.ts";
import {
  assertAbs,
  assertRel,
  P_ABS,
  reference,
  type ReferenceCase,
  STAT_REL,
} from "./_reference.ts";
import { ar1, randomWalk, trendStationary } from "./_testdata.ts";

const SERIES: Record<string, Float64Array> = {
  walk: randomWalk(400, 21),
  ar1: ar1(300, 0.5, 22),
  trend: trendStationary(250, 23),
  noise: ar1(200, 0, 24),
};

const OPTIONS: KpssOptions[] = [
  { regression: "c" },
  { regression: "ct" },
  { regression: "c", nlags: "legacy" },
  { regression: "ct", nlags: "legacy" },
  { regression: "c", nlags: 4 },
  { regression: "ct", nlags: 0 },
];

Deno.test("kpss() matches statsmodels kpss including the clipped p-value warning", async () => {
  const cases: { name: string; opts: KpssOptions; ref: ReferenceCase }[] = [];
  for (const [name, x] of Object.entries(SERIES)) {
    for (const opts of OPTIONS) {
      const args = { x, regression: opts.regression, nlags: opts.nlags ?? "auto" };
      cases.push({ name, opts, ref: { fn: "kpss", args } });
    }
  }
  const refs = await reference(cases.map((c) => c.ref));
  let clipped = 0;
  cases.forEach(({ name, opts }, i) => {
    const r = kpss(SERIES[name]!, opts);
    const ref = refs[i]!;
    const what = `${name} ${JSON.stringify(opts)}`;
    assert.equal(r.lags, ref.lags, `${what} lags`);
    assertRel(r.statistic, ref.statistic, STAT_REL, `${what} statistic`);
    assertAbs(r.pValue, ref.pvalue, P_ABS, `${what} pValue`);
    assert.equal(r.pValueBound !== null, ref.warned, `${what} warning flag`);
    if (r.pValueBound !== null) clipped++;
    const crit = ref.crit as Record<string, unknown>;
    for (const level of ["10%", "5%", "2.5%", "1%"] as const) {
      assertRel(r.criticalValues[level], crit[level], STAT_REL, `${what} crit ${level}`);
    }
  });
  assert.ok(clipped > 0, "some cases exercise the table boundaries");
});

Deno.test("kpss() rejects the null for a random walk and reports the bound", () => {
  const r = kpss(SERIES.walk!);
  assert.equal(r.pValue, 0.01);
  assert.equal(r.pValueBound, "smaller");
});

Deno.test("kpss() rejects too many lags, NaN and constant series", () => {
  assert.throws(
    () => kpss(ar1(10, 0.1, 1), { nlags: 10 }),
    /Cannot run kpss as 'x' must hold at least 11 finite values: current value holds 10/,
  );
  assert.throws(() => kpss(Float64Array.of(1, 2, Infinity)), /must hold only finite values/);
  assert.throws(() => kpss(new Float64Array(10).fill(1)), /must not be constant/);
  assert.throws(() => kpss(ar1(50, 0.1, 1), { nlags: "x" as "auto" }), /'nlags' must be one/);
});
