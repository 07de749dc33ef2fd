import assert from "node:assert/strict";
import { connect } from "../client.ts";
import { DataType } from "../datatypes.ts";
import { col, lit } from "../functions.ts";
import { startTestServer, type TestServer } from "../_test_server.ts";

const rows = [
  { sym: "a", px: 1.5 },
  { sym: "b", px: 2.5 },
];

function schemaCalls(server: TestServer): number {
  return server.received.filter((r) => r.method === "schema").length;
}

Deno.test("RemoteLazyFrame.schema() and columns() ask once per plan; the second call makes no RPC", async () => {
  await using server = await startTestServer();
  await using client = await connect({ endpoint: server.endpoint });
  const df = await client.fromRecords(rows);
  // A stored frame's lazy() knows its schema already.
  assert.deepEqual(await df.lazy().columns(), ["sym", "px"]);
  assert.equal(schemaCalls(server), 0);
  const lf = df.lazy().head(1);
  assert.deepEqual(Object.keys(await lf.schema()), ["sym", "px"]);
  assert.equal(schemaCalls(server), 1);
  assert.deepEqual(await lf.columns(), ["sym", "px"]);
  assert.deepEqual(await lf.clone().columns(), ["sym", "px"]);
  assert.ok((await lf.cache().schema()).px!.equals(DataType.Float64));
  assert.equal(schemaCalls(server), 1);
});

Deno.test("RemoteLazyFrame type-dependent methods wait for the schema, asked once", async () => {
  await using server = await startTestServer();
  await using client = await connect({ endpoint: server.endpoint });
  const df = await client.fromRecords(rows);
  // Known schema: the plan is built at once.
  const known = df.lazy().max();
  assert.equal(known.plan.node?.$case, "select");
  assert.equal(schemaCalls(server), 0);
  // Unknown schema: the plan is pending until the server answers, then built per column.
  const lf = df.lazy().head(2);
  const stats = lf.mean();
  assert.throws(() => stats.plan, /pending/);
  const plan = await stats.resolvePlan();
  assert.ok(plan.node?.$case === "select");
  assert.deepEqual(plan.node.value.exprs, [
    ...lit(null, DataType.String).alias("sym").toProtos(),
    ...col("px").mean().toProtos(),
  ]);
  // Frames built on a pending one are pending too; a known schema is not asked again.
  const chained = await lf.fillNan(0).head(1).resolvePlan();
  assert.ok(chained.node?.$case === "slice");
  assert.equal(chained.node.value.input?.node?.$case, "withColumns");
  assert.equal(schemaCalls(server), 1);
  assert.equal((await lf.head(1).min().resolvePlan()).node?.$case, "select");
  assert.equal(schemaCalls(server), 2);
  // Argument errors are thrown at once, pending or not.
  assert.throws(() => stats.head(-1), RangeError);
  assert.throws(() => lf.quantile(2), RangeError);
});

Deno.test("RemoteLazyFrame with a pending plan reports the schema error where the plan is used", async () => {
  await using server = await startTestServer();
  await using client = await connect({ endpoint: server.endpoint });
  const df = await client.fromRecords(rows);
  // The test server cannot run a filter: its schema call fails.
  const broken = df.lazy().filter(col("px").gt(0)).max();
  await assert.rejects(broken.toArrow(), /test server runs scans and slices only/);
  await assert.rejects(broken.collect(), /test server runs scans and slices only/);
  await assert.rejects(broken.resolvePlan(), /test server runs scans and slices only/);
});
