import assert from "node:assert/strict";
import { join } from "node:path";
import { MemoryStateStore } from "../../shared/state_store/memory.ts";
import { FsStateStore } from "../../shared/state_store/fs.ts";
import type { ObjectMeta } from "../../shared/state_store/store.ts";
import { collectGarbage } from "./gc.ts";

const META: Omit<ObjectMeta, "key" | "bytes"> = {
  tenant: "t",
  rows: 1,
  createdAtMs: 0,
  schemaHash: "",
  planHash: "",
  format: "arrow-ipc",
};
const HOUR = 3_600_000;

Deno.test("collectGarbage() deletes old unnamed objects and old partial bodies, nothing else", async () => {
  const store = new MemoryStateStore();
  const now = Date.now();
  await store.put("handles/t/live.arrow", new Uint8Array(3), META);
  await store.put("handles/t/orphan.arrow", new Uint8Array(3), META);
  store.putUncommitted("handles/t/partial.arrow", new Uint8Array(2), now - 2 * HOUR);
  store.putUncommitted("handles/t/writing.arrow", new Uint8Array(2), now + HOUR);
  await store.put("other/x", new Uint8Array(1), META);
  // An hour later, the committed objects are old; "writing" is still within the grace.
  const report = await collectGarbage({
    store,
    liveKeys: () => new Set(["handles/t/live.arrow"]),
    graceMs: HOUR / 2,
    now: now + HOUR,
  });
  assert.deepEqual(report, { scanned: 4, uncommitted: 1, unreferenced: 1, temporary: 0 });
  const left = (await Array.fromAsync(store.list(""))).map((o) => o.key);
  assert.deepEqual(left, ["handles/t/live.arrow", "handles/t/writing.arrow", "other/x"]);
  // Within the grace period nothing unnamed goes.
  await store.put("handles/t/young.arrow", new Uint8Array(3), META);
  const young = await collectGarbage({ store, liveKeys: () => new Set(), graceMs: HOUR });
  assert.equal(young.unreferenced + young.uncommitted, 0);
});

Deno.test("collectGarbage() removes the fs backend's abandoned temporary files", async () => {
  const root = await Deno.makeTempDir({ prefix: "polaroid-gc-" });
  try {
    const store = await FsStateStore.open({ root });
    await Deno.writeFile(join(store.tmpDir, "abandoned"), new Uint8Array(5));
    const kept = await collectGarbage({ store, liveKeys: () => new Set(), graceMs: HOUR });
    assert.equal(kept.temporary, 0);
    const report = await collectGarbage({
      store,
      liveKeys: () => new Set(),
      graceMs: HOUR,
      now: Date.now() + 2 * HOUR,
    });
    assert.equal(report.temporary, 1);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(store.tmpDir)), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
