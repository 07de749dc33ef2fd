import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import pl from "nodejs-polars";
import { CollectResponse } from "../../shared/gen/polaroid/v1/dataframe.ts";
import {
  DATAFRAME_SERVICE,
  encodeCollectResponse,
  serializeCollectResponse,
} from "./collect_wire.ts";
import { frameToIpcChunks } from "./engine/mod.ts";

function chunks(...parts: number[][]) {
  const list = parts.map((p) => Buffer.from(p));
  return { chunks: list, byteLength: list.reduce((n, c) => n + c.byteLength, 0) };
}

Deno.test("encodeCollectResponse() writes exactly the generated encoder's bytes", () => {
  const cases: [ReturnType<typeof chunks>, bigint, bigint][] = [
    [chunks([1, 2, 3], [4], [5, 6]), 3n, 0n],
    [chunks([9]), 0n, 7n],
    [chunks(), 0n, 0n],
    [chunks(new Array(300).fill(1)), 65536n, 2n ** 63n + 5n],
    [chunks(new Array(200_000).fill(7), [8]), 18_446_744_073_709_551_615n, 127n],
  ];
  for (const [ipc, rows, batchIndex] of cases) {
    const encoded = encodeCollectResponse(ipc, rows, batchIndex);
    const arrowIpc = Buffer.concat(ipc.chunks);
    const expected = CollectResponse.encode({ arrowIpc, rows, batchIndex }).finish();
    assert.deepEqual(new Uint8Array(encoded.wire), expected);
    assert.deepEqual(encoded.arrowIpc, arrowIpc);
    assert.equal(encoded.rows, rows);
    assert.equal(encoded.batchIndex, batchIndex);
    assert.equal(serializeCollectResponse(encoded), encoded.wire, "sent as it is");
  }
});

Deno.test("serializeCollectResponse() encodes a plain message as generated", () => {
  const plain = { arrowIpc: Buffer.from([1, 2]), rows: 2n, batchIndex: 1n };
  assert.deepEqual(
    new Uint8Array(serializeCollectResponse(plain)),
    CollectResponse.encode(plain).finish(),
  );
  assert.equal(DATAFRAME_SERVICE.collect.responseSerialize, serializeCollectResponse);
  assert.equal(DATAFRAME_SERVICE.collect.path, "/polaroid.v1.DataFrameService/Collect");
});

Deno.test("an encoded batch decodes with the generated decoder to the engine's IPC stream", () => {
  const df = pl.DataFrame({ a: [1, 2, 3], s: ["x", null, "z"] });
  const ipc = frameToIpcChunks(df);
  const encoded = encodeCollectResponse(ipc, 3n, 4n);
  const decoded = DATAFRAME_SERVICE.collect.responseDeserialize(encoded.wire);
  assert.equal(decoded.rows, 3n);
  assert.equal(decoded.batchIndex, 4n);
  assert.deepEqual(
    new Uint8Array(decoded.arrowIpc),
    new Uint8Array(df.writeIPCStream({ compression: "uncompressed" })),
  );
});
