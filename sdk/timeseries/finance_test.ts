import assert from "node:assert/strict";
import { type Client, connect } from "../client.ts";
import { DataType } from "../datatypes.ts";
import { col, concatList, lit, pearsonCorr, spearmanRankCorr } from "../functions.ts";
import type { RemoteLazyFrame } from "../frame/lazy_frame.ts";
import { when } from "../when.ts";

/** A client that never calls: building plans needs no server. */
async function offline(fn: (lf: RemoteLazyFrame) => void | Promise<void>): Promise<void> {
  await using client: Client = await connect({ endpoint: "127.0.0.1:9", connectTimeoutMs: 0 });
  await fn(client.scanParquet("bars.parquet"));
}

/** Both frames record the same plan. */
function samePlan(actual: RemoteLazyFrame, expected: RemoteLazyFrame): void {
  assert.equal(actual.toJSON(), expected.toJSON());
}

const c = col("close");
const ln = (a: ReturnType<typeof col>, b: ReturnType<typeof col>) => a.div(b).log();

Deno.test("finance.returns() records simple, log and cumulative returns per symbol", async () => {
  await offline((lf) => {
    const prev = c.shift(1);
    samePlan(
      lf.finance.returns("close", { by: "sym" }),
      lf.withColumns(c.sub(prev).div(prev).over(["sym"]).alias("close_return")),
    );
    samePlan(
      lf.finance.returns("close", { kind: "log", periods: 5, alias: "r" }),
      lf.withColumns(c.div(c.shift(5)).log().alias("r")),
    );
    samePlan(
      lf.finance.returns("close", { kind: "cumulative", by: ["sym", "venue"] }),
      lf.withColumns(
        c.sub(c.first()).div(c.first()).over(["sym", "venue"]).alias("close_cum_return"),
      ),
    );
  });
});

Deno.test("finance lag, lead, diff and pctChange record shifts by rows per symbol", async () => {
  await offline((lf) => {
    const f = lf.finance;
    samePlan(
      f.lag("px", 2, { by: "sym" }),
      lf.withColumns(col("px").shift(2).over("sym").alias("px_lag2")),
    );
    samePlan(f.lead("px"), lf.withColumns(col("px").shift(-1).alias("px_lead1")));
    samePlan(f.diff("px", 3, { alias: "d" }), lf.withColumns(col("px").diff(3).alias("d")));
    samePlan(
      f.pctChange("px", 1, { by: "sym" }),
      lf.withColumns(col("px").pctChange(1).over("sym").alias("px_pct_change")),
    );
  });
});

Deno.test("finance.volatility() records each estimator's variance, annualised", async () => {
  await offline((lf) => {
    const [o, h, l] = [col("open"), col("high"), col("low")];
    const w = { windowSize: 10, minPeriods: 10 };
    // Exactly 0 over equal terms, else the kernel's.
    const gatedVar = (terms: ReturnType<typeof col>) =>
      when(terms.rollingMax(w).sub(terms.rollingMin(w)).eq(0)).then(lit(0))
        .otherwise(terms.rollingVar(w));
    const annual = (variance: ReturnType<typeof col>, a = 252) =>
      lf.withColumns(variance.mul(lit(a)).sqrt().over(["sym"]).alias("volatility"));
    const f = lf.finance;
    samePlan(
      f.volatility({ window: 10, by: "sym" }),
      annual(gatedVar(ln(c, c.shift(1)))),
    );
    samePlan(
      f.volatility({ method: "ewma", window: 10, lambda: 0.97, annualization: 365, by: "sym" }),
      annual(
        ln(c, c.shift(1)).pow(2)
          .ewmMean({ alpha: 1 - 0.97, adjust: false, minPeriods: 10, ignoreNulls: false })
          .forwardFill(),
        365,
      ),
    );
    samePlan(
      f.volatility({ method: "parkinson", window: 10, by: "sym" }),
      annual(ln(h, l).pow(2).rollingMean(w).div(lit(4 * Math.LN2))),
    );
    const rs = ln(h, c).mul(ln(h, o)).add(ln(l, c).mul(ln(l, o)));
    samePlan(
      f.volatility({ method: "rogers_satchell", window: 10, by: "sym" }),
      annual(rs.rollingMean(w)),
    );
    const k = 0.34 / (1.34 + 11 / 9);
    samePlan(
      f.volatility({ method: "yang_zhang", window: 10, by: "sym" }),
      annual(
        gatedVar(ln(o, c.shift(1))).add(lit(k).mul(gatedVar(ln(c, o))))
          .add(lit(1 - k).mul(rs.rollingMean(w))),
      ),
    );
    const custom = f.volatility({
      method: "garman_klass",
      open: "o",
      high: "h",
      low: "l",
      close: "c",
      alias: "gk",
    });
    const json = custom.toJSON();
    for (const name of ["o", "h", "l", "c"]) assert.ok(json.includes(`{"name":"${name}"}`), name);
    assert.ok(json.includes('"rollingMean"') && json.includes('"name":"gk"'));
    assert.ok(!json.includes('"over"'), "no by: one series");
  });
});

Deno.test("finance vwap, twap and rollingVwap record small frames and a column", async () => {
  await offline((lf) => {
    const [p, v] = [col("px"), col("qty")];
    samePlan(
      lf.finance.vwap({ price: "px", volume: "qty", by: "sym" }),
      lf.groupBy(["sym"], true).agg(p.mul(v).sum().div(v.sum()).alias("vwap")),
    );
    samePlan(
      lf.finance.vwap(),
      lf.select(c.mul(col("volume")).sum().div(col("volume").sum()).alias("vwap")),
    );
    const dt = col("ts").shift(-1).sub(col("ts")).toPhysical().cast(DataType.Float64);
    samePlan(
      lf.finance.twap({ index: "ts", by: "sym" }),
      lf.groupBy(["sym"], true).agg(c.mul(dt).sum().div(dt.sum()).alias("twap")),
    );
    samePlan(lf.finance.twap(), lf.select(c.mean().alias("twap")));
    const w = { windowSize: 5, minPeriods: 5 };
    samePlan(
      lf.finance.rollingVwap(5, { by: "sym" }),
      lf.withColumns(
        c.mul(col("volume")).rollingSum(w).div(col("volume").rollingSum(w)).over(["sym"])
          .alias("rolling_vwap"),
      ),
    );
  });
});

Deno.test("finance correlation records a square matrix and rollingCorrelation pandas' formula", async () => {
  await offline((lf) => {
    const matrix = (corr: typeof pearsonCorr) => [
      concatList([lit("a"), lit("b")]).alias("column"),
      concatList([corr("a", "a"), corr("b", "a")]).alias("a"),
      concatList([corr("a", "b"), corr("b", "b")]).alias("b"),
    ];
    samePlan(
      lf.finance.correlation(["a", "b"]),
      lf.select(...matrix(pearsonCorr)).explode(["column", "a", "b"]),
    );
    samePlan(
      lf.finance.correlation(["a", "b"], { method: "spearman", by: "sym" }),
      lf.groupBy(["sym"], true).agg(...matrix(spearmanRankCorr)).explode(["column", "a", "b"]),
    );
    const [a, b] = [col("a"), col("b")];
    const w = { windowSize: 4, minPeriods: 4 };
    const cov = a.mul(b).rollingMean(w).sub(a.rollingMean(w).mul(b.rollingMean(w)))
      .mul(lit(4 / 3));
    samePlan(
      lf.finance.rollingCorrelation("a", "b", 4),
      lf.withColumns(cov.div(a.rollingVar(w).mul(b.rollingVar(w)).pow(0.5)).alias("a_b_corr")),
    );
  });
});

Deno.test("finance methods refuse bad arguments with TypeError or RangeError", async () => {
  await offline((lf) => {
    const f = lf.finance;
    const cases: [() => unknown, ErrorConstructor, string][] = [
      [
        () => f.volatility({ window: 1 }),
        RangeError,
        "Cannot compute volatility as 'window' must be an integer in [2, 4294967295]: " +
        "current value is 1",
      ],
      [
        () => f.volatility({ method: "hl" as "close" }),
        TypeError,
        "Cannot compute volatility as 'method' must be one of close, ewma, parkinson, " +
        'garman_klass, rogers_satchell, yang_zhang: current value is "hl"',
      ],
      [
        () => f.volatility({ method: "ewma", lambda: 1 }),
        RangeError,
        "Cannot compute volatility as 'lambda' must be in (0, 1): current value is 1",
      ],
      [
        () => f.volatility({ annualization: 0 }),
        RangeError,
        "Cannot compute volatility as 'annualization' must be positive: current value is 0",
      ],
      [
        () => f.volatility({ window: "5" as unknown as number }),
        TypeError,
        "Cannot compute volatility as 'window' must be a number: current value is \"5\"",
      ],
      [
        () => f.volatility({ high: "" }),
        TypeError,
        "Cannot compute volatility as 'high' must be a column name: current value is \"\"",
      ],
      [
        () => f.returns("close", { kind: "arith" as "log" }),
        TypeError,
        "Cannot compute returns as 'kind' must be one of simple, log, cumulative: " +
        'current value is "arith"',
      ],
      [
        () => f.returns("close", { periods: 0 }),
        RangeError,
        "Cannot compute returns as 'periods' must be an integer in [1, 4294967295]: " +
        "current value is 0",
      ],
      [
        () => f.lag("close", 1.5),
        RangeError,
        "Cannot compute lag as 'n' must be an integer in [0, 4294967295]: current value is 1.5",
      ],
      [
        () => f.diff("close", 1, { by: [3 as unknown as string] }),
        TypeError,
        "Cannot compute diff as 'by' must be a column name: current value is 3",
      ],
      [
        () => f.correlation([]),
        TypeError,
        "Cannot compute correlation as 'columns' must be a non-empty list of column names: " +
        "current value is []",
      ],
      [
        () => f.correlation(["a", "column"]),
        TypeError,
        "Cannot compute correlation as 'columns' must be distinct and differ from \"column\" " +
        'and the by columns: current value is ["a","column"]',
      ],
      [
        () => f.rollingCorrelation("a", "b", 1),
        RangeError,
        "Cannot compute rollingCorrelation as 'window' must be an integer in [2, 4294967295]: " +
        "current value is 1",
      ],
    ];
    for (const [call, type, message] of cases) {
      assert.throws(call, (e: unknown) => {
        assert.ok(e instanceof type, `${message}: ${e}`);
        assert.equal((e as Error).message, message);
        return true;
      });
    }
  });
});
