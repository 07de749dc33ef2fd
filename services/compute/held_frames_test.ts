import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { LimitExceededError } from "../../shared/errors.ts";
import { HeldFrames } from "./held_frames.ts";
import { heldHeight } from "./engine/frame_access.ts";

Deno.test("HeldFrames keeps byte totals as frames come and go", () => {
  const frames = new HeldFrames({ maxBytes: 1000, collectGarbage: () => {} });
  const df = pl.DataFrame({ a: [1, 2, 3] });
  frames.reserve(400).add("t.a", df, "t");
  frames.reserve(500).add("t.b", df, "t");
  assert.equal(frames.bytes, 900);
  assert.throws(() => frames.reserve(200), LimitExceededError);
  assert.equal(frames.forget("t.a", "test"), true);
  assert.equal(frames.forget("t.a", "test"), false);
  assert.equal(frames.bytes, 500);
  frames.reserve(200).release();
  assert.equal(heldHeight(frames.get("t.b")!.df), 3);
});

Deno.test("HeldFrames counts a lease against the budget until it is added or released", () => {
  const frames = new HeldFrames({ maxBytes: 1000, collectGarbage: () => {} });
  const df = pl.DataFrame({ a: [1] });
  const first = frames.reserve(600);
  assert.equal(frames.reservedBytes, 600);
  // Two results kept at once cannot both pass the budget while the first is registered.
  assert.throws(() => frames.reserve(600), /holds 600 of its 1000-byte budget/);
  {
    using second = frames.reserve(300);
    assert.equal(second.bytes, 300);
    assert.equal(frames.reservedBytes, 900);
  }
  assert.equal(frames.reservedBytes, 600, "a lease left unsettled comes back at its block's end");
  first.add("t.a", df, "t");
  first.release();
  assert.equal(frames.reservedBytes, 0);
  assert.equal(frames.bytes, 600, "releasing an added lease changes nothing");
  assert.throws(() => first.add("t.b", df, "t"), /already settled/);
});

Deno.test("HeldFrames.forget() tells onForget of every handle, held here or not", () => {
  const forgotten: string[] = [];
  const frames = new HeldFrames({
    maxBytes: 100,
    collectGarbage: () => {},
    onForget: (id) => forgotten.push(id),
  });
  frames.reserve(10).add("t.a", pl.DataFrame({ a: [1] }), "t");
  assert.equal(frames.forget("t.a", "released"), true);
  assert.equal(frames.forget("t.b", "freed"), false);
  assert.deepEqual(forgotten, ["t.a", "t.b"]);
});

Deno.test("HeldFrames drops collect at once past the threshold, later below it", async () => {
  let collections = 0;
  const frames = new HeldFrames({
    maxBytes: 1000,
    collectGarbage: () => collections++,
    gcThresholdBytes: 100,
    gcDelayMs: 50,
  });
  const df = pl.DataFrame({ a: [1] });
  for (const id of ["t.a", "t.b", "t.c"]) frames.reserve(10).add(id, df, "t");
  frames.clear();
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(collections, 0, "30 bytes dropped: no collection yet");
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(collections, 1, "the delayed collection ran");
  frames.reserve(500).add("t.big", df, "t");
  frames.forget("t.big", "test");
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(collections, 2, "500 bytes dropped: collected at once");
  assert.equal(frames.size, 0);
  frames.close();
});

Deno.test("HeldFrames.letGo() schedules a collection for a frame it never held", async () => {
  let collections = 0;
  const frames = new HeldFrames({
    maxBytes: 1000,
    collectGarbage: () => collections++,
    gcThresholdBytes: 100,
    gcDelayMs: 50,
  });
  frames.letGo(500);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(collections, 1, "500 bytes let go of: collected at once");
  assert.equal(frames.bytes, 0, "the frames' own total is untouched");
  frames.close();
});

Deno.test("evictable HeldFrames make room by dropping the least recently used frames", () => {
  const frames = new HeldFrames({ maxBytes: 100, collectGarbage: () => {}, evictable: true });
  const df = pl.DataFrame({ a: [1] });
  for (const id of ["t.a", "t.b", "t.c"]) frames.reserve(30).add(id, df, "t");
  assert.ok(frames.get("t.a")); // now the most recently used
  frames.reserve(50).add("t.d", df, "t");
  assert.deepEqual(["t.a", "t.b", "t.c", "t.d"].map((id) => frames.get(id) !== undefined), [
    true,
    false,
    false,
    true,
  ]);
  assert.equal(frames.evictions, 2);
  assert.equal(frames.bytes, 80);
  assert.throws(() => frames.reserve(101), /budget/);
  frames.close();
});
