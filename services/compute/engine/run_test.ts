import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { PolaroidError } from "../../../shared/errors.ts";
import { AggKind, BinaryOp } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { E, FileFormat, JoinType, Kind, P, sampleFrame, tempDir, testContext } from "./_testing.ts";
import { frameSchema } from "./dtypes.ts";
import { estimatedBytes, explainPlan, planSchema, runPlan } from "./run.ts";
import { ENGINE_MAX_DEPTH } from "./validate.ts";

const T = P.handle("t");

function withColumnsChain(depth: number): Plan {
  let plan = T;
  for (let i = 1; i < depth; i++) {
    plan = P.withColumns(plan, [E.alias(E.bin(BinaryOp.BINARY_OP_ADD, E.col("x"), E.i64(1)), "x")]);
  }
  return plan;
}

const ints = () => pl.DataFrame({ x: pl.Series("x", [1, 2, 3]).cast(pl.Int64) });

Deno.test("runPlan() runs a 500-deep with_columns chain", async () => {
  const out = await runPlan(withColumnsChain(500), testContext({ t: ints() }));
  assert.deepStrictEqual([...out.getColumn("x").toTypedArray()], [500n, 501n, 502n]);
});

Deno.test("runPlan() refuses plans deeper than the engine can plan, before running them", async () => {
  await assert.rejects(
    runPlan(withColumnsChain(ENGINE_MAX_DEPTH + 1), testContext({ t: ints() })),
    {
      name: "LimitExceededError",
      message: new RegExp(`at most ${ENGINE_MAX_DEPTH} deep`),
    },
  );
  await assert.rejects(planSchema(withColumnsChain(3000), testContext({ t: ints() })), {
    name: "LimitExceededError",
  });
});

Deno.test("runPlan() reports a missing handle as HandleNotFoundError", async () => {
  await assert.rejects(runPlan(P.handle("t.missing"), testContext({ t: ints() })), {
    name: "HandleNotFoundError",
    message: /t\.missing/,
  });
});

Deno.test("runPlan() reports an unknown column as ColumnNotFoundError naming it", async () => {
  const plans = [
    P.select(T, [E.col("nope")]),
    P.filter(T, E.bin(BinaryOp.BINARY_OP_GT, E.col("nope"), E.i64(1))),
    P.drop(T, ["nope"]),
    P.rename(T, { nope: "y" }),
    P.unique(T, { subset: ["nope"] }),
    P.sort(T, [E.col("nope")]),
  ];
  for (const plan of plans) {
    const error = await runPlan(plan, testContext({ t: ints() })).then(
      () => assert.fail("expected an error"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PolaroidError);
    assert.equal(error.name, "ColumnNotFoundError");
    assert.match(error.message, /nope/);
    assert.doesNotMatch(error.message, /Resolved plan/);
    assert.equal(error.metadata.column, "nope");
  }
});

Deno.test("runPlan() reports type errors as QueryError with the engine's message", async () => {
  const frames = { t: sampleFrame() };
  await assert.rejects(
    runPlan(
      P.select(T, [E.bin(BinaryOp.BINARY_OP_ADD, E.col("i"), E.col("s"))]),
      testContext(frames),
    ),
    { name: "QueryError", message: /arithmetic on string and numeric not allowed/ },
  );
  await assert.rejects(runPlan(P.filter(T, E.col("f")), testContext(frames)), {
    name: "QueryError",
    message: /Boolean/,
  });
  await assert.rejects(
    runPlan(P.select(T, [E.col("i"), E.col("i")]), testContext(frames)),
    { name: "QueryError", message: /duplicate/ },
  );
});

Deno.test("runPlan() refuses a cross join over the row limit before running it", async () => {
  const big = pl.DataFrame({ a: Array.from({ length: 1000 }, (_, i) => i) });
  const ctx = testContext({ l: big, r: big }, { limits: { maxCrossJoinRows: 100_000 } });
  const cross = (left: Plan, right: Plan) => P.join(left, right, { how: JoinType.JOIN_TYPE_CROSS });
  await assert.rejects(runPlan(cross(P.handle("l"), P.handle("r")), ctx), {
    name: "LimitExceededError",
    message: /1000 × 1000/,
  });
  // Bounded by a slice, the same join fits.
  const bounded = await runPlan(cross(P.slice(P.handle("l"), 0n, 100n), P.handle("r")), ctx);
  assert.equal(bounded.height, 100_000);
  // Nested: the outer join's bound multiplies the inner one's.
  await assert.rejects(
    runPlan(
      cross(cross(P.tail(P.handle("l"), 11n), P.tail(P.handle("r"), 11n)), P.handle("r")),
      ctx,
    ),
    { name: "LimitExceededError", message: /121 × 1000/ },
  );
  // A filter cannot make the bound smaller: it depends on data.
  await assert.rejects(
    runPlan(cross(P.filter(P.handle("l"), E.bool(false)), P.handle("r")), ctx),
    { name: "LimitExceededError" },
  );
});

Deno.test("runPlan() counts the rows of scanned files for the cross join bound", async () => {
  await using dir = await tempDir();
  pl.DataFrame({ a: Array.from({ length: 500 }, (_, i) => i) })
    .writeParquet(join(dir.path, "a.parquet"), { compression: "uncompressed" });
  const ctx = testContext({ s: pl.DataFrame({ b: [1, 2, 3] }) }, {
    dataRoot: dir.path,
    limits: { maxCrossJoinRows: 1000 },
  });
  const file = P.file(FileFormat.FILE_FORMAT_PARQUET, "a.parquet");
  await assert.rejects(
    runPlan(P.join(file, P.handle("s"), { how: JoinType.JOIN_TYPE_CROSS }), ctx),
    {
      name: "LimitExceededError",
      message: /500 × 3/,
    },
  );
  const ok = await runPlan(
    P.join(P.slice(file, 0n, 300n), P.handle("s"), { how: JoinType.JOIN_TYPE_CROSS }),
    ctx,
  );
  assert.equal(ok.height, 900);
});

Deno.test("runPlan() refuses results over maxResultRows or maxResultBytes", async () => {
  const frames = { t: sampleFrame() };
  await assert.rejects(runPlan(T, testContext(frames, { limits: { maxResultRows: 5 } })), {
    name: "LimitExceededError",
    message: /at most 5 rows: current value is 6/,
  });
  const rows = await runPlan(
    P.slice(T, 0n, 5n),
    testContext(frames, { limits: { maxResultRows: 5 } }),
  );
  assert.equal(rows.height, 5);
  const bytes = estimatedBytes(sampleFrame());
  assert.ok(bytes > 0);
  await assert.rejects(runPlan(T, testContext(frames, { limits: { maxResultBytes: bytes - 1 } })), {
    name: "LimitExceededError",
    message: /bytes/,
  });
});

Deno.test("runPlan() refuses a result over maxResultColumns before running the plan", async () => {
  const frames = { t: sampleFrame() };
  const width = sampleFrame().width;
  await assert.rejects(
    runPlan(T, testContext(frames, { limits: { maxResultColumns: width - 1 } })),
    {
      name: "LimitExceededError",
      message: new RegExp(`at most ${width - 1} columns: current value is ${width}`),
    },
  );
  const narrow = await runPlan(
    P.select(T, [E.col("g"), E.col("i")]),
    testContext(frames, { limits: { maxResultColumns: 2 } }),
  );
  assert.deepEqual(narrow.columns, ["g", "i"]);
});

Deno.test("planSchema() gives the result's schema without running the plan", async () => {
  const df = sampleFrame();
  const plan = P.groupBy(T, [E.col("g")], [
    E.alias(E.agg(AggKind.AGG_KIND_MEAN, E.col("i")), "mean"),
    E.alias(E.len(), "n"),
    E.alias(E.cast(E.col("s"), { ...E_DT, kind: Kind.KIND_CATEGORICAL }), "cats"),
  ]);
  const schema = await planSchema(plan, testContext({ t: df }));
  assert.deepStrictEqual(schema.fields.map((f) => [f.name, Kind[f.dtype!.kind]]), [
    ["g", "KIND_STRING"],
    ["mean", "KIND_FLOAT64"],
    ["n", "KIND_UINT32"],
    ["cats", "KIND_LIST"],
  ]);
  // Outside an aggregation, a column in group_by.agg collects each group's values.
  assert.equal(schema.fields[3]!.dtype!.inner!.kind, Kind.KIND_CATEGORICAL);
  // A strict cast that fails on the data still has a schema: no data is read.
  const failing = P.cast(T, { s: { ...E_DT, kind: Kind.KIND_INT64 } });
  assert.equal(
    (await planSchema(failing, testContext({ t: df }))).fields[3]!.dtype!.kind,
    Kind.KIND_INT64,
  );
  assert.deepStrictEqual(await planSchema(T, testContext({ t: df })), frameSchema(df));
});

const E_DT = {
  kind: Kind.KIND_UNSPECIFIED,
  timeUnit: 0,
  timeZone: "",
  inner: undefined,
  fields: [],
  precision: 0,
  scale: 0,
};

Deno.test("explainPlan() gives the logical and the optimised plan", async () => {
  const plan = P.select(P.filter(T, E.bin(BinaryOp.BINARY_OP_GT, E.col("f"), E.f64(1))), [
    E.col("g"),
  ]);
  const { logical, optimized } = await explainPlan(plan, testContext({ t: sampleFrame() }));
  assert.match(logical, /SELECT \[col\("g"\)\]\n\s+FILTER/);
  assert.match(optimized, /FILTER|SELECTION/);
  assert.notEqual(logical, optimized);
  await assert.rejects(
    explainPlan(P.select(T, [E.col("zz")]), testContext({ t: sampleFrame() })),
    { name: "ColumnNotFoundError" },
  );
});
