import assert from "node:assert/strict";
import { intOption, optionText } from "./args.ts";

Deno.test("intOption() reads --name N, falls back when absent, refuses non-positive values", () => {
  const args = ["--rows", "500", "--reps", "0", "--cap", "384M"];
  assert.equal(intOption(args, "rows", 7), 500);
  assert.equal(intOption(args, "depth", 7), 7);
  assert.throws(() => intOption(args, "reps", 3), /--reps must be a positive integer/);
  assert.equal(optionText(args, "cap"), "384M");
  assert.equal(optionText(args, "missing"), undefined);
});
