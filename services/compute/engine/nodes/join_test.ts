import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { LimitExceededError } from "../../../../shared/errors.ts";
import { ConcatHow, JoinType, type Plan } from "../../../../shared/gen/polaroid/v1/plan.ts";
import { E, P, testContext } from "../_testing.ts";
import { runPlan } from "../run.ts";

const on = (how: JoinType) => ({ how, leftOn: [E.col("k")], rightOn: [E.col("k")] });
const equi = (how = JoinType.JOIN_TYPE_INNER): Plan =>
  P.join(P.handle("l"), P.handle("r"), on(how));

/** `rows` rows whose key takes `keys` distinct values. */
const keyed = (rows: number, keys: number) =>
  pl.DataFrame({ k: Array.from({ length: rows }, (_, i) => i % keys), v: new Float64Array(rows) });

Deno.test("a many-to-many join over maxJoinRows is refused from its exact output", async () => {
  // 2000 × 2000 rows on one key: 4M pairs.
  const ctx = testContext({ l: keyed(2000, 1), r: keyed(2000, 1) }, {
    limits: { maxJoinRows: 1_000_000 },
  });
  for (const how of [JoinType.JOIN_TYPE_INNER, JoinType.JOIN_TYPE_LEFT, JoinType.JOIN_TYPE_FULL]) {
    const notes: Record<string, number> = {};
    await assert.rejects(runPlan(equi(how), ctx, { notes }), (e: unknown) => {
      assert.ok(e instanceof LimitExceededError, String(e));
      assert.match(
        e.message,
        /Cannot join 2000 × 2000 rows as the result must have at most 1000000 rows \(POLAROID_MAX_JOIN_ROWS\): current value is 4000000/,
      );
      return true;
    });
    assert.ok(notes.joinCheckMs! >= 0, "the check's time is noted");
  }
  // Semi and anti joins yield at most the left rows: no check.
  assert.equal((await runPlan(equi(JoinType.JOIN_TYPE_SEMI), ctx)).height, 2000);
});

Deno.test("a join whose keys repeat on one side only passes after one side's key counts", async () => {
  // 2000 × 2000 rows could pair 4M times; the right keys are unique, so at most 2000 + 4000.
  const ctx = testContext({ l: keyed(2000, 10), r: keyed(2000, 2000) }, {
    limits: { maxJoinRows: 1_000_000 },
  });
  const notes: Record<string, number> = {};
  const out = await runPlan(equi(), ctx, { notes });
  assert.equal(out.height, 2000);
  assert.ok("joinCheckMs" in notes);
  // Many-to-many but under the limit: counted exactly, then run.
  const both = testContext({ l: keyed(2000, 10), r: keyed(2000, 10) }, {
    limits: { maxJoinRows: 1_000_000 },
  });
  assert.equal((await runPlan(equi(), both)).height, 400_000);
});

Deno.test("a join whose inputs' bounds fit maxJoinRows reads no data to check it", async () => {
  const ctx = testContext({ l: keyed(100, 1), r: keyed(100, 1) });
  const notes: Record<string, number> = {};
  assert.equal((await runPlan(equi(), ctx, { notes })).height, 10_000);
  assert.deepEqual(notes, {});
});

/** An aligning concat of the handles `l` and `r` (joined on their common column `k`). */
const align = (how: ConcatHow): Plan => ({
  node: {
    $case: "concat",
    value: { inputs: [P.handle("l"), P.handle("r")], how, rechunk: false, parallel: true },
  },
});

Deno.test("an aligning concat past maxJoinRows runs when no key repeats, and is refused when keys do", async () => {
  const limits = { maxJoinRows: 1_000_000 };
  // 2000 × 2000 rows could pair 4M times; unique keys align to at most 4000 rows.
  const unique = testContext({ l: keyed(2000, 2000), r: keyed(2000, 2000) }, { limits });
  const notes: Record<string, number> = {};
  const out = await runPlan(align(ConcatHow.CONCAT_HOW_ALIGN), unique, { notes });
  assert.equal(out.height, 2000);
  assert.ok("joinCheckMs" in notes, "the keys were counted");
  for (
    const how of [
      ConcatHow.CONCAT_HOW_ALIGN,
      ConcatHow.CONCAT_HOW_ALIGN_INNER,
      ConcatHow.CONCAT_HOW_ALIGN_LEFT,
    ]
  ) {
    const repeated = testContext({ l: keyed(2000, 10), r: keyed(2000, 2000) }, { limits });
    await assert.rejects(
      runPlan(align(how), repeated),
      (e: unknown) =>
        e instanceof LimitExceededError &&
        /Cannot align 2000 × 2000 rows .* \(POLAROID_MAX_JOIN_ROWS\): keys repeat within an input \(at most 200 rows share one\)/
          .test(e.message),
    );
  }
  // Small inputs fit the plain bound: no data read.
  const small = testContext({ l: keyed(100, 1), r: keyed(100, 1) });
  const quiet: Record<string, number> = {};
  assert.equal(
    (await runPlan(align(ConcatHow.CONCAT_HOW_ALIGN), small, { notes: quiet })).height,
    10_000,
  );
  assert.deepEqual(quiet, {});
});
