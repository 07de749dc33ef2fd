import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { InvalidArgumentError } from "../../../shared/errors.ts";
import {
  frameColumns,
  frameHeight,
  frameLazy,
  framePivot,
  frameSlice,
  frameTypes,
  nativeFrame,
} from "./frame_access.ts";

const hiding = () =>
  pl.DataFrame({ height: [1, 2, 3], slice: ["a", "b", "c"], lazy: [true, false, true] });

Deno.test("frame access reads frames whose columns hide DataFrame members", () => {
  const df = hiding();
  assert.equal(typeof df.height, "object", "nodejs-polars returns the column");
  assert.equal(frameHeight(df), 3);
  assert.deepEqual(frameColumns(df), ["height", "slice", "lazy"]);
  assert.equal(frameHeight(frameSlice(df, 1, 5)), 2);
  assert.deepEqual(Object.keys(frameTypes(df)), ["height", "slice", "lazy"]);
  const out = frameLazy(df).filter(pl.col("lazy")).select(pl.col("slice")).collectSync();
  assert.deepEqual(frameColumns(out), ["slice"]);
  assert.equal(frameHeight(out), 2);
});

Deno.test("nativeFrame() refuses a frame with a column named _df", () => {
  assert.throws(
    () => nativeFrame(pl.DataFrame({ _df: [1] })),
    (e: unknown) => e instanceof InvalidArgumentError && /'_df'/.test(e.message),
  );
});

Deno.test("framePivot() pivots a frame whose columns hide the pivot method", () => {
  const df = pl.DataFrame({ pivot: ["a", "a", "b"], on: ["x", "y", "x"], v: [1, 2, 3] });
  const out = framePivot(df, {
    values: ["v"],
    index: ["pivot"],
    on: ["on"],
    aggregate: "sum",
    maintainOrder: true,
    sortColumns: false,
    separator: "_",
  });
  assert.deepEqual(frameColumns(out), ["pivot", "x", "y"]);
  assert.equal(frameHeight(out), 2);
  assert.deepEqual(Object.keys(frameTypes(out)), ["pivot", "x", "y"]);
});
