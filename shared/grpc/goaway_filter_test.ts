import assert from "node:assert/strict";
import { GoawayStripper } from "./goaway_filter.ts";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

function frame(type: number, payload: Buffer, streamId = 0): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header.writeUInt32BE(streamId, 5);
  return Buffer.concat([header, payload]);
}

const SETTINGS = frame(0x4, Buffer.alloc(12, 1));
const DATA = frame(0x0, Buffer.from("hello world"), 1);
const GOAWAY = frame(0x7, Buffer.alloc(8, 0xab));
const PING = frame(0x6, Buffer.alloc(8, 2));

Deno.test("GoawayStripper passes every frame but GOAWAY, byte for byte", () => {
  const stripper = new GoawayStripper();
  const input = Buffer.concat([PREFACE, SETTINGS, DATA, GOAWAY, PING]);
  const out = Buffer.concat(stripper.push(input));
  assert.deepEqual(out, Buffer.concat([PREFACE, SETTINGS, DATA, PING]));
  assert.equal(stripper.dropped, 1);
});

Deno.test("GoawayStripper copes with frames split at every byte boundary", () => {
  const input = Buffer.concat([PREFACE, SETTINGS, GOAWAY, DATA, GOAWAY, PING]);
  const expected = Buffer.concat([PREFACE, SETTINGS, DATA, PING]);
  for (const size of [1, 2, 5, 9, 10, 23, 24, 25, 31]) {
    const stripper = new GoawayStripper();
    const parts: Buffer[] = [];
    for (let i = 0; i < input.length; i += size) {
      parts.push(...stripper.push(input.subarray(i, i + size)));
    }
    assert.deepEqual(Buffer.concat(parts), expected, `chunks of ${size}`);
    assert.equal(stripper.dropped, 2);
  }
});
