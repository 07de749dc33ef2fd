/**
 * Deep plans over the wire: a chain of 500 withColumns runs and equals in-process; a chain
 * deeper than the server's limit is refused with LimitExceededError (not a decode failure).
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { col, connect, LimitExceededError, lit } from "../sdk/mod.ts";
import { assertSameTable, frameToTable, INTEGRATION, testCluster } from "./_harness.ts";

const cluster = await testCluster();
const local = pl.DataFrame({ a: pl.Series("a", Float64Array.from({ length: 1000 }, (_, i) => i)) });

Deno.test({
  name: "a chain of 500 withColumns runs remotely and equals the chain in-process",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using remote = await client.fromArrow(frameToTable(local));
    let lf = remote.lazy();
    let llf = local.lazy();
    for (let i = 0; i < 500; i++) {
      lf = lf.withColumns(col("a").add(lit(i)).alias(`c${i % 7}`));
      llf = llf.withColumns(pl.col("a").add(pl.lit(i)).alias(`c${i % 7}`));
    }
    assertSameTable(await lf.toArrow(), frameToTable(llf.collectSync()));
  },
});

Deno.test({
  name: "a plan deeper than POLAROID_MAX_PLAN_DEPTH is LimitExceededError naming the limit",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using remote = await client.fromArrow(frameToTable(local));
    let lf = remote.lazy();
    for (let i = 0; i < 1200; i++) lf = lf.withColumns(col("a").add(lit(1)).alias("b"));
    await assert.rejects(lf.toArrow(), (error: Error) => {
      assert.ok(error instanceof LimitExceededError, String(error));
      assert.match(error.message, /at most 1000 deep/);
      return true;
    });
  },
});
