import assert from "node:assert/strict";
import {
  DATA,
  END_STREAM,
  type FrameHeader,
  HEADERS,
  RST_STREAM,
  WINDOW_UPDATE,
} from "./_frames.ts";
import { LateFrames } from "./_late_frames.ts";

function header(type: number, streamId: number, length = 0, flags = 0): FrameHeader {
  return { bytes: Buffer.alloc(9), length, type, flags, streamId };
}

Deno.test("LateFrames drops what a peer sends on a reset stream, and gives the window back", () => {
  const late = new LateFrames();
  assert.equal(late.drop(header(DATA, 3, 100)), false, "a stream nobody reset");
  late.reset(3);
  assert.equal(late.drop(header(DATA, 3, 16384)), true);
  assert.equal(late.drop(header(WINDOW_UPDATE, 3, 4)), true);
  assert.equal(late.drop(header(HEADERS, 3, 20)), false, "HEADERS go on (HPACK)");
  assert.equal(late.drop(header(DATA, 3, 10, END_STREAM)), true);
  assert.equal(late.drop(header(DATA, 3, 10)), false, "nothing follows END_STREAM");
  assert.equal(late.dropped, 3);
  const update = late.windowUpdate()!;
  assert.equal(update[3], WINDOW_UPDATE);
  assert.equal(update.readUInt32BE(5), 0, "the connection's window");
  assert.equal(update.readUInt32BE(9), 16394);
  assert.equal(late.windowUpdate(), undefined, "given back once");
});

Deno.test("LateFrames forgets a stream at the peer's RST_STREAM and the oldest past its bound", () => {
  const late = new LateFrames();
  late.reset(5);
  assert.equal(late.drop(header(RST_STREAM, 5, 4)), true);
  assert.equal(late.drop(header(DATA, 5, 10)), false);
  for (let id = 1; id <= 2 * 4096 + 1; id += 2) late.reset(id);
  assert.equal(late.drop(header(DATA, 1, 1)), false, "the oldest was forgotten");
  assert.equal(late.drop(header(DATA, 2 * 4096 + 1, 1)), true);
});
