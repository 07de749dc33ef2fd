import assert from "node:assert/strict";
import { DataType } from "../datatypes.ts";
import { col } from "../functions.ts";
import { recorded } from "./_testing.ts";

const s = col("s");

Deno.test("ExprString sends nodejs-polars' arguments, RegExp flags inline", () => {
  assert.deepEqual(recorded(s.str.contains(/ab+c/i, true)), {
    name: "str.contains",
    args: ["(?i)ab+c", true],
    options: {},
  });
  assert.deepEqual(recorded(s.str.replace("a", col("b"), undefined, 2)).args, [
    "a",
    "<column>",
    null,
    2n,
  ]);
  assert.deepEqual(recorded(s.str.decode({ encoding: "base64", strict: true })).args, [
    "base64",
    true,
  ]);
  assert.deepEqual(recorded(s.str.split(",", { inclusive: true })).args, [",", true]);
  assert.deepEqual(recorded(s.str.split(",", true)).args, [",", true]);
  assert.deepEqual(recorded(s.str.slice(1)).args, [1n, null]);
  assert.deepEqual(recorded(s.str.stripChars()).args, [null]);
  assert.deepEqual(recorded(s.str.zFill(col("w"))).args, ["<column>"]);
  assert.throws(() => s.str.contains(/a/g), /flags must not include "g" or "y"/);
});

Deno.test("ExprString.strptime() sends the type, or 'Datetime' when given uninstantiated", () => {
  assert.deepEqual(recorded(s.str.strptime(DataType.Datetime, "%Y")).args, ["Datetime", "%Y"]);
  const exact = recorded(s.str.strptime(DataType.Datetime("ns", "UTC"), "%Y", { strict: true }));
  assert.equal(exact.args.length, 2);
  assert.match(String(exact.args[0]), /^<dtype/);
  assert.deepEqual(exact.options, { strict: true });
  assert.throws(
    () => s.str.strptime("Date" as unknown as DataType),
    /'datatype' must be Date or Datetime/,
  );
  assert.throws(() => s.str.jsonDecode(undefined as unknown as DataType), /must be a DataType/);
});
