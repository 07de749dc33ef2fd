import assert from "node:assert/strict";
import { mackinnoncrit, mackinnonp, REGRESSIONS } from "./mackinnon.ts";
import { assertAbs, assertRel, reference, type ReferenceCase, STAT_REL } from "./_reference.ts";

Deno.test("mackinnonp() matches statsmodels for every regression, N and both tails", async () => {
  const cases: ReferenceCase[] = [];
  for (const regression of REGRESSIONS) {
    for (let n = 1; n <= 6; n++) {
      for (const stat of [-30, -6.5, -4.2, -3.3, -2.9, -2.1, -1.2, -0.3, 0.5, 1.3, 3]) {
        cases.push({ fn: "mackinnonp", args: { stat, regression, n } });
      }
    }
  }
  const refs = await reference(cases);
  cases.forEach((c, i) => {
    const { stat, regression, n } = c.args as { stat: number; regression: "c"; n: number };
    const p = mackinnonp(stat, regression, n);
    assertAbs(p, refs[i]!.p, 1e-12, `mackinnonp(${stat}, ${regression}, ${n})`);
  });
});

Deno.test("mackinnoncrit() matches statsmodels for every regression, N and sample size", async () => {
  const cases: ReferenceCase[] = [];
  for (const regression of REGRESSIONS) {
    for (let n = 1; n <= (regression === "n" ? 1 : 12); n++) {
      for (const nobs of [25, 100, 1000, null]) {
        cases.push({ fn: "mackinnoncrit", args: { n, regression, nobs } });
      }
    }
  }
  const refs = await reference(cases);
  cases.forEach((c, i) => {
    const { n, regression, nobs } = c.args as { n: number; regression: "c"; nobs: number | null };
    const crit = mackinnoncrit(n, regression, nobs ?? Infinity);
    const ref = refs[i]!.crit as unknown[];
    (["1%", "5%", "10%"] as const).forEach((level, j) => {
      assertRel(crit[level], ref[j], STAT_REL, `crit ${regression} N=${n} nobs=${nobs} ${level}`);
    });
  });
});

Deno.test("mackinnonp() and mackinnoncrit() reject unsupported N and regression", () => {
  assert.throws(
    () => mackinnonp(-3, "c", 7),
    /Cannot run mackinnonp as 'n' must be an integer in \[1, 6\]: current value is 7/,
  );
  assert.throws(() => mackinnoncrit(2, "n"), /must be an integer in \[1, 1\]/);
  assert.throws(() => mackinnoncrit(1, "x" as "c"), /'regression' must be one of/);
  assert.equal(mackinnonp(-Infinity, "c", 2), 0);
});
