import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { ColumnNotFoundError } from "../../../shared/errors.ts";
import { AggKind, BinaryOp } from "../../../shared/gen/polaroid/v1/expr.ts";
import {
  assertFramesEqual,
  E,
  FileFormat,
  int64Series,
  P,
  sampleFrame,
  tempDir,
  testContext,
} from "./_testing.ts";
import { runPlan } from "./run.ts";
import { collectStreaming } from "./streaming.ts";

function trades(rows: number): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("k", Array.from({ length: rows }, (_, i) => `k${i % 7}`)),
    int64Series("q", Array.from({ length: rows }, (_, i) => 9_007_199_254_740_993n + BigInt(i))),
    pl.Series("v", Array.from({ length: rows }, (_, i) => (i % 13) / 4)),
  ]);
}

async function entries(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names;
}

Deno.test("collectStreaming() gives the in-memory result and removes its spill file", async () => {
  await using data = await tempDir();
  await using spill = await tempDir();
  for (let i = 0; i < 3; i++) {
    trades(5000).slice(i * 1000, 2000).writeParquet(`${data.path}/t${i}.parquet`, {
      compression: "snappy",
    });
  }
  const lf = () =>
    pl.scanParquet(`${data.path}/*.parquet`)
      .filter(pl.col("v").gt(0.5))
      .groupBy("k")
      .agg(pl.col("q").sum().alias("q"), pl.col("v").mean().alias("v"), pl.len().alias("n"))
      .sort("k");
  const streamed = await collectStreaming(lf(), spill.path);
  assertFramesEqual(streamed, lf().collectSync());
  assert.equal(streamed.height, 7);
  assert.deepEqual(await entries(spill.path), []);
});

Deno.test("collectStreaming() removes its spill file when the engine fails", async () => {
  await using spill = await tempDir();
  const lf = sampleFrame().lazy().select(pl.col("missing"));
  await assert.rejects(collectStreaming(lf, spill.path), /missing/);
  assert.deepEqual(await entries(spill.path), []);
});

Deno.test("collectStreaming() creates the spill directory and keeps exact types", async () => {
  await using spill = await tempDir();
  const dir = `${spill.path}/nested/spill`;
  const df = sampleFrame();
  assertFramesEqual(await collectStreaming(df.lazy(), dir), df);
  assert.deepEqual(await entries(dir), []);
});

Deno.test("runPlan() with a spill dir runs on the streaming engine and equals the in-memory run", async () => {
  await using data = await tempDir();
  await using spill = await tempDir();
  trades(20_000).writeParquet(`${data.path}/t.parquet`, { compression: "snappy" });
  const plan = P.sort(
    P.groupBy(
      P.filter(
        P.file(FileFormat.FILE_FORMAT_PARQUET, "t.parquet"),
        E.bin(BinaryOp.BINARY_OP_GT, E.col("v"), E.f64(1)),
      ),
      [E.col("k")],
      [
        E.alias(E.agg(AggKind.AGG_KIND_SUM, E.col("q")), "q"),
        E.alias(E.agg(AggKind.AGG_KIND_MAX, E.col("v")), "v"),
      ],
    ),
    [E.col("k")],
  );
  const ctx = testContext({}, { dataRoot: data.path });
  const inMemory = await runPlan(plan, ctx);
  const streamed = await runPlan(plan, ctx, { spillDir: spill.path });
  assertFramesEqual(streamed, inMemory);
  assert.equal(streamed.height, 7);
  await assert.rejects(
    runPlan(P.select(P.handle("t.x"), [E.col("nope")]), testContext({ "t.x": sampleFrame() }), {
      spillDir: spill.path,
    }),
    (e: unknown) => e instanceof ColumnNotFoundError && /nope/.test(e.message),
  );
  assert.deepEqual(await entries(spill.path), []);
});
