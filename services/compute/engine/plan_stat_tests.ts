/**
 * StatTest: statistical tests and estimates (ADF, KPSS, Engle-Granger, Johansen, half-life,
 * Hurst) over columns of the input, per group of `by`, computed by services/compute/stats.
 * Its options are parsed when the plan is checked. When it runs, the engine counts the
 * input's rows and nulls (refused over `maxStatTestRows` before anything is kept), collects
 * it as Float64 columns, one list per group, off the event loop; the tests run in a worker
 * thread (stat_test_runs.ts), and the small result continues the plan as a LazyFrame: the
 * `by` columns, then the result columns.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { ComputeLimits } from "../../../shared/config_limits.ts";
import { InvalidPlanError, LimitExceededError, QueryError } from "../../../shared/errors.ts";
import type { Arg } from "../../../shared/gen/polaroid/v1/expr.ts";
import { type StatTest, StatTestKind } from "../../../shared/gen/polaroid/v1/plan.ts";
import { Call } from "./functions/call.ts";
import { frameLazy } from "./frame_access.ts";
import { GROUP, type StatParams, type StatRow } from "./stat_test_runs.ts";
import type { StatTestJob } from "./stat_test_worker.ts";

interface TestSpec {
  name: string;
  columns: [min: number, max: number];
  options: readonly string[];
  /** The test's parameters from its options (InvalidPlanError for a bad value). */
  params(options: Call): StatParams;
}

const AUTOLAGS = ["AIC", "BIC", "t-stat", "none"] as const;
const REGRESSIONS = ["n", "c", "ct", "ctt"] as const;

function autolag(call: Call): string | null {
  const value = call.string("autolag", AUTOLAGS, "AIC");
  return value === "none" ? null : value;
}

function maxLag(call: Call): number | undefined {
  return call.has("maxLag") ? call.int("maxLag", { min: 0 }) : undefined;
}

const TESTS: ReadonlyMap<StatTestKind, TestSpec> = new Map<StatTestKind, TestSpec>([
  [StatTestKind.STAT_TEST_KIND_ADF, {
    name: "adf",
    columns: [1, 1],
    options: ["regression", "autolag", "maxLag"],
    params: (o) => ({
      regression: o.string("regression", REGRESSIONS, "c"),
      autolag: autolag(o),
      maxLag: maxLag(o),
    }),
  }],
  [StatTestKind.STAT_TEST_KIND_KPSS, {
    name: "kpss",
    columns: [1, 1],
    options: ["regression", "nlags"],
    params: (o) => ({
      regression: o.string("regression", ["c", "ct"] as const, "c"),
      nlags: o.kind("nlags") === "string"
        ? o.string("nlags", ["auto", "legacy"] as const)
        : o.has("nlags")
        ? o.int("nlags", { min: 0 })
        : "auto",
    }),
  }],
  [StatTestKind.STAT_TEST_KIND_COINT, {
    name: "coint",
    columns: [2, 6],
    options: ["trend", "autolag", "maxLag"],
    params: (o) => ({
      trend: o.string("trend", REGRESSIONS, "c"),
      autolag: autolag(o),
      maxLag: maxLag(o),
    }),
  }],
  [StatTestKind.STAT_TEST_KIND_JOHANSEN, {
    name: "johansen",
    columns: [1, 12],
    options: ["detOrder", "kArDiff"],
    params: (o) => ({
      detOrder: o.int("detOrder", { min: -1, max: 1 }, 0),
      kArDiff: o.int("kArDiff", { min: 0 }, 1),
    }),
  }],
  [StatTestKind.STAT_TEST_KIND_HALF_LIFE, {
    name: "half_life",
    columns: [1, 1],
    options: [],
    params: () => ({}),
  }],
  [StatTestKind.STAT_TEST_KIND_HURST, {
    name: "hurst",
    columns: [1, 1],
    options: ["minLag", "maxLag"],
    params: (o) => ({
      minLag: o.has("minLag") ? o.int("minLag", { min: 1 }) : undefined,
      maxLag: o.has("maxLag") ? o.int("maxLag", { min: 1 }) : undefined,
    }),
  }],
]);

function invalid(field: string, rule: string, value: unknown): InvalidPlanError {
  return new InvalidPlanError(
    `Cannot run the statistical test as '${field}' must ${rule}: current value is ${String(value)}`,
  );
}

function optionsOf(spec: TestSpec, node: StatTest): Call {
  return new Call(spec.name, [], node.options as Record<string, Arg>, () => {
    throw invalid("stat_test.options", "hold plain values", "an expression");
  });
}

/**
 * Structural checks of a StatTest node (kind, column count, option names, names) and its
 * parameters; returns the test's name and parameters.
 */
export function checkStatTest(node: StatTest): { name: string; params: StatParams } {
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
  return { name: spec.name, params: spec.params(optionsOf(spec, node)) };
}

const value = (i: number) => `__polaroid_v${i}`;

function statFrame(rows: (StatRow & { [GROUP]: number })[]): pl.DataFrame {
  const names = Object.keys(rows[0]!);
  return pl.DataFrame(names.map((name) => {
    const cells = rows.map((r) => r[name] ?? null);
    if (name === GROUP) return pl.Series(name, Uint32Array.from(cells as number[]));
    if (cells.some((c) => typeof c === "string")) return pl.Series(name, cells, pl.Utf8);
    const integral = name === "rank" || name === "used_lag" || name === "nobs" || name === "lags";
    return pl.Series(name, cells, integral ? pl.Int64 : pl.Float64);
  }));
}

/** Runs the test in a worker thread; its errors come back as QueryError. */
function inWorker(job: StatTestJob): Promise<(StatRow & { [GROUP]: number })[]> {
  const worker = new Worker(new URL("./stat_test_worker.ts", import.meta.url).href, {
    type: "module",
  });
  return new Promise<(StatRow & { [GROUP]: number })[]>((resolve, reject) => {
    worker.onmessage = (event) => {
      const { rows, error } = event.data as {
        rows?: (StatRow & { [GROUP]: number })[];
        error?: { name: string; message: string };
      };
      if (rows) resolve(rows);
      else if (error?.name === "RangeError" || error?.name === "TypeError") {
        reject(new QueryError(error.message));
      } else reject(new Error(error?.message ?? "The statistical test's worker failed"));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`The statistical test's worker failed: ${event.message}`));
    };
    const buffers = [...job.data.map((d) => d.buffer), job.lengths.buffer] as ArrayBuffer[];
    worker.postMessage(job, { transfer: buffers });
  }).finally(() => worker.terminate());
}

/** The StatTest of a lazy input, computed off the event loop (see the module comment). */
export async function runStatTest(
  input: pl.LazyDataFrame,
  node: StatTest,
  limits: Pick<ComputeLimits, "maxStatTestRows">,
): Promise<pl.DataFrame> {
  const { name, params } = checkStatTest(node);
  const values = node.columns.map((c, i) => pl.col(c).cast(pl.Float64).alias(value(i)));
  // One pass over the input for both guards (null counts and rows) before anything is kept.
  const LEN = "__polaroid_len";
  const guards = await input.select([
    ...values.map((v, i) => v.nullCount().alias(value(i))),
    pl.len().alias(LEN),
  ]).collect();
  node.columns.forEach((column, i) => {
    const count = Number(guards.getColumn(value(i)).get(0));
    if (count > 0) {
      throw new QueryError(
        `Cannot run ${name} as column '${column}' must have no nulls: current value has ${count} (drop or fill them first)`,
      );
    }
  });
  const rows = Number(guards.getColumn(LEN).get(0));
  if (rows > limits.maxStatTestRows) {
    throw new LimitExceededError(
      `Cannot run ${name} as its input must have at most ${limits.maxStatTestRows} rows (POLAROID_MAX_STAT_TEST_ROWS): current value is ${rows}`,
      { metadata: { limit: String(limits.maxStatTestRows) } },
    );
  }
  const by = node.by.map((b) => pl.col(b));
  const grouped = node.by.length === 0
    ? input.select(values.map((v) => v.implode()))
    : input.groupBy(by, true).agg(...values);
  const df = await grouped.collect();
  // Each value column flattened in group order, and the groups' lengths: list cells cannot
  // be read one by one (Series.get of a list cell fails in nodejs-polars 0.25.2). Internal
  // names only, so no user column name can shadow a frame member.
  const [flat, counts] = await Promise.all([
    frameLazy(df).select(node.columns.map((_, i) => pl.col(value(i)).explode())).collect(),
    frameLazy(df).select(pl.col(value(0)).lst.lengths().cast(pl.Float64).alias("n")).collect(),
  ]);
  const lengths = counts.getColumn("n").toTypedArray() as Float64Array;
  // Copies the worker owns (transferred, not copied again).
  const data = node.columns.map((_, i) =>
    Float64Array.from(flat.getColumn(value(i)).toTypedArray() as Float64Array)
  );
  const out = await inWorker({ name, params, data, lengths: Float64Array.from(lengths) });
  if (out.length === 0) {
    throw new QueryError(`Cannot run ${name} as its input must have rows: current value is 0`);
  }
  const stats = statFrame(out).lazy();
  if (node.by.length === 0) return await stats.drop(GROUP).collect();
  const keys = frameLazy(df).select(by).withRowIndex(GROUP);
  return await keys.join(stats, { on: GROUP, how: "inner" }).sort(GROUP).drop(GROUP).collect();
}
