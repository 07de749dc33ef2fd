/**
 * MacKinnon approximate p-values (1994) and finite-sample critical values (2010) for
 * Dickey-Fuller and Engle-Granger statistics, computed as statsmodels' `mackinnonp` and
 * `mackinnoncrit` (statsmodels/tsa/adfvalues.py).
 *
 * @module
 */
import {
  LARGE_P_SCALING,
  MACKINNON_CRIT,
  MACKINNON_P,
  type Regression,
  SMALL_P_SCALING,
} from "./_mackinnon_tables.ts";
import { normalCdf } from "./_normal.ts";
import { requireInteger, requireOneOf } from "./_validate.ts";

export type { Regression } from "./_mackinnon_tables.ts";

/** The deterministic-term options accepted by the MacKinnon tables. */
export const REGRESSIONS: readonly Regression[] = ["n", "c", "ct", "ctt"];

/** Critical values at the 1%, 5% and 10% levels. */
export interface CriticalValues {
  readonly "1%": number;
  readonly "5%": number;
  readonly "10%": number;
}

function polyAscending(coef: readonly number[], scaling: readonly number[], x: number): number {
  let s = 0;
  for (let i = coef.length - 1; i >= 0; i--) s = s * x + coef[i]! * scaling[i]!;
  return s;
}

/**
 * MacKinnon (1994) approximate asymptotic p-value of a Dickey-Fuller tau statistic.
 *
 * @param teststat The tau statistic (NaN gives NaN; -Infinity gives 0).
 * @param regression Deterministic terms of the test regression.
 * @param n Number of I(1) series (1 for ADF; 2+ for Engle-Granger), 1..6.
 */
export function mackinnonp(teststat: number, regression: Regression = "c", n = 1): number {
  requireOneOf("mackinnonp", "regression", regression, REGRESSIONS);
  requireInteger("mackinnonp", "n", n, 1, 6);
  const t = MACKINNON_P[regression];
  if (teststat > t.tauMax[n - 1]!) return 1;
  if (teststat < t.tauMin[n - 1]!) return 0;
  if (Number.isNaN(teststat)) return NaN;
  return teststat <= t.tauStar[n - 1]!
    ? normalCdf(polyAscending(t.smallP[n - 1]!, SMALL_P_SCALING, teststat))
    : normalCdf(polyAscending(t.largeP[n - 1]!, LARGE_P_SCALING, teststat));
}

/**
 * MacKinnon (2010) critical values for a sample of nobs observations.
 *
 * @param n Number of I(1) series, 1..12 (only 1 for regression "n").
 * @param regression Deterministic terms of the test regression.
 * @param nobs Sample size; Infinity gives the asymptotic values. @default Infinity
 */
export function mackinnoncrit(
  n = 1,
  regression: Regression = "c",
  nobs = Infinity,
): CriticalValues {
  requireOneOf("mackinnoncrit", "regression", regression, REGRESSIONS);
  const table = MACKINNON_CRIT[regression];
  requireInteger("mackinnoncrit", "n", n, 1, table.length);
  if (!(nobs > 0)) {
    throw new RangeError(
      `Cannot run mackinnoncrit as 'nobs' must be positive: current value is ${nobs}`,
    );
  }
  const rows = table[n - 1]!;
  const value = (c: readonly number[]): number => {
    if (nobs === Infinity) return c[0]!;
    const x = 1 / nobs;
    return ((c[3]! * x + c[2]!) * x + c[1]!) * x + c[0]!;
  };
  return { "1%": value(rows[0]!), "5%": value(rows[1]!), "10%": value(rows[2]!) };
}
