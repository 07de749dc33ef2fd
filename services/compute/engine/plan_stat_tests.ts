/**
 * StatTest: statistical tests and estimates (ADF, KPSS, Engle-Granger, Johansen, half-life,
 * Hurst) over columns of the input, per group of `by`, computed by services/compute/stats.
 * The input is collected (as Float64 columns, one list per group), each group's series is
 * tested, and the small result continues the plan as a LazyFrame: the `by` columns, then
 * the result columns.
 *
 * @module
 */

import pl from "nodejs-polars";
import { InvalidPlanError, LimitExceededError, QueryError } from "../../../shared/errors.ts";
import type { Arg } from "../../../shared/gen/polaroid/v1/expr.ts";
import { type StatTest, StatTestKind } from "../../../shared/gen/polaroid/v1/plan.ts";
import { adf, type Autolag } from "../stats/adf.ts";
import { coint } from "../stats/coint.ts";
import { type DetOrder, johansen } from "../stats/johansen.ts";
import { kpss } from "../stats/kpss.ts";
import type { Regression } from "../stats/mackinnon.ts";
import { halfLife, hurst } from "../stats/mean_reversion.ts";
import { Call } from "./functions/call.ts";
import { frameLazy } from "./frame_access.ts";

/** Most input rows (all groups together) a test may read into memory. */
export const MAX_STAT_TEST_ROWS = 50_000_000;

/** Result rows of one group: column name → value. */
type Row = Record<string, number | string | null>;

interface TestSpec {
  name: string;
  columns: [min: number, max: number];
  options: readonly string[];
  run(series: Float64Array[], options: Call): Row[];
}

const AUTOLAGS = ["AIC", "BIC", "t-stat", "none"] as const;
const REGRESSIONS = ["n", "c", "ct", "ctt"] as const;

function autolag(call: Call): Autolag | null {
  const value = call.string("autolag", AUTOLAGS, "AIC");
  return value === "none" ? null : value;
}

const TESTS: ReadonlyMap<StatTestKind, TestSpec> = new Map<StatTestKind, TestSpec>([
  [StatTestKind.STAT_TEST_KIND_ADF, {
    name: "adf",
    columns: [1, 1],
    options: ["regression", "autolag", "maxLag"],
    run([x], o) {
      const r = adf(x!, {
        regression: o.string("regression", REGRESSIONS, "c") as Regression,
        autolag: autolag(o),
        ...(o.has("maxLag") ? { maxLag: o.int("maxLag", { min: 0 }) } : {}),
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
    },
  }],
  [StatTestKind.STAT_TEST_KIND_KPSS, {
    name: "kpss",
    columns: [1, 1],
    options: ["regression", "nlags"],
    run([x], o) {
      const nlags = o.kind("nlags") === "string"
        ? o.string("nlags", ["auto", "legacy"] as const)
        : o.has("nlags")
        ? o.int("nlags", { min: 0 })
        : "auto";
      const r = kpss(x!, { regression: o.string("regression", ["c", "ct"] as const, "c"), nlags });
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
    },
  }],
  [StatTestKind.STAT_TEST_KIND_COINT, {
    name: "coint",
    columns: [2, 6],
    options: ["trend", "autolag", "maxLag"],
    run([y, ...xs], o) {
      const r = coint(y!, xs, {
        trend: o.string("trend", REGRESSIONS, "c") as Regression,
        autolag: autolag(o),
        ...(o.has("maxLag") ? { maxLag: o.int("maxLag", { min: 0 }) } : {}),
      });
      return [{
        statistic: r.statistic,
        p_value: r.pValue,
        crit_1pct: r.criticalValues["1%"],
        crit_5pct: r.criticalValues["5%"],
        crit_10pct: r.criticalValues["10%"],
      }];
    },
  }],
  [StatTestKind.STAT_TEST_KIND_JOHANSEN, {
    name: "johansen",
    columns: [1, 12],
    options: ["detOrder", "kArDiff"],
    run(series, o) {
      const r = johansen(series, {
        detOrder: o.int("detOrder", { min: -1, max: 1 }, 0) as DetOrder,
        kArDiff: o.int("kArDiff", { min: 0 }, 1),
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
    },
  }],
  [StatTestKind.STAT_TEST_KIND_HALF_LIFE, {
    name: "half_life",
    columns: [1, 1],
    options: [],
    run([y]) {
      const r = halfLife(y!);
      return [{ half_life: r.halfLife, beta: r.beta, intercept: r.intercept }];
    },
  }],
  [StatTestKind.STAT_TEST_KIND_HURST, {
    name: "hurst",
    columns: [1, 1],
    options: ["minLag", "maxLag"],
    run([y], o) {
      const options = {
        ...(o.has("minLag") ? { minLag: o.int("minLag", { min: 1 }) } : {}),
        ...(o.has("maxLag") ? { maxLag: o.int("maxLag", { min: 1 }) } : {}),
      };
      return [{ hurst: hurst(y!, options) }];
    },
  }],
]);

function invalid(field: string, rule: string, value: unknown): InvalidPlanError {
  return new InvalidPlanError(
    `Cannot run the statistical test as '${field}' must ${rule}: current value is ${String(value)}`,
  );
}

/** Structural checks of a StatTest node (kind, column count, option names, names). */
export function checkStatTest(node: StatTest): void {
  const spec = TESTS.get(node.kind);
  if (!spec) throw invalid("stat_test.kind", "be a known test", node.kind);
  const [min, max] = spec.columns;
  if (node.columns.length < min || node.columns.length > max) {
    throw invalid(
      "stat_test.columns",
      `name ${min === max ? min : `${min} to ${max}`} columns for ${spec.name}`,
      node.columns.length,
    );
  }
  for (const name of [...node.columns, ...node.by]) {
    if (name === "") throw invalid("stat_test.columns", "hold non-empty names", '""');
  }
  for (const key of Object.keys(node.options)) {
    if (!spec.options.includes(key)) {
      throw invalid(
        `stat_test.options`,
        spec.options.length === 0 ? "be empty" : `hold only ${spec.options.join(", ")}`,
        key,
      );
    }
  }
}

const value = (i: number) => `__polaroid_v${i}`;
const GROUP = "__polaroid_group";

function statFrame(rows: (Row & { [GROUP]: number })[]): pl.DataFrame {
  const names = Object.keys(rows[0]!);
  return pl.DataFrame(names.map((name) => {
    const cells = rows.map((r) => r[name] ?? null);
    if (name === GROUP) return pl.Series(name, Uint32Array.from(cells as number[]));
    if (cells.some((c) => typeof c === "string")) return pl.Series(name, cells, pl.Utf8);
    const integral = name === "rank" || name === "used_lag" || name === "nobs" || name === "lags";
    return pl.Series(name, cells, integral ? pl.Int64 : pl.Float64);
  }));
}

/** The StatTest of a lazy input (collected here, on the calling thread). */
export function statTestLazy(input: pl.LazyDataFrame, node: StatTest): pl.LazyDataFrame {
  checkStatTest(node);
  const spec = TESTS.get(node.kind)!;
  const values = node.columns.map((c, i) => pl.col(c).cast(pl.Float64).alias(value(i)));
  // One pass over the input for both guards (null counts and rows) before anything is kept.
  const LEN = "__polaroid_len";
  const guards = input.select([
    ...values.map((v, i) => v.nullCount().alias(value(i))),
    pl.len().alias(LEN),
  ]).collectSync();
  node.columns.forEach((column, i) => {
    const count = Number(guards.getColumn(value(i)).get(0));
    if (count > 0) {
      throw new QueryError(
        `Cannot run ${spec.name} as column '${column}' must have no nulls: current value has ${count} (drop or fill them first)`,
      );
    }
  });
  const rows = Number(guards.getColumn(LEN).get(0));
  if (rows > MAX_STAT_TEST_ROWS) {
    throw new LimitExceededError(
      `Cannot run ${spec.name} as its input must have at most ${MAX_STAT_TEST_ROWS} rows: current value is ${rows}`,
      { metadata: { limit: String(MAX_STAT_TEST_ROWS) } },
    );
  }
  const by = node.by.map((b) => pl.col(b));
  const grouped = node.by.length === 0
    ? input.select(values.map((v) => v.implode()))
    : input.groupBy(by, true).agg(...values);
  const df = grouped.collectSync();
  // Each value column flattened in group order, and the groups' lengths: list cells cannot
  // be read one by one (Series.get of a list cell fails in nodejs-polars 0.25.2). Internal
  // names only, so no user column name can shadow a frame member.
  const flat = frameLazy(df).select([
    ...node.columns.map((_, i) => pl.col(value(i)).explode()),
  ]).collectSync();
  const lengths = frameLazy(df).select(pl.col(value(0)).lst.lengths().cast(pl.Float64).alias("n"))
    .collectSync().getColumn("n").toTypedArray() as Float64Array;
  const data = node.columns.map((_, i) => flat.getColumn(value(i)).toTypedArray() as Float64Array);
  const options = new Call(spec.name, [], node.options as Record<string, Arg>, () => {
    throw invalid("stat_test.options", "hold plain values", "an expression");
  });
  const out: (Row & { [GROUP]: number })[] = [];
  let offset = 0;
  for (let g = 0; g < lengths.length; g++) {
    const n = lengths[g]!;
    const groupSeries = data.map((d) => d.slice(offset, offset + n));
    offset += n;
    let result: Row[];
    try {
      result = spec.run(groupSeries, options);
    } catch (error) {
      if (error instanceof RangeError || error instanceof TypeError) {
        throw new QueryError(error.message, { cause: error });
      }
      throw error;
    }
    for (const row of result) out.push({ [GROUP]: g, ...row });
  }
  if (out.length === 0) {
    throw new QueryError(`Cannot run ${spec.name} as its input must have rows: current value is 0`);
  }
  const stats = statFrame(out).lazy();
  if (node.by.length === 0) return stats.drop(GROUP);
  const keys = frameLazy(df).select(by).withRowIndex(GROUP);
  return keys.join(stats, { on: GROUP, how: "inner" }).sort(GROUP).drop(GROUP);
}
