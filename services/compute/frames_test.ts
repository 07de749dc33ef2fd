import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { LimitExceededError } from "../../shared/errors.ts";
import { FrameStore } from "./frames.ts";
import { heldHeight } from "./engine/frame_access.ts";

Deno.test("FrameStore keeps byte totals as frames come and go", () => {
  const store = new FrameStore({ maxBytes: 1000, collectGarbage: () => {} });
  const df = pl.DataFrame({ a: [1, 2, 3] });
  store.add("t.a", df, "t", 400);
  store.add("t.b", df, "t", 500);
  assert.equal(store.bytes, 900);
  assert.throws(() => store.reserve(200), LimitExceededError);
  assert.equal(store.drop("t.a"), true);
  assert.equal(store.drop("t.a"), false);
  assert.equal(store.bytes, 500);
  store.reserve(200);
  assert.equal(heldHeight(store.get("t.b")!.df), 3);
});

Deno.test("FrameStore.drop() collects at once past the threshold, later below it", async () => {
  let collections = 0;
  const store = new FrameStore({
    maxBytes: 1000,
    collectGarbage: () => collections++,
    gcThresholdBytes: 100,
    gcDelayMs: 50,
  });
  const df = pl.DataFrame({ a: [1] });
  for (const id of ["t.a", "t.b", "t.c"]) store.add(id, df, "t", 10);
  store.clear();
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(collections, 0, "30 bytes dropped: no collection yet");
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(collections, 1, "the delayed collection ran");
  store.add("t.big", df, "t", 500);
  store.drop("t.big");
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(collections, 2, "500 bytes dropped: collected at once");
  assert.equal(store.size, 0);
  store.close();
});

Deno.test("FrameStore.released() schedules a collection for a frame it never held", async () => {
  let collections = 0;
  const store = new FrameStore({
    maxBytes: 1000,
    collectGarbage: () => collections++,
    gcThresholdBytes: 100,
    gcDelayMs: 50,
  });
  store.released(500);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(collections, 1, "500 bytes released: collected at once");
  assert.equal(store.bytes, 0, "the store's own total is untouched");
  store.close();
});

Deno.test("an evictable FrameStore makes room by dropping the least recently used frames", () => {
  const store = new FrameStore({ maxBytes: 100, collectGarbage: () => {}, evictable: true });
  const df = pl.DataFrame({ a: [1] });
  for (const id of ["t.a", "t.b", "t.c"]) {
    store.reserve(30);
    store.add(id, df, "t", 30);
  }
  assert.ok(store.get("t.a")); // now the most recently used
  store.reserve(50);
  store.add("t.d", df, "t", 50);
  assert.deepEqual(["t.a", "t.b", "t.c", "t.d"].map((id) => store.get(id) !== undefined), [
    true,
    false,
    false,
    true,
  ]);
  assert.equal(store.evictions, 2);
  assert.equal(store.bytes, 80);
  assert.throws(() => store.reserve(101), /budget/);
  store.close();
});
