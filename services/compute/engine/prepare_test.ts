import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { LimitExceededError } from "../../../shared/errors.ts";
import { join } from "node:path";
import { JoinType, type Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { E, FileFormat, int64Series, P, tempDir, testContext } from "./_testing.ts";
import { analyzePlan } from "./analyze.ts";
import { unsorted } from "./nodes/group.ts";
import type { EngineContext } from "./plan.ts";
import { preparePlan } from "./prepare.ts";

/** Every check of a plan about to run (what runPlan() does before the engine runs). */
const guardPlanSizes = (plan: Plan, ctx: EngineContext) =>
  preparePlan(analyzePlan(plan, ctx.limits), ctx);
const guardCrossJoins = guardPlanSizes;

const cross = (left: Plan, right: Plan) => P.join(left, right, { how: JoinType.JOIN_TYPE_CROSS });

function frame(rows: number): pl.DataFrame {
  return pl.DataFrame({
    a: Array.from({ length: rows }, (_, i) => i),
    b: Array.from({ length: rows }, (_, i) => -i),
    l: Array.from({ length: rows }, () => [1, 2, 3]),
  });
}

const unpivot = (input: Plan, on: string[]): Plan => ({
  node: { $case: "unpivot", value: { input, index: [], on } },
});

Deno.test("preparePlan() bounds an unpivot by its rows times its `on` columns", async () => {
  const ctx = testContext({ t: frame(10) }, { limits: { maxCrossJoinRows: 200 } });
  // 10 rows × 2 columns = 20 rows, crossed with 10: 200 ≤ 200.
  await guardCrossJoins(cross(unpivot(P.handle("t"), ["a", "b"]), P.handle("t")), ctx);
  await assert.rejects(
    guardCrossJoins(
      cross(unpivot(P.handle("t"), ["a", "b"]), unpivot(P.handle("t"), ["a", "b"])),
      ctx,
    ),
    (e) => e instanceof LimitExceededError && /20 × 20 rows/.test(e.message),
  );
  // Without `on`, the columns are not known before running: no bound.
  await assert.rejects(
    guardCrossJoins(cross(unpivot(P.handle("t"), []), P.handle("t")), ctx),
    LimitExceededError,
  );
});

Deno.test("preparePlan() takes explode as unbounded and group-by outputs as their input", async () => {
  const ctx = testContext({ t: frame(10) }, { limits: { maxCrossJoinRows: 100 } });
  const explode: Plan = {
    node: { $case: "explode", value: { input: P.handle("t"), columns: [E.col("l")] } },
  };
  await assert.rejects(
    guardCrossJoins(cross(explode, P.slice(P.handle("t"), 0n, 1n)), ctx),
    LimitExceededError,
  );
  const heads: Plan = {
    node: {
      $case: "groupBy",
      value: {
        input: P.handle("t"),
        keys: [E.col("a")],
        aggs: [],
        maintainOrder: true,
        output: 2,
        n: 1n,
      },
    },
  };
  await guardCrossJoins(cross(heads, P.handle("t")), ctx);
});

Deno.test("preparePlan() measures dynamic windows over the data, including nested ones", async () => {
  const hour = 3_600_000_000n;
  const times = pl.DataFrame([
    int64Series("t", [0n, hour, 48n * hour]).cast(pl.Datetime("us")),
    pl.Series("v", [1, 2, 3]),
  ]);
  const dynamic = (every: string): Plan => ({
    node: {
      $case: "groupByDynamic",
      value: {
        input: P.handle("t"),
        indexColumn: "t",
        every,
        label: 0,
        includeBoundaries: false,
        closed: 0,
        by: [],
        startBy: 0,
        aggs: [],
      },
    },
  });
  const ctx = testContext({ t: times });
  await guardPlanSizes(P.select(dynamic("1m"), [E.col("t")]), ctx); // 2880 windows
  await assert.rejects(
    guardPlanSizes(P.select(dynamic("1ms"), [E.col("t")]), ctx), // 1.7e8 windows
    (e) => e instanceof LimitExceededError && /'every' \("1ms"\)/.test(e.message),
  );
});

Deno.test("unsorted() drops the sorts at the top of a plan and nothing below them", () => {
  const scan = P.handle("t");
  const filtered = P.filter(P.sort(scan, [E.col("a")]), E.col("a"));
  assert.deepEqual(unsorted(P.sort(P.sort(filtered, [E.col("b")]), [E.col("a")])), filtered);
  assert.deepEqual(unsorted(scan), scan);
});

Deno.test("preparePlan() bounds a CSV file by its size, and counts its rows when a check fails on that", async () => {
  await using dir = await tempDir();
  pl.DataFrame({ a: Array.from({ length: 500 }, (_, i) => i) }).writeCSV(join(dir.path, "a.csv"));
  const csv = P.file(FileFormat.FILE_FORMAT_CSV, "a.csv");
  const ctx = testContext({ s: frame(2) }, {
    dataRoot: dir.path,
    limits: { maxCrossJoinRows: 1000 },
  });
  const bytes = (await Deno.stat(join(dir.path, "a.csv"))).size;
  // The file's size allows thousands of rows; its 500 rows make 1000.
  const prepared = await guardPlanSizes(cross(csv, P.handle("s")), ctx);
  assert.equal(prepared.rows.get(csv), 500);
  await assert.rejects(
    guardPlanSizes(cross(csv, cross(P.handle("s"), P.handle("s"))), ctx),
    (e) => e instanceof LimitExceededError && /500 × 4 rows/.test(e.message),
  );
  // A bound nothing refuses stays the file's size: the file is not read.
  const sized = await guardPlanSizes(P.withColumns(csv, [E.str("label")]), ctx);
  assert.equal(sized.rows.get(csv), bytes + 1);
});
