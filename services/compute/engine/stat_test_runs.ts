/**
 * The computations of the StatTest node, per group of series, as plain functions of
 * Float64Arrays and parsed parameters: nothing here touches the engine, so they run in a
 * worker thread (stat_test_worker.ts) and the event loop stays free however long a test
 * takes (an ADF of 100k points takes minutes).
 *
 * @module
 */

import { adf, type Autolag } from "../stats/adf.ts";
import { coint } from "../stats/coint.ts";
import { type DetOrder, johansen } from "../stats/johansen.ts";
import { kpss } from "../stats/kpss.ts";
import type { Regression } from "../stats/mackinnon.ts";
import { halfLife, hurst } from "../stats/mean_reversion.ts";

/** A test's parameters, parsed from its options (plain values: they cross to a worker). */
export type StatParams = Readonly<Record<string, string | number | null | undefined>>;

/** Result rows of one group: column name → value. */
export type StatRow = Record<string, number | string | null>;

type StatRun = (series: Float64Array[], params: StatParams) => StatRow[];

/** Name of the group column of results (an internal name no user column can take). */
export const GROUP = "__polaroid_group";

function maxLag(params: StatParams): { maxLag?: number } {
  return typeof params.maxLag === "number" ? { maxLag: params.maxLag } : {};
}

const RUNS: ReadonlyMap<string, StatRun> = new Map<string, StatRun>([
  ["adf", ([x], p) => {
    const r = adf(x!, {
      regression: p.regression as Regression,
      autolag: p.autolag as Autolag | null,
      ...maxLag(p),
    });
    return [{
      statistic: r.statistic,
      p_value: r.pValue,
      used_lag: r.usedLag,
      nobs: r.nobs,
      crit_1pct: r.criticalValues["1%"],
      crit_5pct: r.criticalValues["5%"],
      crit_10pct: r.criticalValues["10%"],
      ic_best: r.icBest,
    }];
  }],
  ["kpss", ([x], p) => {
    const nlags = p.nlags as number | "auto" | "legacy";
    const r = kpss(x!, { regression: p.regression as "c" | "ct", nlags });
    return [{
      statistic: r.statistic,
      p_value: r.pValue,
      p_value_bound: r.pValueBound,
      lags: r.lags,
      crit_10pct: r.criticalValues["10%"],
      crit_5pct: r.criticalValues["5%"],
      crit_2_5pct: r.criticalValues["2.5%"],
      crit_1pct: r.criticalValues["1%"],
    }];
  }],
  ["coint", ([y, ...xs], p) => {
    const r = coint(y!, xs, {
      trend: p.trend as Regression,
      autolag: p.autolag as Autolag | null,
      ...maxLag(p),
    });
    return [{
      statistic: r.statistic,
      p_value: r.pValue,
      crit_1pct: r.criticalValues["1%"],
      crit_5pct: r.criticalValues["5%"],
      crit_10pct: r.criticalValues["10%"],
    }];
  }],
  ["johansen", (series, p) => {
    const r = johansen(series, {
      detOrder: p.detOrder as DetOrder,
      kArDiff: p.kArDiff as number,
    });
    return [...r.eigenvalues].map((eigenvalue, rank) => ({
      rank,
      eigenvalue,
      trace: r.trace[rank]!,
      trace_crit_90pct: r.traceCriticalValues[rank]!["90%"],
      trace_crit_95pct: r.traceCriticalValues[rank]!["95%"],
      trace_crit_99pct: r.traceCriticalValues[rank]!["99%"],
      max_eig: r.maxEig[rank]!,
      max_eig_crit_90pct: r.maxEigCriticalValues[rank]!["90%"],
      max_eig_crit_95pct: r.maxEigCriticalValues[rank]!["95%"],
      max_eig_crit_99pct: r.maxEigCriticalValues[rank]!["99%"],
    }));
  }],
  ["half_life", ([y]) => {
    const r = halfLife(y!);
    return [{ half_life: r.halfLife, beta: r.beta, intercept: r.intercept }];
  }],
  ["hurst", ([y], p) => {
    const options = {
      ...(typeof p.minLag === "number" ? { minLag: p.minLag } : {}),
      ...maxLag(p),
    };
    return [{ hurst: hurst(y!, options) }];
  }],
]);

/**
 * Runs test `name` on every group: `data` holds each column's values, groups one after the
 * other, and `lengths` each group's length. Returns the result rows tagged with their group.
 */
export function runStatGroups(
  name: string,
  params: StatParams,
  data: readonly Float64Array[],
  lengths: Float64Array,
): (StatRow & { [GROUP]: number })[] {
  const run = RUNS.get(name);
  if (!run) throw new TypeError(`Cannot run ${name} as it must be a known test`);
  const out: (StatRow & { [GROUP]: number })[] = [];
  let offset = 0;
  for (let g = 0; g < lengths.length; g++) {
    const n = lengths[g]!;
    const series = data.map((d) => d.slice(offset, offset + n));
    offset += n;
    for (const row of run(series, params)) out.push({ [GROUP]: g, ...row });
  }
  return out;
}
