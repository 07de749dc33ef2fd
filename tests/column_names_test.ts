/**
 * Columns named like DataFrame members ("height", "slice", "lazy", "pivot", ...) work in every
 * path (nodejs-polars' DataFrame Proxy returns such a column instead of the member; the
 * engine reads frames through their native object). "_df" is reserved and refused clearly.
 */

import assert from "node:assert/strict";
import { makeVector, Table } from "apache-arrow";
import { col, connect, InvalidArgumentError } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const cluster = await testCluster();
const HIDING = ["height", "slice", "lazy", "pivot", "schema", "getColumns", "writeIPCStream"];

Deno.test({
  name: "a frame whose columns are named like DataFrame members uploads, runs and streams",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const columns = Object.fromEntries(
      HIDING.map((
        name,
        i,
      ) => [name, makeVector(BigInt64Array.from([1n, 2n, 3n], (v) => v * BigInt(i + 1)))]),
    );
    await using df = await client.fromArrow(new Table(columns));
    assert.equal(df.height, 3);
    assert.deepEqual(Object.keys(await df.lazy().schema()), HIDING);
    const filtered = await df.lazy().filter(col("height").gt(1n)).select("slice", "lazy").toArrow();
    assert.equal(filtered.numRows, 2);
    assert.deepEqual(filtered.getChild("slice")?.toArray(), BigInt64Array.from([4n, 6n]));
    let rows = 0;
    for await (const batch of df.stream({ batchSize: 1 })) rows += batch.numRows;
    assert.equal(rows, 3);
    await using kept = await df.lazy().select("pivot", "height").collect();
    assert.equal(kept.height, 3);
    const wide = await df.lazy().pivot("lazy", { index: "height", on: "pivot" }).toArrow();
    assert.equal(wide.numRows, 3);
    assert.deepEqual(wide.schema.fields.map((f) => f.name), ["height", "4", "8", "12"]);
  },
});

Deno.test({
  name: "a column named _df is refused with InvalidArgumentError naming it",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await assert.rejects(
      client.fromArrow(new Table({ _df: makeVector(BigInt64Array.from([1n])) })),
      (e: unknown) => e instanceof InvalidArgumentError && /'_df'/.test(e.message),
    );
    await using ok = await client.fromArrow(new Table({ a: makeVector(BigInt64Array.from([1n])) }));
    await assert.rejects(
      ok.lazy().select(col("a").alias("_df")).toArrow(),
      (e: unknown) => e instanceof InvalidArgumentError && /'_df'/.test(e.message),
    );
  },
});
