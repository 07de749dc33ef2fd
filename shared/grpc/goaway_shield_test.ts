import assert from "node:assert/strict";
import { type GoawayInfo, GoawayShield } from "./goaway_shield.ts";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const END_STREAM = 0x1;
const END_HEADERS = 0x4;

function frame(type: number, flags: number, streamId: number, payload = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId, 5);
  return Buffer.concat([header, payload]);
}

const settings = () => frame(0x4, 0, 0, Buffer.alloc(6, 1));
const headers = (id: number, flags = END_HEADERS) => frame(0x1, flags, id, Buffer.from("hpack"));
const data = (id: number, text: string, flags = 0) => frame(0x0, flags, id, Buffer.from(text));
const rst = (id: number, code: number) => {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(code);
  return frame(0x3, 0, id, payload);
};
const refused = (id: number) => rst(id, 0x7);
function goaway(last: number, code = 0, debug = ""): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(last, 0);
  payload.writeUInt32BE(code, 4);
  return frame(0x7, 0, 0, Buffer.concat([payload, Buffer.from(debug)]));
}

/** A shield whose deliveries and reports land in one log, in order. */
function recorder() {
  const log: Array<Buffer | GoawayInfo> = [];
  const shield = new GoawayShield({
    deliver: (part) => log.push(Buffer.from(part)),
    goaway: (info) => log.push({ ...info, debugData: Buffer.from(info.debugData) }),
  });
  /** The bytes delivered, with "|GOAWAY|" where the report came. */
  const bytes = () =>
    Buffer.concat(log.map((e) => (e instanceof Buffer ? e : Buffer.from("|GOAWAY|"))));
  const reports = () => log.filter((e): e is GoawayInfo => !(e instanceof Buffer));
  return { shield, bytes, reports };
}

/** The client opens streams 1, 3, 5, 7 (request HEADERS and a DATA each). */
function openStreams(shield: GoawayShield, ids = [1, 3, 5, 7]) {
  shield.outbound(Buffer.concat([PREFACE, settings()]));
  for (const id of ids) shield.outbound(Buffer.concat([headers(id), data(id, "req", END_STREAM)]));
}

Deno.test("GoawayShield passes every inbound frame unchanged while no GOAWAY comes", () => {
  const { shield, bytes } = recorder();
  openStreams(shield);
  const input = Buffer.concat([
    settings(),
    headers(1),
    data(1, "a"),
    headers(1, END_HEADERS | END_STREAM),
    rst(3, 0x8),
    data(5, "b", END_STREAM),
  ]);
  shield.inbound(input);
  assert.deepEqual(bytes(), input);
  assert.equal(shield.openStreams, 1, "only stream 7 is left open");
});

Deno.test("GoawayShield drops a GOAWAY and refuses the open streams above its last stream id", () => {
  const { shield, bytes, reports } = recorder();
  openStreams(shield);
  shield.inbound(Buffer.concat([settings(), goaway(3, 0, "drain"), data(1, "x"), data(3, "y")]));
  assert.deepEqual(
    bytes(),
    Buffer.concat([
      settings(),
      Buffer.from("|GOAWAY|"),
      refused(5),
      refused(7),
      data(1, "x"),
      data(3, "y"),
    ]),
    "the report comes after the bytes before the GOAWAY and before the refusals",
  );
  const [report] = reports();
  assert.equal(report?.lastStreamId, 3);
  assert.equal(report?.errorCode, 0);
  assert.equal(report?.debugData.toString(), "drain");
  assert.equal(report?.refused, 2);
  assert.equal(shield.goaways, 1);
  assert.equal(shield.refused, 2);
});

Deno.test("GoawayShield does not refuse streams the server already ended", () => {
  const { shield, bytes } = recorder();
  openStreams(shield);
  shield.outbound(rst(7, 0x8)); // the client cancels 7
  shield.inbound(Buffer.concat([headers(5, END_HEADERS | END_STREAM), goaway(1)]));
  assert.deepEqual(
    bytes(),
    Buffer.concat([headers(5, END_HEADERS | END_STREAM), Buffer.from("|GOAWAY|"), refused(3)]),
  );
});

Deno.test("GoawayShield refuses a stream opened after the GOAWAY at the next frame boundary", () => {
  const { shield, bytes } = recorder();
  openStreams(shield, [1]);
  const big = data(1, "0123456789");
  shield.inbound(Buffer.concat([goaway(1), big.subarray(0, 12)]));
  // Stream 3 opens while the inbound DATA frame is half delivered.
  shield.outbound(headers(3));
  shield.flush();
  assert.equal(shield.pendingRefusals, 1, "not in the middle of a frame");
  shield.inbound(big.subarray(12));
  assert.deepEqual(bytes(), Buffer.concat([Buffer.from("|GOAWAY|"), big, refused(3)]));
  // Between frames, flush() delivers at once.
  shield.outbound(Buffer.concat([headers(5), data(5, "z")]));
  shield.flush();
  assert.deepEqual(bytes(), Buffer.concat([Buffer.from("|GOAWAY|"), big, refused(3), refused(5)]));
  // Trailers on an existing stream open nothing.
  shield.outbound(headers(1, END_HEADERS | END_STREAM));
  shield.flush();
  assert.equal(shield.refused, 2);
});

Deno.test("GoawayShield: a later GOAWAY with a lower last stream id refuses the streams between", () => {
  const { shield, bytes, reports } = recorder();
  openStreams(shield);
  // A shutdown notice (last stream id 2^31-1) refuses nothing, and new streams still go.
  shield.inbound(goaway(0x7fffffff));
  shield.outbound(headers(9));
  shield.flush();
  assert.equal(shield.refused, 0);
  shield.inbound(goaway(5, 0, ""));
  assert.deepEqual(
    bytes(),
    Buffer.concat([Buffer.from("|GOAWAY|"), Buffer.from("|GOAWAY|"), refused(7), refused(9)]),
  );
  assert.deepEqual(reports().map((r) => [r.lastStreamId, r.refused]), [[0x7fffffff, 0], [5, 2]]);
});

Deno.test("GoawayShield gives the same bytes whatever the chunk boundaries", () => {
  const inbound = Buffer.concat([
    settings(),
    headers(1),
    data(1, "first"),
    goaway(3, 2, "bye"),
    data(3, "second", END_STREAM),
    headers(1, END_HEADERS | END_STREAM),
  ]);
  const expected = Buffer.concat([
    settings(),
    headers(1),
    data(1, "first"),
    Buffer.from("|GOAWAY|"),
    refused(5),
    refused(7),
    data(3, "second", END_STREAM),
    headers(1, END_HEADERS | END_STREAM),
  ]);
  const outbound = Buffer.concat([PREFACE, settings(), ...[1, 3, 5, 7].map((id) => headers(id))]);
  for (const size of [1, 2, 3, 8, 9, 10, 17, 23, 24, 25, 40]) {
    const { shield, bytes, reports } = recorder();
    for (let i = 0; i < outbound.length; i += size) shield.outbound(outbound.subarray(i, i + size));
    for (let i = 0; i < inbound.length; i += size) shield.inbound(inbound.subarray(i, i + size));
    assert.deepEqual(bytes(), expected, `chunks of ${size}`);
    assert.equal(reports()[0]?.errorCode, 2);
    assert.equal(reports()[0]?.debugData.toString(), "bye");
  }
});

Deno.test("GoawayShield delivers views of the input, merged where frames follow each other", () => {
  const parts: Buffer[] = [];
  const shield = new GoawayShield({ deliver: (p) => parts.push(p), goaway: () => {} });
  const input = Buffer.concat([settings(), data(1, "a"), goaway(1), data(1, "b")]);
  shield.inbound(input);
  assert.equal(parts.length, 2, "one part before the GOAWAY, one after");
  assert.equal(parts[0]!.buffer, input.buffer);
});
