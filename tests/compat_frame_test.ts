/**
 * LazyDataFrame, LazyGroupBy and pl.concat, remote against in-process: every case in
 * tests/compat/frame_*.ts, and RemoteDataFrame.describe() against nodejs-polars'
 * DataFrame.describe().
 */

import assert from "node:assert/strict";
import { connect } from "../sdk/mod.ts";
import { assertSameTable, frameToTable, INTEGRATION, testCluster } from "./_harness.ts";
import { prepare, runCases } from "./compat/_harness.ts";
import { FRAME_API_CASES } from "./compat/frame_api.ts";
import { FRAME_CORE_CASES } from "./compat/frame_core.ts";
import { FRAME_GROUP_CASES } from "./compat/frame_group.ts";
import { FRAME_JOIN_CASES } from "./compat/frame_join.ts";
import { FRAME_RESHAPE_CASES } from "./compat/frame_reshape.ts";
import { FRAME_STATS_CASES } from "./compat/frame_stats.ts";
import { fixtures } from "./compat/fixtures.ts";

const CASES = {
  core: FRAME_CORE_CASES,
  reshape: FRAME_RESHAPE_CASES,
  stats: FRAME_STATS_CASES,
  group: FRAME_GROUP_CASES,
  join: FRAME_JOIN_CASES,
};

const cluster = await testCluster();

for (const [family, cases] of Object.entries(CASES)) {
  Deno.test({
    name: `LazyDataFrame methods (${family}) give nodejs-polars' results through the SDK`,
    ...INTEGRATION,
    async fn(t) {
      await using client = await connect({ endpoint: cluster.endpoints.compute });
      const ctx = await prepare(client);
      await runCases(t, ctx, cases);
    },
  });
}

Deno.test({
  name: "LazyDataFrame members without a frame result answer as nodejs-polars' do",
  ...INTEGRATION,
  async fn(t) {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const ctx = await prepare(client);
    for (const c of FRAME_API_CASES) await t.step(c.covers.join(", "), () => c.check(ctx));
  },
});

Deno.test({
  name: "RemoteDataFrame.describe() gives nodejs-polars' DataFrame.describe() table",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const { left, mixed } = fixtures();
    const numeric = mixed.select("g", "i", "u", "f", "x", "s", "b", "l", "st");
    for (const df of [left, numeric]) {
      await using remote = await client.fromArrow(frameToTable(df));
      assertSameTable(await remote.describe().toArrow(), frameToTable(df.describe()));
    }
    // nodejs-polars fails to stack a Date column's rows (its mean is a Datetime); the SDK
    // stacks them as their supertype.
    assert.throws(() => mixed.describe(), /failed to vstack column 'd'/);
    await using all = await client.fromArrow(frameToTable(mixed));
    const table = await all.describe().toArrow();
    assert.equal(table.numRows, 5);
    assert.equal(
      String(table.schema.fields.find((f) => f.name === "d")?.type),
      "Timestamp<MICROSECOND>",
    );
    assert.deepEqual([...table.getChild("describe")!], ["mean", "std", "min", "max", "median"]);
  },
});
