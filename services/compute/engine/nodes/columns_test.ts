import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { LimitExceededError } from "../../../../shared/errors.ts";
import type { Arg, Expr } from "../../../../shared/gen/polaroid/v1/expr.ts";
import { JoinType, type Plan } from "../../../../shared/gen/polaroid/v1/plan.ts";
import { dtype, E, Kind, P, testContext } from "../_testing.ts";
import { A, m } from "../functions/string_testing.ts";
import { runPlan } from "../run.ts";

const fn = (name: string, args: Arg[]): Expr => ({
  kind: { $case: "function", value: { name, args, options: {} } },
});
const cross = (left: Plan, right: Plan) => P.join(left, right, { how: JoinType.JOIN_TYPE_CROSS });
const one = () => pl.DataFrame({ a: [1] });

function refusedWith(pattern: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof LimitExceededError, String(e));
    assert.match(e.message, pattern);
    return true;
  };
}

Deno.test("select(intRange) yields the range's rows to the cross-join bound above it", async () => {
  const ctx = testContext({ one: one() });
  const range = P.select(P.handle("one"), [fn("pl.intRange", [A.int(0), A.int(10_000_000)])]);
  // From a one-row frame: 10M × 10M, not 1 × 1.
  await assert.rejects(
    runPlan(cross(range, range), ctx),
    refusedWith(/Cannot cross join 10000000 × 10000000 rows/),
  );
  const small = P.select(P.handle("one"), [fn("pl.intRange", [A.int(0), A.int(1000)])]);
  assert.equal((await runPlan(cross(small, small), ctx)).height, 1_000_000);
});

Deno.test("list fan-out from one row is refused over maxGeneratedValues before it runs", async () => {
  const ctx = testContext({ one: one() });
  const lists = (n: number, size = 10_000_000) =>
    fn("pl.concatList", [
      A.list(
        ...Array.from({ length: n }, () => A.e(fn("pl.intRanges", [A.int(0), A.int(size)]))),
      ),
    ]);
  await assert.rejects(
    runPlan(P.select(P.handle("one"), [lists(10)]), ctx),
    refusedWith(
      /select must generate at most 50000000 values \(POLAROID_MAX_GENERATED_VALUES\): current value is up to 100000000/,
    ),
  );
  // The same through lst.concat and with_columns.
  const range = () => A.e(fn("pl.intRanges", [A.int(0), A.int(10_000_000)]));
  const concat = fn("lst.concat", [range(), A.list(range(), range(), range(), range(), range())]);
  await assert.rejects(
    runPlan(P.withColumns(P.handle("one"), [concat]), ctx),
    refusedWith(/with_columns must generate at most 50000000 values/),
  );
  const fine = await runPlan(P.select(P.handle("one"), [lists(10, 1000)]), ctx);
  assert.equal(fine.height, 1);
});

Deno.test("a 1 MB literal over 100k rows is refused before it runs, with the figure", async () => {
  const rows = pl.DataFrame({ a: new Float64Array(100_000) });
  const ctx = testContext({ t: rows });
  const big = E.alias(E.str("x".repeat(1_000_000)), "big");
  await assert.rejects(
    runPlan(P.withColumns(P.handle("t"), [big]), ctx),
    refusedWith(
      /current value is up to 100000000000 \(up to 1000000 bytes per value over 100000 rows\)/,
    ),
  );
  // Padding to a wide literal width counts the same way.
  const text = E.cast(E.col("a"), dtype(Kind.KIND_STRING));
  const padded = m("str.padStart", text, [A.int(10_000), A.str("x")]);
  const tight = testContext({ t: rows }, { limits: { maxGeneratedBytes: 100_000_000 } });
  await assert.rejects(
    runPlan(P.select(P.handle("t"), [padded]), tight),
    refusedWith(
      /current value is up to 1000000000 \(up to 10000 bytes per value over 100000 rows\)/,
    ),
  );
  // Over 100 rows the same literal is 100 MB: it runs.
  const out = await runPlan(P.withColumns(P.slice(P.handle("t"), 0n, 100n), [big]), ctx);
  assert.equal(out.height, 100);
});

Deno.test("a literal over rows only the data knows counts those rows first", async () => {
  const lists = pl.DataFrame({ l: [[1, 2], [3], [4, 5, 6]] });
  const exploded: Plan = {
    node: { $case: "explode", value: { input: P.handle("t"), columns: [E.col("l")] } },
  };
  const ctx = testContext({ t: lists }, { limits: { maxGeneratedBytes: 60 } });
  // Unbounded before the data is read: the input's 6 rows are counted, 6 × 10 bytes fit.
  const out = await runPlan(P.withColumns(exploded, [E.alias(E.str("0123456789"), "s")]), ctx);
  assert.equal(out.height, 6);
  await assert.rejects(
    runPlan(P.withColumns(exploded, [E.alias(E.str("01234567890"), "s")]), ctx),
    refusedWith(/current value is up to 66 /),
  );
});
