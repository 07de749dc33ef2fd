import assert from "node:assert/strict";
import { args } from "./_args.ts";

Deno.test("args() drops trailing undefined and sends inner undefined as null", () => {
  assert.deepEqual(args(["a", undefined, true, undefined, undefined]), ["a", null, true]);
  assert.deepEqual(args([undefined]), []);
  assert.deepEqual(args([null, 0, false]), [null, 0, false]);
});
