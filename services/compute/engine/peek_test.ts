import assert from "node:assert/strict";
import { isPeek } from "./peek.ts";
import { E, P } from "./_testing.ts";

const H = P.handle("t.aaaaaaaaaaaaaaaaaaaaaaaaaa");

Deno.test("isPeek() accepts bounded slices of held frames with column picks", () => {
  assert.equal(isPeek(P.slice(H, 0n, 10n)), true);
  assert.equal(isPeek(P.tail(H, 5n)), true);
  assert.equal(isPeek(P.slice(P.select(H, [E.alias(E.col("a"), "b")]), 0n, 10n)), true);
  assert.equal(isPeek(P.select(P.slice(P.drop(H, ["x"]), 100n, 10n), [E.col("a")])), true);
});

Deno.test("isPeek() refuses what may read more than it returns", () => {
  assert.equal(isPeek(H), false, "no bound");
  assert.equal(isPeek(P.slice(H, 0n)), false, "open-ended slice");
  assert.equal(isPeek(P.slice(H, 0n, 1_000_000n)), false, "too many rows");
  assert.equal(isPeek(P.slice(H, -10n, 10n)), false, "offset from the end");
  assert.equal(isPeek(P.slice(P.filter(H, E.bool(true)), 0n, 10n)), false, "filter");
  assert.equal(isPeek(P.slice(P.sort(H, [E.col("a")]), 0n, 10n)), false, "sort");
  assert.equal(
    isPeek(P.slice(P.select(H, [E.agg(1, E.col("a"))]), 0n, 10n)),
    false,
    "aggregation",
  );
  assert.equal(isPeek(P.slice(P.file(1, "x.parquet"), 0n, 10n)), false, "file scan");
});
