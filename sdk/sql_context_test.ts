import assert from "node:assert/strict";
import pl, { type Client, connect, RemoteLazyFrame, SQLContext } from "./mod.ts";

/** A client that never calls: building plans needs no server. */
async function offline(fn: (client: Client) => void | Promise<void>): Promise<void> {
  await using client = await connect({ endpoint: "127.0.0.1:9", connectTimeoutMs: 0 });
  await fn(client);
}

Deno.test("SQLContext registers frames by name and executes SQL over them as one plan", async () => {
  await offline((client) => {
    const a = client.scanCsv("a.csv");
    const b = client.scanParquet("b.parquet");
    const ctx = pl.SQLContext({ zeta: a }).register("alpha", b);
    assert.ok(ctx instanceof SQLContext);
    assert.deepEqual(ctx.tables(), ["alpha", "zeta"]);
    const lf = ctx.execute("SELECT * FROM alpha JOIN zeta USING (k)");
    assert.ok(pl.isLazyDataFrame(lf) && lf instanceof RemoteLazyFrame);
    const node = lf.plan.node;
    assert.equal(node?.$case, "sql");
    if (node?.$case !== "sql") return;
    assert.equal(node.value.query, "SELECT * FROM alpha JOIN zeta USING (k)");
    assert.deepEqual(Object.keys(node.value.tables).sort(), ["alpha", "zeta"]);
    assert.deepEqual(node.value.tables.zeta, a.plan);
    assert.equal(node.value.ownedHandles, false);
    // unregister (unknown names ignored, as nodejs-polars); registerMany replaces by name.
    ctx.unregister(["zeta", "nope"]).registerMany({ alpha: a, __proto__: b } as never);
    assert.deepEqual(ctx.tables(), ["alpha"]);
  });
});

Deno.test("SQLContext refuses what a remote context cannot do, naming it", async () => {
  await offline((client) => {
    const ctx = pl.SQLContext({ t: client.scanCsv("t.csv") });
    assert.throws(() => ctx.execute("SELECT 1", { eager: true }), /option 'eager' must be false/);
    assert.throws(() => ctx.execute("  "), /'query' must be a non-empty string/);
    assert.throws(() => ctx.register("e", null as never), /nodejs-polars' null/);
    assert.throws(() => ctx.register("x", {} as never), /RemoteLazyFrame or RemoteDataFrame/);
    assert.throws(() => ctx.register("", client.scanCsv("t.csv")), /'name' must be/);
    assert.throws(() => pl.SQLContext().execute("SELECT 1"), /at least one frame/);
  });
});

Deno.test("a serialized plan deserializes into an equal lazy frame; bad bytes are refused", async () => {
  await offline((client) => {
    const lf = client.scanCsv("t.csv").filter(pl.col("x").gt(1)).select("x");
    // The same plan: its protobuf encoding is the same bytes.
    const wire = (frame: RemoteLazyFrame) => [...frame.serialize("bincode")];
    for (const format of ["json", "bincode"] as const) {
      assert.deepEqual(wire(client.deserialize(lf.serialize(format), format)), wire(lf), format);
    }
    assert.deepEqual(wire(client.deserialize(lf.serialize().toString())), wire(lf), "JSON text");
    assert.throws(() => client.deserialize("{not json"), /Cannot deserialize a plan/);
    assert.throws(
      () => client.deserialize(new Uint8Array([0xff, 0xff, 0xff]), "bincode"),
      /Cannot deserialize a plan/,
    );
    assert.throws(() => client.deserialize("{}", "yaml" as never), /'format' must be/);
    assert.throws(() => client.deserialize(42 as never), /must be a Buffer or a string/);
  });
});

Deno.test("guards tell remote frames and expressions apart", async () => {
  await offline((client) => {
    const lf = client.scanCsv("t.csv");
    assert.deepEqual(
      [pl.isLazyDataFrame(lf), pl.isDataFrame(lf), pl.isExpr(lf)],
      [true, false, false],
    );
    assert.deepEqual([pl.isExpr(pl.col("a")), pl.isLazyDataFrame({}), pl.isDataFrame(null)], [
      true,
      false,
      false,
    ]);
  });
});
