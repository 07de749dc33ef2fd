import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { JoinType } from "../../../shared/gen/polaroid/v1/plan.ts";
import { E, P } from "./_testing.ts";
import { joinOutputRows, keyRowsBound, maxKeyRows } from "./join_rows.ts";
import { join } from "./plan_join.ts";

const left = () =>
  pl.DataFrame({ k: [1, 1, 1, 2, 3, null, null], v: [1, 2, 3, 4, 5, 6, 7] }).lazy();
const right = () => pl.DataFrame({ k: [1, 1, 2, 4, null], w: [1, 2, 3, 4, 5] }).lazy();

Deno.test("joinOutputRows() counts what inner, left and full joins yield, nulls matching nothing", async () => {
  for (const how of [JoinType.JOIN_TYPE_INNER, JoinType.JOIN_TYPE_LEFT, JoinType.JOIN_TYPE_FULL]) {
    const node = P.join(P.handle("l"), P.handle("r"), {
      how,
      leftOn: [E.col("k")],
      rightOn: [E.col("k")],
    }).node!.value as Parameters<typeof joinOutputRows>[2];
    const actual = (await join(left(), right(), node).collect()).height;
    assert.equal(await joinOutputRows(left(), right(), node), actual, JoinType[how]);
  }
  // 3 × 2 for key 1, 1 × 1 for key 2: inner 7; left adds 3, null, null: 10; full adds 4, null.
  const node = (how: JoinType) =>
    P.join(P.handle("l"), P.handle("r"), { how, leftOn: [E.col("k")], rightOn: [E.col("k")] })
      .node!.value as Parameters<typeof joinOutputRows>[2];
  assert.equal(await joinOutputRows(left(), right(), node(JoinType.JOIN_TYPE_INNER)), 7);
  assert.equal(await joinOutputRows(left(), right(), node(JoinType.JOIN_TYPE_LEFT)), 10);
  assert.equal(await joinOutputRows(left(), right(), node(JoinType.JOIN_TYPE_FULL)), 12);
});

Deno.test("maxKeyRows() gives the largest number of rows sharing a key", async () => {
  assert.equal(await maxKeyRows(left(), [E.col("k")]), 3);
  assert.equal(await maxKeyRows(right().filter(pl.col("k").gt(1)), [E.col("k")]), 1);
  assert.equal(await maxKeyRows(right().head(0), [E.col("k")]), 0);
});

Deno.test("keyRowsBound() bounds the largest key's rows from the distinct keys, without a group-by", async () => {
  // 7 rows, 4 distinct keys (1, 2, 3, null): no key has more than 4 rows (key 1 has 3).
  assert.equal(await keyRowsBound(left(), [E.col("k")]), 4);
  // Unique keys: one row each.
  assert.equal(await keyRowsBound(right().filter(pl.col("k").isNotNull()), [E.col("k")]), 2);
  assert.equal(await keyRowsBound(right().filter(pl.col("k").gt(1)), [E.col("k")]), 1);
  assert.equal(await keyRowsBound(right().head(0), [E.col("k")]), 0);
  assert.equal(await keyRowsBound(left(), [E.col("k"), E.col("v")]), Infinity);
});
