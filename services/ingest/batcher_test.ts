import assert from "node:assert/strict";
import { tableFromIPC } from "apache-arrow";
import type pl from "nodejs-polars";
import {
  Batcher,
  type BatcherOptions,
  type ClosedBatch,
  MAX_RECENT_REJECTIONS,
  REJECTION_TEXT,
  type Timers,
} from "./batcher.ts";

/** Timers driven by hand: advance() runs what is due. */
class FakeTimers implements Timers {
  #now = 0;
  #next = 1;
  readonly #pending = new Map<number, { at: number; callback: () => void }>();

  set(callback: () => void, ms: number): number {
    const id = this.#next++;
    this.#pending.set(id, { at: this.#now + ms, callback });
    return id;
  }

  clear(id: unknown): void {
    this.#pending.delete(id as number);
  }

  advance(ms: number): void {
    this.#now += ms;
    for (const [id, timer] of [...this.#pending].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.#now) break;
      this.#pending.delete(id);
      timer.callback();
    }
  }

  get pending(): number {
    return this.#pending.size;
  }
}

function setup(options: Partial<BatcherOptions> = {}) {
  const timers = new FakeTimers();
  const batcher = new Batcher({
    maxBatchRows: 1000,
    maxBatchDelayMs: 100,
    maxBufferBytes: 64 * 1024 * 1024,
    timers,
    ...options,
  });
  return { batcher, timers };
}

/** The snapshot as plain rows (bigints kept). */
function rows(batcher: Batcher): Record<string, unknown>[] {
  const ipc = batcher.snapshot();
  assert.ok(ipc, "a snapshot");
  return tableFromIPC(ipc).toArray().map((row) => ({ ...row.toJSON() }));
}

Deno.test("Batcher closes a batch at maxBatchRows", () => {
  const { batcher, timers } = setup({ maxBatchRows: 3 });
  for (let i = 0; i < 7; i++) assert.equal(batcher.push(`{"i": ${i}}`), true);
  const stats = batcher.stats();
  assert.equal(stats.batches, 2);
  assert.equal(stats.rows, 6);
  assert.equal(stats.bufferedRows, 6);
  assert.equal(stats.messages, 7);
  assert.equal(timers.pending, 1, "the open batch of one row waits for its delay");
});

Deno.test("Batcher closes a batch maxBatchDelayMs after its first row", () => {
  const { batcher, timers } = setup({ maxBatchDelayMs: 250 });
  batcher.push('{"i": 1}');
  timers.advance(200);
  batcher.push('{"i": 2}');
  assert.equal(batcher.stats().batches, 0);
  timers.advance(49);
  assert.equal(batcher.stats().batches, 0);
  timers.advance(1);
  assert.deepEqual(batcher.stats().batches, 1);
  assert.equal(batcher.stats().rows, 2);
  assert.equal(timers.pending, 0);
  batcher.push('{"i": 3}');
  timers.advance(250);
  assert.equal(batcher.stats().batches, 2);
  assert.deepEqual(rows(batcher).map((r) => r.i), [1n, 2n, 3n]);
});

Deno.test("Batcher rejects what is not a JSON object and keeps the rest", () => {
  const { batcher } = setup();
  const bad = ["not json", "[1, 2]", "42", "null", '"text"', new Uint8Array([0x7b, 0xff, 0x7d])];
  for (const message of bad) assert.equal(batcher.push(message), false);
  assert.equal(batcher.push(new TextEncoder().encode('{"ok": true}')), true);
  assert.equal(batcher.push('{\n  "ok": false\n}'), true, "pretty-printed JSON is one row");
  const stats = batcher.stats();
  assert.equal(stats.messages, 8);
  assert.equal(stats.rejected, 6);
  assert.match(stats.lastError, /UTF-8/);
  assert.deepEqual(rows(batcher), [{ ok: true }, { ok: false }]);
  assert.equal(batcher.stats().rows, 2);
});

Deno.test("Batcher rejects only the messages of a batch whose fields change type", () => {
  const { batcher } = setup();
  batcher.push('{"id": 1, "a": 1}');
  batcher.push('{"id": 2, "a": [1, 2]}');
  batcher.push('{"id": 3, "a": 3}');
  batcher.push('{"id": 4, "big": 1e400}');
  batcher.push('{"id": 5, "huge": 18446744073709551615}');
  batcher.flush();
  const stats = batcher.stats();
  assert.equal(stats.rejected, 3);
  assert.equal(stats.rows, 2);
  assert.match(stats.lastError, /Cannot ingest message/);
  assert.deepEqual(rows(batcher).map((r) => [r.id, r.a]), [[1n, 1n], [3n, 3n]]);
});

Deno.test("Batcher widens the schema across batches (diagonal concat)", () => {
  const { batcher } = setup({ maxBatchRows: 2 });
  batcher.push('{"a": 1, "b": null}');
  batcher.push('{"a": 2, "b": null}');
  batcher.push('{"a": "x", "c": 1.5}');
  batcher.push('{"a": "y", "b": 7}');
  assert.equal(batcher.stats().batches, 2);
  assert.deepEqual(rows(batcher), [
    { a: "1", b: null, c: null },
    { a: "2", b: null, c: null },
    { a: "x", b: null, c: 1.5 },
    { a: "y", b: 7n, c: null },
  ]);
});

Deno.test("Batcher keeps Int64 values above 2^53 exact", () => {
  const { batcher } = setup();
  const values = ["9007199254740993", "-9223372036854775808", "9223372036854775807", "1"];
  for (const v of values) batcher.push(`{"v": ${v}, "s": "${v}"}`);
  const table = tableFromIPC(batcher.snapshot()!);
  assert.equal(String(table.schema.fields[0]!.type), "Int64");
  const got = table.getChild("v")!.toArray() as BigInt64Array;
  assert.deepEqual([...got].map(String), values);
});

Deno.test("Batcher drops the oldest batches past maxBufferBytes and counts their rows", () => {
  const probe = setup({ maxBatchRows: 10 });
  const batch = (n: number) =>
    Array.from({ length: 10 }, (_, i) => `{"batch": ${n}, "i": ${i}, "pad": "${"x".repeat(50)}"}`);
  for (const m of batch(0)) probe.batcher.push(m);
  const oneBatch = probe.batcher.stats().bufferedBytes;
  assert.ok(oneBatch > 0);

  const { batcher } = setup({ maxBatchRows: 10, maxBufferBytes: oneBatch * 2 + oneBatch / 2 });
  for (let n = 0; n < 4; n++) for (const m of batch(n)) batcher.push(m);
  const stats = batcher.stats();
  assert.equal(stats.batches, 4);
  assert.equal(stats.rows, 40);
  assert.equal(stats.droppedRows, 20);
  assert.equal(stats.bufferedRows, 20);
  assert.ok(stats.bufferedBytes <= oneBatch * 2.5);
  const kept = rows(batcher);
  assert.equal(kept.length, 20);
  assert.deepEqual([...new Set(kept.map((r) => r.batch))], [2n, 3n]);
});

Deno.test("Batcher snapshot: none before any batch, 0 rows with the schema once dropped", () => {
  const empty = setup();
  assert.equal(empty.batcher.snapshot(), undefined);
  const { batcher } = setup({ maxBufferBytes: 1 });
  batcher.push('{"a": 1, "b": "x"}');
  const ipc = batcher.snapshot()!;
  const table = tableFromIPC(ipc);
  assert.equal(table.numRows, 0);
  assert.deepEqual(table.schema.fields.map((f) => f.name), ["a", "b"]);
  assert.equal(batcher.stats().droppedRows, 1);
});

Deno.test("Batcher tells its observer what it counts; close() stops it", () => {
  const seen: string[] = [];
  const { batcher, timers } = setup({
    maxBatchRows: 2,
    observer: {
      onMessage: () => seen.push("message"),
      onRejected: (n) => seen.push(`rejected ${n}`),
      onBatch: (n) => seen.push(`batch ${n}`),
    },
  });
  batcher.push("{}x");
  batcher.push('{"a": 1}');
  batcher.push('{"a": 2}');
  batcher.push('{"a": 3}');
  batcher.close();
  assert.equal(batcher.push('{"a": 4}'), false);
  timers.advance(1000);
  assert.deepEqual(seen, ["message", "rejected 1", "message", "message", "batch 2", "message"]);
  assert.equal(batcher.stats().rows, 2);
});

Deno.test("Batcher keeps the last rejected messages, cut short, for debugging a feed", () => {
  const { batcher } = setup();
  batcher.push("not json");
  batcher.push(new Uint8Array([0x7b, 0xff, 0x7d]));
  batcher.push('{"id": 1, "a": 1}');
  batcher.push('{"id": 2, "a": [1, 2]}');
  batcher.flush();
  let kept = batcher.stats().recentRejections;
  assert.deepEqual(kept.map((r) => r.sample), ["not json", "{\uFFFD}", '{"id": 2, "a": [1, 2]}']);
  assert.match(kept[1]!.error, /UTF-8/);
  assert.match(kept[2]!.error, /Cannot ingest message/);
  assert.ok(kept.every((r) => r.atMs > 0));
  // At most MAX_RECENT_REJECTIONS, newest last; long messages and errors cut short.
  for (let i = 0; i < MAX_RECENT_REJECTIONS + 5; i++) batcher.push(`[${i}, "${"x".repeat(1000)}"]`);
  kept = batcher.stats().recentRejections;
  assert.equal(kept.length, MAX_RECENT_REJECTIONS);
  assert.ok(kept.at(-1)!.sample.startsWith(`[${MAX_RECENT_REJECTIONS + 4}, `));
  assert.ok(
    kept.every((r) => r.sample.length <= REJECTION_TEXT && r.error.length <= REJECTION_TEXT),
  );
  assert.equal(batcher.stats().rejected, 3 + MAX_RECENT_REJECTIONS + 5);
});

Deno.test("Batcher with an output hands it each batch with every message's mark and its first message's arrival", () => {
  const timers = new FakeTimers();
  const closed: ClosedBatch[] = [];
  const batcher = new Batcher({
    maxBatchRows: 3,
    maxBatchDelayMs: 100,
    maxBufferBytes: 1024,
    timers,
    output: { closed: (batch) => closed.push(batch) },
  });
  const before = performance.now();
  batcher.push('{"a":1}', 1);
  const first = performance.now();
  batcher.push("not json", 2);
  batcher.push('{"a":2}', 3);
  batcher.push('{"a":3}', 4);
  assert.equal(closed.length, 1);
  assert.deepEqual(closed[0]!.marks, [1, 2, 3, 4]);
  // Its lag counts from its first message.
  const arrivedAt = closed[0]!.arrivedAt!;
  assert.ok(before <= arrivedAt && arrivedAt <= first, `${before} ${arrivedAt} ${first}`);
  assert.deepEqual((closed[0]!.frame as pl.DataFrame).getColumn("a").toArray(), [1, 2, 3]);
  // A batch of rejected messages alone still reaches the output (to be acknowledged).
  batcher.push("[]", 5);
  timers.advance(100);
  assert.equal(closed.length, 2);
  assert.deepEqual(closed[1]!.marks, [5]);
  assert.equal(closed[1]!.frame, undefined);
  // The memory buffer stays empty: the output holds the data.
  assert.equal(batcher.stats().bufferedBytes, 0);
  assert.equal(batcher.stats().rows, 3);
});

Deno.test("Batcher: a message that only looks like an object is rejected when its batch is parsed", () => {
  const { batcher } = setup();
  assert.equal(batcher.push('{"a": 1}'), true);
  assert.equal(batcher.push('{"a": 2,}'), true, "taken: the batch's parse checks it");
  assert.equal(batcher.push('{"a": 3} {"a": 4}'), true);
  batcher.flush();
  const stats = batcher.stats();
  assert.equal(stats.rejected, 2);
  assert.match(stats.recentRejections[0]!.error, /must be JSON/);
  assert.deepEqual(rows(batcher), [{ a: 1n }]);
});
