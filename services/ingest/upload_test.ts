import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { UPLOAD_CHUNK_BYTES, uploadChunks } from "./upload.ts";

Deno.test("uploadChunks() splits into chunks of at most 1 MiB, TTL in the first only", () => {
  const ipc = new Uint8Array(UPLOAD_CHUNK_BYTES * 2 + 123).map((_, i) => i % 251);
  const chunks = [...uploadChunks(ipc.subarray(0), 60n)];
  assert.deepEqual(chunks.map((c) => c.arrowIpc.byteLength), [
    UPLOAD_CHUNK_BYTES,
    UPLOAD_CHUNK_BYTES,
    123,
  ]);
  assert.deepEqual(chunks.map((c) => c.ttlSeconds), [60n, 0n, 0n]);
  assert.deepEqual(new Uint8Array(Buffer.concat(chunks.map((c) => c.arrowIpc))), ipc);
});

Deno.test("uploadChunks() sends one empty chunk for empty input and respects chunkBytes", () => {
  const empty = [...uploadChunks(new Uint8Array(0), 5n)];
  assert.equal(empty.length, 1);
  assert.equal(empty[0]!.arrowIpc.byteLength, 0);
  assert.equal(empty[0]!.ttlSeconds, 5n);
  const small = [...uploadChunks(new Uint8Array(10), 0n, 4)];
  assert.deepEqual(small.map((c) => c.arrowIpc.byteLength), [4, 4, 2]);
  assert.throws(() => [...uploadChunks(new Uint8Array(1), 0n, 0)], RangeError);
});
