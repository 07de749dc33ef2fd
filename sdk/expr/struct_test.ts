import assert from "node:assert/strict";
import { col, lit } from "../functions.ts";
import { recorded } from "./_testing.ts";

const st = col("st");

Deno.test("ExprStruct sends names, indices and fields", () => {
  assert.deepEqual(recorded(st.struct.field("a")), {
    name: "struct.field",
    args: ["a"],
    options: {},
  });
  assert.deepEqual(recorded(st.struct.nth(1)).args, [1n]);
  assert.deepEqual(recorded(st.struct.renameFields(["x", "y"])).args, [["x", "y"]]);
  assert.deepEqual(recorded(st.struct.withFields(["u", lit(1).alias("one")])).args, [[
    "<column>",
    "<alias>",
  ]]);
  assert.equal(recorded(st.struct.jsonEncode()).name, "struct.jsonEncode");
});
