import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { LimitExceededError } from "../../../../shared/errors.ts";
import { type Plan, StatTestKind } from "../../../../shared/gen/polaroid/v1/plan.ts";
import { P, testContext } from "../_testing.ts";
import { planSchema, runPlan } from "../run.ts";

const hurst = (input: Plan, by: string[] = []): Plan => ({
  node: {
    $case: "statTest",
    value: { input, kind: StatTestKind.STAT_TEST_KIND_HURST, columns: ["v"], by, options: {} },
  },
});

const series = (n: number) =>
  pl.DataFrame({
    g: Array.from({ length: n }, (_, i) => (i % 2 ? "odd" : "even")),
    v: Float64Array.from({ length: n }, (_, i) => Math.sin(i / 3) + (i % 7) / 10),
  });

Deno.test("a statistical test runs before the plan, in a worker, and the plan reads its result", async () => {
  const ctx = testContext({ t: series(400) });
  const out = await runPlan(P.slice(hurst(P.handle("t"), ["g"]), 0n, 1n), ctx);
  assert.deepEqual(out.columns, ["g", "hurst"]);
  assert.equal(out.height, 1);
  const schema = await planSchema(hurst(P.handle("t")), ctx);
  assert.deepEqual(schema.fields.map((f) => f.name), ["hurst"]);
});

Deno.test("a statistical test over more rows than maxStatTestRows is refused before its input is kept", async () => {
  const ctx = testContext({ t: series(400) }, { limits: { maxStatTestRows: 399 } });
  await assert.rejects(runPlan(hurst(P.handle("t")), ctx), (e: unknown) => {
    assert.ok(e instanceof LimitExceededError, String(e));
    assert.match(
      e.message,
      /at most 399 rows \(POLAROID_MAX_STAT_TEST_ROWS\): current value is 400/,
    );
    return true;
  });
});
