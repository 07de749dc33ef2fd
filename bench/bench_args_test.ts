import assert from "node:assert/strict";
import { parseBenchArgs, parseParts, PARTS } from "./bench_args.ts";

Deno.test("parseBenchArgs() gives the defaults and every part without options", () => {
  const args = parseBenchArgs([]);
  assert.equal(args.rows, 10_000_000);
  assert.equal(args.reps, 5);
  assert.equal(args.latencyRequests, 2000);
  assert.equal(args.storeRows, 1_000_000);
  assert.equal(args.storeSteps, 20);
  assert.deepEqual([...args.only], [...PARTS]);
});

Deno.test("parseBenchArgs() reads --rows with grouped digits and --only", () => {
  const args = parseBenchArgs(["--rows", "200_000", "--reps", "2", "--only", "queries,upload"]);
  assert.equal(args.rows, 200_000);
  assert.equal(args.reps, 2);
  assert.deepEqual([...args.only], ["queries", "upload"]);
});

Deno.test("parseParts() refuses an unknown or empty list, naming the option", () => {
  assert.throws(() => parseParts("queries,speed"), /--only must be a comma-separated list/);
  assert.throws(() => parseParts(","), /current value is ,/);
  assert.throws(() => parseBenchArgs(["--rows", "0"]), /--rows must be a positive integer/);
});
