import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { BinaryOp } from "../../../shared/gen/polaroid/v1/expr.ts";
import {
  assertFramesEqual,
  E,
  FileFormat,
  int64Series,
  JoinType,
  P,
  tempDir,
  testContext,
} from "./_testing.ts";
import { explainPlan, planSchema, runPlan } from "./run.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";

function data(): pl.DataFrame {
  return pl.DataFrame({
    id: int64Series("id", [1n, 2n, 9007199254740993n]),
    name: ["a", "b", "c"],
    score: [0.5, 1.5, 2.5],
  });
}

async function writeAll(root: string): Promise<void> {
  const df = data();
  await Deno.mkdir(join(root, "parts", "deep"), { recursive: true });
  df.writeParquet(join(root, "t.parquet"), { compression: "uncompressed" });
  df.writeParquet(join(root, "parts", "p1.parquet"), { compression: "uncompressed" });
  df.writeParquet(join(root, "parts", "deep", "p2.parquet"), { compression: "uncompressed" });
  df.writeIPC(join(root, "t.arrow"), { compression: "uncompressed" });
  df.writeIPC(join(root, "parts", "p1.arrow"), { compression: "uncompressed" });
  df.writeCSV(join(root, "t.csv"));
  df.writeJSON(join(root, "t.ndjson"), { format: "lines" });
  await Deno.writeTextFile(join(root, "semi.txt"), "1;x\n2;y\n");
}

Deno.test("runPlan() scans Parquet, IPC, CSV and NDJSON files under the data root", async () => {
  await using dir = await tempDir();
  await writeAll(dir.path);
  const ctx = testContext({}, { dataRoot: dir.path });
  const formats: [FileFormat, string][] = [
    [FileFormat.FILE_FORMAT_PARQUET, "t.parquet"],
    [FileFormat.FILE_FORMAT_IPC, "t.arrow"],
    [FileFormat.FILE_FORMAT_CSV, "t.csv"],
    [FileFormat.FILE_FORMAT_NDJSON, "t.ndjson"],
  ];
  for (const [format, path] of formats) {
    assertFramesEqual(await runPlan(P.file(format, path), ctx), data());
  }
  const csv = await runPlan(
    P.file(FileFormat.FILE_FORMAT_CSV, "semi.txt", { hasHeader: false, separator: ";" }),
    ctx,
  );
  assertFramesEqual(
    csv,
    pl.DataFrame({ column_1: int64Series("column_1", [1n, 2n]), column_2: ["x", "y"] }),
  );
});

Deno.test("runPlan() scans Parquet and IPC globs", async () => {
  await using dir = await tempDir();
  await writeAll(dir.path);
  const ctx = testContext({}, { dataRoot: dir.path });
  const parquet = await runPlan(P.file(FileFormat.FILE_FORMAT_PARQUET, "parts/**/*.parquet"), ctx);
  assert.equal(parquet.height, 6);
  const ipc = await runPlan(P.file(FileFormat.FILE_FORMAT_IPC, "parts/*.arrow"), ctx);
  assertFramesEqual(ipc, data());
  await assert.rejects(runPlan(P.file(FileFormat.FILE_FORMAT_CSV, "*.csv"), ctx), {
    name: "InvalidArgumentError",
  });
  await assert.rejects(runPlan(P.file(FileFormat.FILE_FORMAT_PARQUET, "parts/*.nothing"), ctx), {
    name: "NotFoundError",
  });
});

Deno.test("runPlan() pushes predicates and projections into file scans", async () => {
  await using dir = await tempDir();
  await writeAll(dir.path);
  const ctx = testContext({}, { dataRoot: dir.path });
  const plan = P.select(
    P.filter(
      P.file(FileFormat.FILE_FORMAT_PARQUET, "t.parquet"),
      E.bin(BinaryOp.BINARY_OP_GT, E.col("id"), E.i64(9007199254740992n)),
    ),
    [E.col("name")],
  );
  const { logical, optimized } = await explainPlan(plan, ctx);
  assert.match(logical, /FILTER/);
  assert.match(optimized, /SELECTION: \[\(col\("id"\)\) > \(9007199254740992/);
  assert.match(optimized, /PROJECT 2\/3 COLUMNS/);
  assert.ok(!optimized.includes(dir.path), "explain output names no server path");
  const out = await runPlan(plan, ctx);
  assert.deepStrictEqual(out.getColumn("name").toArray(), ["c"]);
});

Deno.test("runPlan() refuses scans that leave the data root or name missing files", async () => {
  await using dir = await tempDir();
  await writeAll(dir.path);
  const ctx = testContext({}, { dataRoot: join(dir.path, "parts") });
  for (const path of ["../t.parquet", join(dir.path, "t.parquet"), "deep/../../t.parquet"]) {
    await assert.rejects(runPlan(P.file(FileFormat.FILE_FORMAT_PARQUET, path), ctx), {
      name: "InvalidArgumentError",
    });
  }
  await Deno.symlink(join(dir.path, "t.parquet"), join(dir.path, "parts", "leak.parquet"));
  await assert.rejects(runPlan(P.file(FileFormat.FILE_FORMAT_PARQUET, "leak.parquet"), ctx), {
    name: "InvalidArgumentError",
  });
  await assert.rejects(runPlan(P.file(FileFormat.FILE_FORMAT_PARQUET, "nope.parquet"), ctx), {
    name: "NotFoundError",
  });
});

Deno.test("runPlan() reports a corrupt file as a QueryError", async () => {
  await using dir = await tempDir();
  await writeAll(dir.path);
  const ctx = testContext({}, { dataRoot: dir.path });
  await assert.rejects(runPlan(P.file(FileFormat.FILE_FORMAT_PARQUET, "t.csv"), ctx), {
    name: "QueryError",
  });
});

Deno.test("planSchema() reads a file's schema without reading its rows", async () => {
  await using dir = await tempDir();
  await writeAll(dir.path);
  const ctx = testContext({}, { dataRoot: dir.path });
  const schema = await planSchema(
    P.join(
      P.file(FileFormat.FILE_FORMAT_PARQUET, "t.parquet"),
      P.file(FileFormat.FILE_FORMAT_CSV, "t.csv"),
      { how: JoinType.JOIN_TYPE_CROSS },
    ),
    testContext({}, { dataRoot: dir.path, limits: { maxCrossJoinRows: 1 } }),
  );
  assert.deepStrictEqual(schema.fields.map((f) => f.name), [
    "id",
    "name",
    "score",
    "idright",
    "nameright",
    "scoreright",
  ]);
  assert.ok(ctx.limits.maxCrossJoinRows > 1);
});

Deno.test("an empty scan is pl.select's context: expressions alone evaluate as nodejs-polars'", async () => {
  const empty: Plan = { node: { $case: "scan", value: { source: { $case: "empty", value: {} } } } };
  const ctx = testContext({});
  const one = await runPlan(P.select(empty, [E.alias(E.i64(1), "one")]), ctx);
  assert.deepEqual(one.toRecords(), pl.select(pl.lit(1).cast(pl.Int64).alias("one")).toRecords());
  const len = await runPlan(P.select(empty, [{ kind: { $case: "len", value: {} } }]), ctx);
  assert.deepEqual(len.toRecords(), pl.select(pl.len()).toRecords(), "no rows: len() is 0");
});
