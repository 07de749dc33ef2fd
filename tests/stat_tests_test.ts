/**
 * Statistical tests through a live cluster: per-group results equal the statistics library
 * run in-process on the same series (the library itself is checked against statsmodels in
 * services/compute/stats), keys come first in group order, and bad input is refused.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { col, connect, InvalidPlanError, QueryError } from "../sdk/mod.ts";
import { adf } from "../services/compute/stats/adf.ts";
import { coint } from "../services/compute/stats/coint.ts";
import { johansen } from "../services/compute/stats/johansen.ts";
import { kpss } from "../services/compute/stats/kpss.ts";
import { halfLife, hurst } from "../services/compute/stats/mean_reversion.ts";
import { ar1, cointegratedPair, randomWalk, var3 } from "../services/compute/stats/_testdata.ts";
import { frameToTable, INTEGRATION, rowsOf, testCluster } from "./_harness.ts";

const cluster = await testCluster();
const N = 400;

/** Two symbols: "A" a random walk, "B" an AR(1); y/x a cointegrated pair; a, b, c a VAR. */
function frame(): pl.DataFrame {
  const [ya, xa] = cointegratedPair(N, 5);
  const [yb, xb] = cointegratedPair(N, 6);
  const [a1, b1, c1] = var3(N, 7);
  const [a2, b2, c2] = var3(N, 8);
  const cat = (p: Float64Array, q: Float64Array) => Float64Array.from([...p, ...q]);
  return pl.DataFrame([
    pl.Series("sym", [...Array(N).fill("A"), ...Array(N).fill("B")]),
    pl.Series("px", cat(randomWalk(N, 1), ar1(N, 0.5, 2))),
    pl.Series("y", cat(ya, yb)),
    pl.Series("x", cat(xa, xb)),
    pl.Series("a", cat(a1!, a2!)),
    pl.Series("b", cat(b1!, b2!)),
    pl.Series("c", cat(c1!, c2!)),
  ]);
}

function column(df: pl.DataFrame, sym: string, name: string): Float64Array {
  return df.filter(pl.col("sym").eq(pl.lit(sym))).getColumn(name).toTypedArray() as Float64Array;
}

function close(actual: unknown, expected: number, what: string): void {
  assert.equal(typeof actual, "number", what);
  const a = actual as number;
  assert.ok(
    Math.abs(a - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${a} vs ${expected}`,
  );
}

Deno.test({
  name: "adf, kpss, coint, johansen, halfLife and hurst per symbol equal the library in-process",
  ...INTEGRATION,
  async fn() {
    const local = frame();
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromArrow(frameToTable(local));
    const lf = df.lazy();

    const adfRows = rowsOf(await lf.adf("px", { by: "sym", regression: "ct" }).toArrow(), 17);
    assert.deepEqual(adfRows.map((r) => r.sym), ["A", "B"]);
    for (const row of adfRows) {
      const want = adf(column(local, row.sym as string, "px"), { regression: "ct" });
      close(row.statistic, want.statistic, "adf statistic");
      close(row.p_value, want.pValue, "adf p");
      assert.equal(row.used_lag, BigInt(want.usedLag));
      close(row.crit_5pct, want.criticalValues["5%"], "adf 5%");
    }
    assert.ok((adfRows[1]!.p_value as number) < 0.05, "the AR(1) is stationary");

    const kpssRows = rowsOf(await lf.kpss("px", { by: "sym", nlags: "legacy" }).toArrow(), 17);
    for (const row of kpssRows) {
      const want = kpss(column(local, row.sym as string, "px"), { nlags: "legacy" });
      close(row.statistic, want.statistic, "kpss statistic");
      close(row.p_value, want.pValue, "kpss p");
      assert.equal(row.p_value_bound, want.pValueBound);
    }

    const cointRows = rowsOf(await lf.coint("y", "x", { by: "sym", autolag: "BIC" }).toArrow(), 17);
    for (const row of cointRows) {
      const sym = row.sym as string;
      const want = coint(column(local, sym, "y"), column(local, sym, "x"), { autolag: "BIC" });
      close(row.statistic, want.statistic, "coint statistic");
      close(row.p_value, want.pValue, "coint p");
    }

    const jRows = rowsOf(await lf.johansen(["a", "b", "c"], { by: "sym" }).toArrow(), 17);
    assert.equal(jRows.length, 6, "three ranks per symbol");
    const wantA = johansen(["a", "b", "c"].map((c) => column(local, "A", c)));
    jRows.slice(0, 3).forEach((row, rank) => {
      assert.equal(row.rank, BigInt(rank));
      close(row.trace, wantA.trace[rank]!, "johansen trace");
      close(row.max_eig, wantA.maxEig[rank]!, "johansen max eig");
    });

    const hl = rowsOf(await lf.halfLife("px", { by: "sym" }).toArrow(), 17);
    close(hl[1]!.half_life, halfLife(column(local, "B", "px")).halfLife, "half-life");
    const h = rowsOf(await lf.filter(col("sym").eq("A")).hurst("px", { maxLag: 20 }).toArrow(), 17);
    close(h[0]!.hurst, hurst(column(local, "A", "px"), { maxLag: 20 }), "hurst");
  },
});

Deno.test({
  name: "statistical tests refuse nulls, short series and unknown options with clear errors",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromRecords([{ v: 1.5 }, { v: null }, { v: 2 }]);
    await assert.rejects(
      df.lazy().adf("v").toArrow(),
      (e: unknown) => e instanceof QueryError && /'v' must have no nulls/.test(e.message),
    );
    await using short = await client.fromRecords([{ v: 1.5 }, { v: 2.5 }, { v: 2 }]);
    await assert.rejects(
      short.lazy().adf("v").toArrow(),
      (e: unknown) => e instanceof QueryError && /Cannot run adf/.test(e.message),
    );
    await assert.rejects(
      short.lazy().adf("v", { nlags: 3 } as never).toArrow(),
      (e: unknown) => e instanceof InvalidPlanError && /nlags/.test(e.message),
    );
  },
});
