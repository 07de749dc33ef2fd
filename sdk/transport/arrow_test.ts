import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  Float64,
  Int64,
  makeTable,
  Table,
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import pl from "nodejs-polars";
import { CollectResponse } from "../../shared/gen/polaroid/v1/dataframe.ts";
import {
  collectBatches,
  collectTable,
  decodeCollectResponse,
  UPLOAD_CHUNK_BYTES,
  uploadRequests,
} from "./arrow.ts";

/** Collect messages, one self-contained IPC stream per slice of `rows` rows. */
async function* messages(
  table: Table,
  rows: number,
): AsyncGenerator<Pick<CollectResponse, "arrowIpc">> {
  for (let offset = 0; offset < table.numRows; offset += rows) {
    const ipc = tableToIPC(table.slice(offset, offset + rows), "stream");
    yield { arrowIpc: Buffer.from(ipc) };
  }
}

async function* just(...ipcs: Uint8Array[]): AsyncGenerator<Pick<CollectResponse, "arrowIpc">> {
  for (const ipc of ipcs) yield { arrowIpc: Buffer.from(ipc) };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const big = 2n ** 62n + 1n;

function sample(rows: number): Table {
  return new Table({
    id: vectorFromArray(Array.from({ length: rows }, (_, i) => big + BigInt(i)), new Int64()),
    x: vectorFromArray(Array.from({ length: rows }, (_, i) => i / 2), new Float64()),
    s: vectorFromArray(
      Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? null : `s${i}`)),
      new Utf8(),
    ),
  });
}

Deno.test("uploadRequests() cuts the IPC stream into chunks of at most 1 MiB, TTL first", () => {
  const table = sample(200_000); // ~4.5 MB of IPC
  const expected = tableToIPC(table, "stream");
  const requests = [...uploadRequests(table, { ttlSeconds: 60 })];
  assert.ok(requests.length >= 4, `only ${requests.length} chunks`);
  assert.equal(requests.length, Math.ceil(expected.byteLength / UPLOAD_CHUNK_BYTES));
  for (const [i, r] of requests.entries()) {
    assert.ok(r.arrowIpc.byteLength <= UPLOAD_CHUNK_BYTES);
    if (i < requests.length - 1) assert.equal(r.arrowIpc.byteLength, UPLOAD_CHUNK_BYTES);
    assert.equal(r.ttlSeconds, i === 0 ? 60n : 0n);
  }
  const joined = concat(requests.map((r) => r.arrowIpc));
  assert.deepEqual(joined, expected);
  const back = tableFromIPC(joined);
  assert.equal(back.numRows, 200_000);
  assert.equal(back.getChild("id")!.get(199_999), big + 199_999n);
});

Deno.test("uploadRequests() honours a smaller chunk and sends one message for a small table", () => {
  const table = sample(10);
  const small = [...uploadRequests(table, { chunkBytes: 100 })];
  assert.ok(small.length > 1);
  assert.ok(small.every((r) => r.arrowIpc.byteLength <= 100));
  assert.deepEqual(concat(small.map((r) => r.arrowIpc)), tableToIPC(table, "stream"));
  assert.equal([...uploadRequests(table)].length, 1);
  assert.throws(
    () => [...uploadRequests(table, { chunkBytes: 0 })],
    /'chunkBytes' must be a positive integer/,
  );
  assert.throws(() => [...uploadRequests(table, { ttlSeconds: -1 })], /'ttlSeconds'/);
});

Deno.test("collectTable() joins several messages into one Table with exact Int64", async () => {
  const table = sample(25);
  const result = await collectTable(messages(table, 10));
  assert.equal(result.numRows, 25);
  assert.equal(result.batches.length, 3);
  assert.deepEqual(result.schema.fields.map((f) => f.name), ["id", "x", "s"]);
  assert.deepEqual(result.getChild("id")!.toArray(), table.getChild("id")!.toArray());
  assert.equal(result.getChild("id")!.get(24), big + 24n);
  assert.deepEqual([...result.getChild("s")!], [...table.getChild("s")!]);
});

Deno.test("collectTable() keeps the schema of an empty result", async () => {
  const empty = sample(0);
  const result = await collectTable(just(tableToIPC(empty, "stream")));
  assert.equal(result.numRows, 0);
  assert.deepEqual(result.schema.fields.map((f) => `${f.name}:${f.type}`), [
    "id:Int64",
    "x:Float64",
    "s:Utf8",
  ]);
});

Deno.test("collectTable() of no message at all is a Table without columns", async () => {
  const result = await collectTable(just());
  assert.equal(result.numRows, 0);
  assert.equal(result.numCols, 0);
});

Deno.test("collectTable() decodes streams written by nodejs-polars, categoricals included", async () => {
  const df = pl.DataFrame({ k: ["a", "b", "a"], v: [1, 2, 3] })
    .withColumns(pl.col("k").cast(pl.Categorical), pl.col("v").cast(pl.Int64));
  const first = df.slice(0, 2).writeIPCStream();
  const second = df.slice(2, 1).writeIPCStream();
  const result = await collectTable(just(first, second));
  assert.equal(result.numRows, 3);
  assert.deepEqual([...result.getChild("k")!], ["a", "b", "a"]);
  assert.deepEqual([...result.getChild("v")!], [1n, 2n, 3n]);
  const empty = await collectTable(just(df.filter(pl.col("v").gt(10)).writeIPCStream()));
  assert.equal(empty.numRows, 0);
  assert.deepEqual(empty.schema.fields.map((f) => f.name), ["k", "v"]);
});

Deno.test("collectBatches() yields the non-empty batches in order", async () => {
  const table = tableFromArrays({ n: Float64Array.from({ length: 7 }, (_, i) => i) });
  const sizes: number[] = [];
  const values: number[] = [];
  const withEmpty = async function* () {
    yield* messages(table, 3);
    yield { arrowIpc: Buffer.from(tableToIPC(makeTable({ n: new Float64Array(0) }), "stream")) };
  };
  for await (const batch of collectBatches(withEmpty())) {
    sizes.push(batch.numRows);
    values.push(...batch.getChild("n")!.toArray());
  }
  assert.deepEqual(sizes, [3, 3, 1]);
  assert.deepEqual(values, [0, 1, 2, 3, 4, 5, 6]);
});

Deno.test("decodeCollectResponse() agrees with the generated decoder, payload as a view", () => {
  const cases = [
    { arrowIpc: Buffer.from([1, 2, 3]), rows: 3n, batchIndex: 0n },
    { arrowIpc: Buffer.alloc(0), rows: 0n, batchIndex: 0n },
    { arrowIpc: Buffer.alloc(70_000, 9), rows: 18_446_744_073_709_551_615n, batchIndex: 2n ** 40n },
    {
      arrowIpc: Buffer.alloc(0),
      rows: 0n,
      batchIndex: 0n,
      bulk: {
        url: "http://127.0.0.1:1/v1/bulk/collect",
        ticket: "t".repeat(43),
        expiresInMs: 30_000n,
        batches: 7n,
        startBatch: 2n,
        batchSize: 100,
        maxBytes: 0n,
      },
    },
  ];
  for (const message of cases) {
    const bytes = CollectResponse.encode(message).finish();
    const decoded = decodeCollectResponse(bytes);
    assert.deepEqual(decoded, CollectResponse.decode(bytes));
    if (message.arrowIpc.byteLength > 0) {
      assert.equal(decoded.arrowIpc.buffer, bytes.buffer, "a view, not a copy");
    }
  }
});

Deno.test("decodeCollectResponse() skips unknown fields and refuses cut messages", () => {
  const known = CollectResponse.encode({ arrowIpc: Buffer.from([7, 8]), rows: 2n, batchIndex: 5n })
    .finish();
  // Field 9 as a varint, field 10 as bytes, field 11 as fixed64, field 12 as fixed32.
  const unknown = [
    0x48,
    0x96,
    0x01,
    0x52,
    0x02,
    0xaa,
    0xbb,
    0x59,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    0x65,
    1,
    2,
    3,
    4,
  ];
  const decoded = decodeCollectResponse(new Uint8Array([...unknown, ...known]));
  assert.deepEqual(decoded, {
    arrowIpc: Buffer.from([7, 8]),
    rows: 2n,
    batchIndex: 5n,
    bulk: undefined,
  });
  assert.throws(() => decodeCollectResponse(known.subarray(0, 3)), RangeError);
  assert.throws(() => decodeCollectResponse(new Uint8Array([0x10, 0x80])), RangeError);
});
