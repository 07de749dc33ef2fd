import assert from "node:assert/strict";
import { FlatBuffer, FlatBufferError } from "./flatbuffer.ts";

/**
 * A hand-built FlatBuffer: root offset → table at 16 whose vtable (at 4) has three fields:
 * an int32 (42), an offset to a vector of two int32s (7, 9), an int64 (-1).
 */
function sample(): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(56);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 16, true); // root table at 16
  view.setUint16(4, 10, true); // vtable size: 4 + 3 slots
  view.setUint16(6, 20, true); // table inline size
  view.setUint16(8, 4, true); // slot 0 at table + 4
  view.setUint16(10, 8, true); // slot 1 at table + 8
  view.setUint16(12, 12, true); // slot 2 at table + 12
  view.setInt32(16, 16 - 4, true); // table → vtable
  view.setInt32(20, 42, true);
  view.setUint32(24, 36 - 24, true); // → vector at 36
  view.setBigInt64(28, -1n, true);
  view.setUint32(36, 2, true);
  view.setInt32(40, 7, true);
  view.setInt32(44, 9, true);
  return { bytes, view };
}

Deno.test("FlatBuffer reads scalars, vectors and absent fields of a valid table", () => {
  const root = new FlatBuffer(sample().bytes).root();
  assert.equal(root.int32(0, 0), 42);
  assert.deepEqual(root.vector(1, 4), { start: 40, length: 2 });
  assert.equal(root.buffer.int32(44), 9);
  assert.equal(root.safeInt64(2, 0, "x"), -1);
  assert.equal(root.int32(3, 5), 5, "a slot past the vtable is absent");
  assert.equal(root.table(3), undefined);
});

function refuses(edit: (view: DataView) => void, read: (b: FlatBuffer) => unknown, re: RegExp) {
  const { bytes, view } = sample();
  edit(view);
  assert.throws(() => read(new FlatBuffer(bytes)), (e: unknown) => {
    assert.ok(e instanceof FlatBufferError, String(e));
    assert.match(e.message, re);
    return true;
  });
}

Deno.test("FlatBuffer refuses a root offset past the end", () => {
  refuses((v) => v.setUint32(0, 1000, true), (b) => b.root(), /inside the 56-byte buffer/);
  refuses(() => {}, (b) => new FlatBuffer(b.bytes.subarray(0, 3)).root(), /uint32/);
});

Deno.test("FlatBuffer refuses a vtable outside the buffer or malformed", () => {
  refuses((v) => v.setInt32(16, -100, true), (b) => b.root(), /vtable/);
  refuses((v) => v.setInt32(16, 1 << 30, true), (b) => b.root(), /vtable/);
  refuses((v) => v.setUint16(4, 7, true), (b) => b.root(), /even and at least 4/);
  refuses((v) => v.setUint16(4, 2000, true), (b) => b.root(), /vtable/);
  refuses((v) => v.setUint16(6, 2, true), (b) => b.root(), /inline size/);
  refuses((v) => v.setUint16(6, 60, true), (b) => b.root(), /inline fields/);
});

Deno.test("FlatBuffer refuses a field that overruns its table", () => {
  refuses((v) => v.setUint16(8, 18, true), (b) => b.root().int32(0, 0), /inline bytes/);
  refuses((v) => v.setUint16(12, 2, true), (b) => b.root().int32(2, 0), /current offset is 2/);
});

Deno.test("FlatBuffer refuses a vector longer than the buffer", () => {
  refuses((v) => v.setUint32(36, 1_000_000_000, true), (b) => b.root().vector(1, 4), /vector/);
  refuses((v) => v.setUint32(24, 0xfffffff0, true), (b) => b.root().vector(1, 4), /offset/);
  refuses((v) => v.setUint32(36, 3, true), (b) => b.root().vector(1, 8), /vector of 3/);
});

Deno.test("FlatBuffer refuses int64 values beyond 2^53 in magnitude", () => {
  refuses(
    (v) => v.setBigInt64(28, 2n ** 61n, true),
    (b) => b.root().safeInt64(2, 0, "a length"),
    /a length .*2305843009213693952/,
  );
  refuses(
    (v) => v.setBigInt64(28, -(2n ** 60n), true),
    (b) => b.root().safeInt64(2, 0, "a length"),
    /magnitude/,
  );
});
