import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import pl from "nodejs-polars";
import { FlightData } from "../../../shared/gen/arrow/flight/protocol/Flight.ts";
import { frameFromIpc, frameToIpcChunks } from "../engine/mod.ts";
import {
  flightDataToIpc,
  IPC_EOS,
  ipcToFlightData,
  schemaMessage,
  serializeFlightData,
} from "./flight_data.ts";

const frame = (offset: number) =>
  pl.DataFrame({
    a: [offset, offset + 1, offset + 2],
    s: ["x", "y", null],
    c: pl.Series("c", ["u", "v", "u"]).cast(pl.Categorical),
  });

/** The FlightData of a frame's batches as a client decodes them, framed back into IPC. */
function roundTrip(frames: pl.DataFrame[]): pl.DataFrame {
  const pieces: Uint8Array[] = [];
  frames.forEach((df, i) => {
    for (const message of ipcToFlightData(frameToIpcChunks(df), { skipSchema: i > 0 })) {
      // What goes on the wire decodes, with the generated decoder, to the same message.
      const decoded = FlightData.decode(serializeFlightData(message));
      assert.deepEqual(decoded.dataHeader, message.dataHeader);
      assert.deepEqual(decoded.dataBody, message.dataBody);
      pieces.push(...flightDataToIpc(decoded));
    }
  });
  pieces.push(IPC_EOS);
  const bytes = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.byteLength;
  }
  return frameFromIpc(bytes, {}) as pl.DataFrame;
}

Deno.test("a frame's batches travel as FlightData, the schema once, and frame back equal", () => {
  const got = roundTrip([frame(0), frame(3), frame(6)]);
  const want = pl.concat([frame(0), frame(3), frame(6)]);
  assert.deepEqual(got.toRecords(), want.toRecords());
  assert.deepEqual(got.dtypes.map(String), want.dtypes.map(String));
});

Deno.test("the schema is sent only with the first batch", () => {
  const kinds = (skipSchema: boolean) =>
    [...ipcToFlightData(frameToIpcChunks(frame(0)), { skipSchema })].map((m) => m.dataBody.length);
  const first = kinds(false);
  const later = kinds(true);
  // Schema (no body), dictionary batch, record batch; then without the schema.
  assert.equal(first.length, 3);
  assert.equal(first[0], 0);
  assert.deepEqual(later, first.slice(1));
});

Deno.test("a FlightData with a body but no header is refused; metadata alone frames to nothing", () => {
  assert.throws(
    () =>
      flightDataToIpc({
        flightDescriptor: undefined,
        dataHeader: Buffer.alloc(0),
        appMetadata: Buffer.alloc(0),
        dataBody: Buffer.alloc(8),
      }),
    /has a body of 8 bytes but no 'data_header'/,
  );
  const only = FlightData.decode(
    FlightData.encode({
      flightDescriptor: undefined,
      dataHeader: Buffer.alloc(0),
      appMetadata: Buffer.from("hi"),
      dataBody: Buffer.alloc(0),
    }).finish(),
  );
  assert.deepEqual(flightDataToIpc(only), []);
});

Deno.test("schemaMessage() is the framed Schema message of a stream", () => {
  const ipc = frameToIpcChunks(frame(0));
  const bytes = new Uint8Array(ipc.byteLength);
  let at = 0;
  for (const chunk of ipc.chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  const schema = schemaMessage(bytes);
  const view = new DataView(schema.buffer, schema.byteOffset);
  assert.equal(view.getUint32(0, true), 0xffffffff);
  assert.equal(schema.byteLength, 8 + view.getInt32(4, true));
  assert.throws(() => schemaMessage(new Uint8Array([1, 2, 3])), /continuation marker/);
});
