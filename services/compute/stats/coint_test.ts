import assert from "node:assert/strict";
import { coint, type CointOptions } from "./coint.ts";
import {
  assertAbs,
  assertRel,
  P_ABS,
  reference,
  type ReferenceCase,
  STAT_REL,
} from "./_reference.ts";
import { cointegratedPair, randomWalk, var3 } from "./_testdata.ts";

const [PY, PX] = cointegratedPair(300, 31);
const [A, B, C] = var3(300, 41);
const PAIRS: Record<string, [Float64Array, Float64Array[]]> = {
  cointegrated: [PY, [PX]],
  independent: [randomWalk(300, 51), [randomWalk(300, 52)]],
  three: [C!, [A!, B!]],
};

const OPTIONS: CointOptions[] = [
  { trend: "c" },
  { trend: "ct" },
  { trend: "c", autolag: "BIC" },
  { trend: "ct", autolag: "t-stat", maxLag: 5 },
  { trend: "c", autolag: null, maxLag: 2 },
];

Deno.test("coint() matches statsmodels coint for trends and lag modes", async () => {
  const cases: { name: string; opts: CointOptions; ref: ReferenceCase }[] = [];
  for (const [name, [y0, y1]] of Object.entries(PAIRS)) {
    for (const opts of OPTIONS) {
      const autolag = opts.autolag === undefined ? "aic" : opts.autolag;
      const args = { y0, y1, trend: opts.trend, maxlag: opts.maxLag ?? null, autolag };
      cases.push({ name, opts, ref: { fn: "coint", args } });
    }
  }
  const refs = await reference(cases.map((c) => c.ref));
  cases.forEach(({ name, opts }, i) => {
    const [y0, y1] = PAIRS[name]!;
    const r = coint(y0, y1, opts);
    const ref = refs[i]!;
    const what = `${name} ${JSON.stringify(opts)}`;
    assertRel(r.statistic, ref.statistic, STAT_REL, `${what} statistic`);
    assertAbs(r.pValue, ref.pvalue, P_ABS, `${what} pValue`);
    const crit = ref.crit as unknown[];
    (["1%", "5%", "10%"] as const).forEach((level, j) => {
      assertRel(r.criticalValues[level], crit[j], STAT_REL, `${what} crit ${level}`);
    });
  });
});

Deno.test("coint() finds the cointegrated pair and not the independent walks", () => {
  assert.ok(coint(PY, PX).pValue < 0.01);
  assert.ok(coint(...PAIRS.independent!).pValue > 0.05);
});

Deno.test("coint() reports -Infinity for perfectly collinear series", () => {
  const r = coint(PX.map((v) => 3 * v + 1), PX);
  assert.equal(r.statistic, -Infinity);
  assert.equal(r.pValue, 0);
  assert.equal(r.usedLag, null);
});

Deno.test("coint() rejects mismatched lengths, NaN and constant series", () => {
  assert.throws(
    () => coint(PY, PX.subarray(0, 299)),
    /Cannot run coint as 'y1' must hold as many values as 'y0' \(300\): current value holds 299/,
  );
  assert.throws(() => coint(Float64Array.of(1, NaN, 2, 3, 4), PX.subarray(0, 5)), RangeError);
  assert.throws(() => coint(PY, new Float64Array(300).fill(4)), /'y1' must not be constant/);
});
