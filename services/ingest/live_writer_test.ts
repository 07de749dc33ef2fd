import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { FailedPreconditionError, UnavailableError } from "../../shared/errors.ts";
import {
  consistentPrefix,
  listSegments,
  readConsistentPrefix,
  segmentKey,
  type SegmentRef,
} from "../../shared/live_table.ts";
import { FsStateStore } from "../../shared/state_store/fs.ts";
import { MemoryStateStore } from "../../shared/state_store/memory.ts";
import type { StateStore } from "../../shared/state_store/store.ts";
import { LiveWriter } from "./live_writer.ts";

const rows = (from: number, n: number) =>
  pl.DataFrame({ seq: Array.from({ length: n }, (_, i) => from + i) });

async function tableSeqs(store: StateStore, table = "ticks"): Promise<number[]> {
  const { values } = await readConsistentPrefix(store, "acme", table, async (s) => {
    const body = await store.get(s.key);
    return pl.readIPC(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
  return values.flatMap((frame) => frame.getColumn("seq").toArray() as number[]);
}

const ref = (first: number, last: number): SegmentRef => ({
  key: segmentKey("acme", "t", first, last),
  first,
  last,
  bytes: 1,
  modifiedAtMs: 0,
});

Deno.test("consistentPrefix() takes the widest segment at each number and stops at a gap", () => {
  const all = [ref(0, 0), ref(0, 3), ref(1, 1), ref(4, 4), ref(5, 5), ref(7, 7)];
  assert.deepEqual(consistentPrefix(all).map((s) => [s.first, s.last]), [[0, 3], [4, 4], [5, 5]]);
  assert.deepEqual(consistentPrefix([]), []);
  // Retention removed the oldest: the prefix starts at the lowest number present.
  assert.deepEqual(consistentPrefix([ref(9, 9), ref(10, 12)]).map((s) => s.first), [9, 10]);
});

Deno.test("segmentKey() sorts by number and refuses bad ranges and names", () => {
  assert.ok(segmentKey("acme", "t", 2, 2) < segmentKey("acme", "t", 10, 10));
  assert.throws(() => segmentKey("acme", "t", 3, 2), RangeError);
  assert.throws(() => segmentKey("acme", "../x", 0, 0), /must match/);
  assert.throws(() => segmentKey("Acme!", "t", 0, 0), /tenant/);
});

for (const kind of ["memory", "fs"] as const) {
  const open = async (): Promise<{ store: StateStore; done: () => Promise<void> }> => {
    if (kind === "memory") {
      const store = new MemoryStateStore();
      return { store, done: () => store.close() };
    }
    const root = await Deno.makeTempDir({ prefix: "polaroid-live-" });
    const store = await FsStateStore.open({ root });
    return {
      store,
      done: async () => {
        await store.close();
        await Deno.remove(root, { recursive: true });
      },
    };
  };

  Deno.test(`LiveWriter (${kind}): appends in order, a reopened writer resumes at the offsets`, async () => {
    const { store, done } = await open();
    try {
      const writer = await LiveWriter.open({ store, tenant: "acme", table: "ticks" });
      assert.deepEqual(writer.offsets, {});
      await Promise.all([
        writer.append(rows(0, 3), { seq: "2" }),
        writer.append(rows(3, 2), { seq: "4" }),
      ]);
      assert.deepEqual(await tableSeqs(store), [0, 1, 2, 3, 4]);
      assert.deepEqual(writer.stats.rows, 5);
      const again = await LiveWriter.open({ store, tenant: "acme", table: "ticks" });
      assert.deepEqual(again.offsets, { seq: "4" });
      await again.append(rows(5, 1), { seq: "5" });
      assert.deepEqual(await tableSeqs(store), [0, 1, 2, 3, 4, 5]);
      // The first writer's next number is taken: it stops rather than write a fork.
      await assert.rejects(writer.append(rows(9, 1), { seq: "9" }), FailedPreconditionError);
      assert.deepEqual(await tableSeqs(store), [0, 1, 2, 3, 4, 5]);
    } finally {
      await done();
    }
  });

  Deno.test(`LiveWriter (${kind}): compacts runs of small segments, keeping rows and order`, async () => {
    const { store, done } = await open();
    try {
      const writer = await LiveWriter.open({
        store,
        tenant: "acme",
        table: "ticks",
        compaction: { minSegments: 4 },
      });
      for (let i = 0; i < 10; i++) await writer.append(rows(i * 2, 2), { seq: String(i) });
      assert.deepEqual(await tableSeqs(store), Array.from({ length: 20 }, (_, i) => i));
      const listed = await listSegments(store, "acme", "ticks");
      assert.ok(listed.length < 10, `segments after compaction: ${listed.length}`);
      assert.equal(writer.stats.rows, 20);
      assert.ok(writer.stats.compacted >= 4);
      // A compacted segment committed while its parts were not yet removed (a crash between):
      // readers prefer it, and the next writer removes the parts.
      const partKey = segmentKey("acme", "ticks", 5, 5);
      await store.put(partKey, rows(10, 2).writeIPC(), {
        tenant: "acme",
        rows: 2,
        createdAtMs: Date.now(),
        schemaHash: "",
        planHash: "",
        format: "arrow-ipc",
      });
      const wide = await LiveWriter.open({ store, tenant: "acme", table: "ticks" });
      assert.equal(wide.offsets.seq, "9");
      assert.deepEqual(await tableSeqs(store), Array.from({ length: 20 }, (_, i) => i));
      assert.equal(await store.head(partKey), undefined);
    } finally {
      await done();
    }
  });

  Deno.test(`LiveWriter (${kind}): retention by rows, bytes and age keeps the newest segment`, async () => {
    const { store, done } = await open();
    try {
      let now = 1_000_000;
      const writer = await LiveWriter.open({
        store,
        tenant: "acme",
        table: "ticks",
        retention: { maxRows: 5, maxAgeMs: 60_000 },
        compaction: { minSegments: 1000 },
        now: () => now,
      });
      for (let i = 0; i < 6; i++) await writer.append(rows(i * 2, 2), { seq: String(i) });
      assert.deepEqual(await tableSeqs(store), [8, 9, 10, 11]);
      assert.equal(writer.stats.expired, 4);
      now += 120_000;
      await writer.append(rows(12, 3), { seq: "6" });
      // Everything older than a minute went; the newest stays even past maxRows.
      assert.deepEqual(await tableSeqs(store), [12, 13, 14]);
    } finally {
      await done();
    }
  });
}

Deno.test("LiveWriter retries a failing store with backoff until the segment is durable", async () => {
  const store = new MemoryStateStore();
  let failures = 2;
  const flaky: StateStore = {
    kind: "memory",
    put: (...args) => {
      if (failures-- > 0) return Promise.reject(new UnavailableError("store down"));
      return store.put(...args);
    },
    get: (key) => store.get(key),
    head: (key) => store.head(key),
    delete: (key) => store.delete(key),
    list: (prefix) => store.list(prefix),
    close: () => store.close(),
  };
  const retries: string[] = [];
  const writer = await LiveWriter.open({
    store: flaky,
    tenant: "acme",
    table: "ticks",
    maxRetryDelayMs: 5,
    onRetry: (error) => retries.push(error.message),
  });
  await writer.append(rows(0, 2), { seq: "1" });
  assert.deepEqual(retries, ["store down", "store down"]);
  assert.deepEqual(await tableSeqs(store), [0, 1]);
  // Closed while the store is down: the append fails rather than retrying forever.
  failures = 1000;
  const pending = writer.append(rows(2, 1), { seq: "2" });
  writer.close();
  await assert.rejects(pending, FailedPreconditionError);
  assert.deepEqual(await tableSeqs(store), [0, 1]);
});
