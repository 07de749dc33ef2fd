import assert from "node:assert/strict";
import { type DetOrder, johansen } from "./johansen.ts";
import {
  assertRel,
  assertRelAll,
  num,
  reference,
  type ReferenceCase,
  STAT_REL,
} from "./_reference.ts";
import { cointegratedPair, randomWalk, var3 } from "./_testdata.ts";

const SYSTEMS: Record<string, Float64Array[]> = {
  var3: var3(400, 61),
  pair: cointegratedPair(300, 71),
  walks: [randomWalk(250, 81), randomWalk(250, 82), randomWalk(250, 83), randomWalk(250, 84)],
};

Deno.test("johansen() matches statsmodels coint_johansen statistics and critical values", async () => {
  const cases: { name: string; detOrder: DetOrder; kArDiff: number; ref: ReferenceCase }[] = [];
  for (const [name, endog] of Object.entries(SYSTEMS)) {
    for (const detOrder of [-1, 0, 1] as const) {
      for (const kArDiff of [0, 1, 3]) {
        const args = { endog, det_order: detOrder, k_ar_diff: kArDiff };
        cases.push({ name, detOrder, kArDiff, ref: { fn: "johansen", args } });
      }
    }
  }
  const refs = await reference(cases.map((c) => c.ref));
  cases.forEach(({ name, detOrder, kArDiff }, i) => {
    const r = johansen(SYSTEMS[name]!, { detOrder, kArDiff });
    const ref = refs[i]!;
    const what = `${name} det=${detOrder} k=${kArDiff}`;
    assertRelAll(r.eigenvalues, ref.eig, STAT_REL, `${what} eig`);
    assertRelAll(r.trace, ref.lr1, STAT_REL, `${what} trace`);
    assertRelAll(r.maxEig, ref.lr2, STAT_REL, `${what} maxEig`);
    const cvt = ref.cvt as unknown[][];
    const cvm = ref.cvm as unknown[][];
    r.traceCriticalValues.forEach((c, j) => {
      assertRelAll([c["90%"], c["95%"], c["99%"]], cvt[j], STAT_REL, `${what} cvt ${j}`);
      const m = r.maxEigCriticalValues[j]!;
      assertRelAll([m["90%"], m["95%"], m["99%"]], cvm[j], STAT_REL, `${what} cvm ${j}`);
    });
    // Eigenvectors agree up to the sign of each column (statsmodels' signs come from LAPACK).
    const evec = ref.evec as unknown[][];
    r.eigenvectors.forEach((v, j) => {
      const refCol = evec.map((row) => num(row[j]));
      const sign = Math.sign(refCol[0]!) === Math.sign(v[0]!) ? 1 : -1;
      v.forEach((x, k) => assertRel(sign * x, refCol[k], 1e-5, `${what} evec[${k}][${j}]`));
    });
  });
});

Deno.test("johansen() finds one cointegrating relation in the 3-series VAR", () => {
  const r = johansen(SYSTEMS.var3!, { detOrder: 0, kArDiff: 1 });
  assert.ok(r.trace[0]! > r.traceCriticalValues[0]!["95%"]);
  assert.ok(r.trace[1]! < r.traceCriticalValues[1]!["95%"]);
  assert.equal(r.nobs, 398);
});

Deno.test("johansen() rejects bad options, mismatched, short and collinear input", () => {
  const [a, b] = SYSTEMS.pair!;
  assert.throws(() => johansen([a!, b!], { detOrder: 2 as 1 }), /'detOrder' must be an integer/);
  assert.throws(
    () => johansen([a!, b!.subarray(1)]),
    /Cannot run johansen as 'endog\[1\]' must hold as many values as 'endog\[0\]' \(300\): current value holds 299/,
  );
  assert.throws(
    () => johansen([a!.subarray(0, 8), b!.subarray(0, 8)], { kArDiff: 2 }),
    /'endog\[0\]' must hold at least 11 finite values: current value holds 8/,
  );
  assert.throws(() => johansen([a!, a!.map((v) => 2 * v)]), /must not be collinear/);
});
