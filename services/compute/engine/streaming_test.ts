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
import { heldHeight, heldLazy, heldSlice, SpilledFrame } from "./frame_access.ts";
import { runPlan, runPlanHeld } from "./run.ts";
import { spillStreaming } from "./streaming.ts";

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

Deno.test("spillStreaming() keeps the result in a Parquet file it reads lazily", async () => {
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
  const spilled = await spillStreaming(lf(), spill.path);
  assert.equal(spilled.rows, 7);
  assert.equal(heldHeight(spilled), 7);
  assert.deepEqual(Object.keys(spilled.types), ["k", "q", "v", "n"]);
  assert.ok(spilled.fileBytes > 0);
  assertFramesEqual(heldLazy(spilled).collectSync(), lf().collectSync());
  assertFramesEqual(await heldSlice(spilled, 2, 3), lf().collectSync().slice(2, 3));
  assert.deepEqual(await entries(spill.path), [spilled.path.split("/").at(-1)]);
});

Deno.test("spillStreaming() leaves no file when the engine fails", async () => {
  await using spill = await tempDir();
  const lf = sampleFrame().lazy().select(pl.col("missing"));
  await assert.rejects(spillStreaming(lf, spill.path), /missing/);
  assert.deepEqual(await entries(spill.path), []);
});

Deno.test("spillStreaming() creates the spill directory and keeps exact types", async () => {
  await using spill = await tempDir();
  const dir = `${spill.path}/nested/spill`;
  const df = sampleFrame();
  const spilled = await spillStreaming(df.lazy(), dir);
  assertFramesEqual(heldLazy(spilled).collectSync(), df);
});

Deno.test("runPlanHeld() with a spill dir runs on the streaming engine and equals the in-memory run", async () => {
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
  const streamed = await runPlanHeld(plan, ctx, { spillDir: spill.path });
  assert.ok(streamed instanceof SpilledFrame);
  assertFramesEqual(heldLazy(streamed).collectSync(), inMemory);
  await Deno.remove(streamed.path);
  await assert.rejects(
    runPlanHeld(
      P.select(P.handle("t.x"), [E.col("nope")]),
      testContext({ "t.x": sampleFrame() }),
      { spillDir: spill.path },
    ),
    (e: unknown) => e instanceof ColumnNotFoundError && /nope/.test(e.message),
  );
  assert.deepEqual(await entries(spill.path), []);
});
