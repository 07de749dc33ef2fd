import assert from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { jsonRecords, jsonText, msgpackRecords, parseRecordPath } from "./records.ts";

Deno.test("jsonRecords() cuts the records at a path out of the text, integers untouched", () => {
  const message =
    '{"type":"trades","data":[{"id":9007199254740993,"px":1.5},{"id":2,"s":"a,]}\\""}]}';
  assert.deepEqual(jsonRecords(message, parseRecordPath("data[*]")), [
    '{"id":9007199254740993,"px":1.5}',
    '{"id":2,"s":"a,]}\\""}',
  ]);
  assert.deepEqual(jsonRecords(' {"a": 1} ', []), ['{"a": 1}']);
  assert.deepEqual(jsonRecords('[{"a":1}, {"a":2}]', parseRecordPath("[*]")), [
    '{"a":1}',
    '{"a":2}',
  ]);
  assert.deepEqual(
    jsonRecords('{"p":{"t":[{"x":1}]},"q":[]}', parseRecordPath("p.t[*]")),
    ['{"x":1}'],
  );
  assert.deepEqual(jsonRecords('{"data":[]}', parseRecordPath("data[*]")), []);
});

Deno.test("jsonRecords() refuses what it cannot walk, never looping", () => {
  for (
    const [text, path] of [
      ['{"data":{"a":1}}', "data[*]"],
      ['{"other":[]}', "data[*]"],
      ['{"data":[1,2', "data[*]"],
      ['{"a":"unterminated', ""],
      ["", ""],
      ['{"a":1} trailing', ""],
      ["{a:1}", "a"],
    ] as const
  ) {
    assert.throws(() => jsonRecords(text, parseRecordPath(path)), Error, `${text} ${path}`);
  }
});

Deno.test("parseRecordPath() refuses bad paths", () => {
  for (const bad of ["a..b", "a[0]", "a[*", "a b", ".a", "x".repeat(300)]) {
    assert.throws(() => parseRecordPath(bad), /must/);
  }
});

Deno.test("msgpackRecords() decodes 64-bit integers exactly and writes JSON text", () => {
  const bytes = encode(
    { data: [{ id: 9007199254740993n, px: 1.5, raw: new Uint8Array([1, 2]) }] },
    {
      useBigInt64: true,
    },
  );
  assert.deepEqual(msgpackRecords(bytes, parseRecordPath("data[*]")), [
    '{"id":9007199254740993,"px":1.5,"raw":"AQI="}',
  ]);
  assert.equal(jsonText({ n: -5n, s: "bigint-1:2" }), '{"n":-5,"s":"bigint-1:2"}');
});
