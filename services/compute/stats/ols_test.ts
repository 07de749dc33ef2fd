import assert from "node:assert/strict";
import { ols } from "./ols.ts";
import { assertRel, assertRelAll, reference, STAT_REL } from "./_reference.ts";
import { ar1, normals, randomWalk } from "./_testdata.ts";

function designs(): { y: Float64Array; columns: Float64Array[] }[] {
  const n = 250;
  const e = normals(7);
  const x1 = randomWalk(n, 11);
  const x2 = ar1(n, 0.3, 12);
  const ones = new Float64Array(n).fill(1);
  const t = Float64Array.from({ length: n }, (_, i) => i + 1);
  const y = Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * x1[i]! - 2 * x2[i]! + e());
  return [
    { y, columns: [ones, x1, x2] },
    { y, columns: [x1, x2] },
    { y: randomWalk(n, 3), columns: [ones, t, t.map((v) => v * v)] },
  ];
}

Deno.test("ols() matches statsmodels OLS params, bse, t, ssr, llf, aic, bic, R2", async () => {
  const cases = designs();
  const refs = await reference(cases.map((c) => ({ fn: "ols", args: c })));
  cases.forEach((c, i) => {
    const r = ols(c.y, c.columns);
    const ref = refs[i]!;
    for (const k of ["params", "bse", "tvalues", "resid"] as const) {
      assertRelAll(r[k], ref[k], k === "resid" ? 1e-5 : STAT_REL, `case ${i} ${k}`);
    }
    for (const k of ["ssr", "llf", "aic", "bic", "rsquared"] as const) {
      assertRel(r[k], ref[k], STAT_REL, `case ${i} ${k}`);
    }
  });
});

Deno.test("ols() recovers exact coefficients of a noiseless model", () => {
  const x = Float64Array.from({ length: 20 }, (_, i) => i * 0.5);
  const y = x.map((v) => 3 - 2 * v);
  const r = ols(y, [new Float64Array(20).fill(1), x]);
  assert.ok(Math.abs(r.params[0]! - 3) < 1e-12 && Math.abs(r.params[1]! + 2) < 1e-12);
  assert.equal(r.nobs, 20);
  assert.equal(r.dfResid, 18);
});

Deno.test("ols() rejects collinear, mismatched, non-finite and short input", () => {
  const x = Float64Array.from({ length: 10 }, (_, i) => i);
  assert.throws(() => ols(x, [x, x.map((v) => 2 * v)]), /must be linearly independent/);
  assert.throws(
    () => ols(x, [x.subarray(0, 9)]),
    /Cannot run ols as 'columns\[0\]' must hold as many values as 'y' \(10\): current value holds 9/,
  );
  assert.throws(() => ols(Float64Array.of(1, NaN, 3), [Float64Array.of(1, 2, 3)]), RangeError);
  assert.throws(
    () => ols(Float64Array.of(1, 2), [Float64Array.of(1, 1), Float64Array.of(1, 2)]),
    /Cannot run ols as 'y' must hold at least 3 finite values: current value holds 2/,
  );
});
