import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { NotFoundError, UnavailableError } from "../../shared/errors.ts";
import { DataFrameServiceService } from "../../shared/gen/polaroid/v1/dataframe.ts";
import { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import { startGrpcServer } from "../../shared/grpc/server.ts";
import { bind } from "../../shared/grpc/types.ts";
import { createLogger } from "../../shared/telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../../shared/telemetry/metrics.ts";
import { UPLOAD_CHUNK_BYTES, uploadArrow, uploadChunks } from "./upload.ts";

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

/** A real gRPC server whose Upload fails with UNAVAILABLE `failing` times, then answers. */
async function flakyUploads(failing: number) {
  let calls = 0;
  const server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [bind(DataFrameServiceService, {
      execute: () => Promise.reject(new NotFoundError("unused")),
      schema: () => Promise.reject(new NotFoundError("unused")),
      explain: () => Promise.reject(new NotFoundError("unused")),
      sink: () => Promise.reject(new NotFoundError("unused")),
      async *collect() {},
      async upload(requests) {
        let bytes = 0;
        for await (const r of requests) bytes += r.arrowIpc.length;
        if (++calls <= failing) throw new UnavailableError("no compute worker took the call");
        return { handle: HandleInfo.fromPartial({ id: String(bytes) }) };
      },
    })],
    maxMessageBytes: 4 << 20,
    logger: createLogger("test", { write: () => {} }),
    metrics: createRpcMetrics(createRegistry("test")),
  });
  return { server, calls: () => calls };
}

Deno.test("uploadArrow() sends an upload again, whole, after UNAVAILABLE", async () => {
  const { server, calls } = await flakyUploads(2);
  try {
    const ipc = new Uint8Array(UPLOAD_CHUNK_BYTES + 5);
    const handle = await uploadArrow(`127.0.0.1:${server.port}`, ipc, {
      tenant: "acme",
      backoffMs: 1,
    });
    assert.equal(handle.id, String(UPLOAD_CHUNK_BYTES + 5), "the last attempt sent every byte");
    assert.equal(calls(), 3);
  } finally {
    await server.close(1000);
  }
});

Deno.test("uploadArrow() gives up after its attempts", async () => {
  const { server, calls } = await flakyUploads(5);
  try {
    await assert.rejects(
      uploadArrow(`127.0.0.1:${server.port}`, new Uint8Array(10), {
        tenant: "acme",
        attempts: 2,
        backoffMs: 1,
      }),
      UnavailableError,
    );
    assert.equal(calls(), 2);
  } finally {
    await server.close(1000);
  }
});
