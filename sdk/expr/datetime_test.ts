import assert from "node:assert/strict";
import { col, lit } from "../functions.ts";
import { recorded } from "./_testing.ts";

const t = col("t");

Deno.test("ExprDateTime sends units, durations and zones as given", () => {
  assert.deepEqual(recorded(t.dt.timestamp()), { name: "dt.timestamp", args: [], options: {} });
  assert.deepEqual(recorded(t.dt.timestamp("ns")).args, ["ns"]);
  assert.deepEqual(recorded(t.dt.epoch("s")).args, ["s"]);
  assert.deepEqual(recorded(t.dt.offsetBy("-1mo")), {
    name: "dt.offsetBy",
    args: ["-1mo"],
    options: {},
  });
  assert.deepEqual(recorded(t.dt.truncate(lit("1h"))).args, ["<literal>"]);
  assert.deepEqual(recorded(t.dt.replaceTimeZone(null)).args, [null]);
  assert.deepEqual(recorded(t.dt.replaceTimeZone("UTC", undefined, "null")).args, [
    "UTC",
    null,
    "null",
  ]);
  assert.equal(recorded(t.dt.quarter()).name, "dt.quarter");
});
