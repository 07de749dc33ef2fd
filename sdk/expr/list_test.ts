import assert from "node:assert/strict";
import { col, element, lit } from "../functions.ts";
import { recorded } from "./_testing.ts";

const l = col("l");

Deno.test("ExprList normalises nodejs-polars' argument shapes", () => {
  assert.deepEqual(recorded(l.lst.concat("m")).args, [["<column>"]]);
  assert.deepEqual(recorded(l.lst.concat([col("m"), "n"])).args, [["<column>", "<column>"]]);
  assert.deepEqual(recorded(l.lst.contains(1)).args, [1n]);
  assert.deepEqual(recorded(l.lst.contains(new Date(0))).args, ["<literal>"]);
  assert.deepEqual(recorded(l.lst.join()).args, []);
  assert.deepEqual(recorded(l.lst.join("-")).args, ["-"]);
  assert.deepEqual(recorded(l.lst.join({ ignoreNulls: true })).args, [null, true]);
  assert.deepEqual(recorded(l.lst.sort({ descending: true })).args, [true]);
  assert.deepEqual(recorded(l.lst.slice(1)).args, [1n, null]);
  assert.deepEqual(recorded(l.lst.eval(element().mul(lit(2)))).args, ["<binary>"]);
  assert.throws(() => l.lst.eval("x" as never), /'expr' must be an Expr/);
});
