import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertFramesEqual, sampleFrame } from "./_testing.ts";

Deno.test("assertFramesEqual() accepts equal frames and tells types, values and names apart", () => {
  assertFramesEqual(sampleFrame(), sampleFrame());
  const ints = pl.DataFrame({ a: pl.Series("a", [1, 2]).cast(pl.Int64) });
  assert.throws(() => assertFramesEqual(ints, pl.DataFrame({ a: [1, 2] })));
  assert.throws(() =>
    assertFramesEqual(ints, ints.withColumns(pl.lit(3).cast(pl.Int64).alias("a")))
  );
  assert.throws(() => assertFramesEqual(ints, ints.rename({ a: "b" })));
  const lists = pl.DataFrame({ a: [1, 2] }).select(pl.concatList([pl.col("a"), pl.col("a")]));
  assertFramesEqual(lists, lists);
  assert.throws(() =>
    assertFramesEqual(lists, lists.withColumns(pl.concatList([pl.lit(0), pl.lit(0)]).alias("a")))
  );
});
