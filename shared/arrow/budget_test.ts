/**
 * Compressed buffers declare their decoded size in an 8-byte prefix, and the engine
 * allocates what they declare: lies and bombs are refused before it reads them.
 */

import assert from "node:assert/strict";
import * as arrow from "apache-arrow";
import pl from "nodejs-polars";
import { Budget } from "./budget.ts";
import { validateIpc } from "./validate_ipc.ts";
import {
  assertRefused,
  batchSlots,
  compressedPrefixes,
  joinStream,
  messageBytes,
  messagesOf,
  polarsStream,
  withInt64,
} from "./_testing.ts";

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** A few hundred bytes: one boolean column with a null, so a validity bitmap and values. */
function tiny(compression: "lz4" | "zstd"): Uint8Array {
  return polarsStream(pl.DataFrame({ flag: [true, null, false] }), compression);
}

Deno.test("validateIpc() refuses a buffer declaring 2^61 decoded bytes (the 416-byte abort)", () => {
  for (const codec of ["lz4", "zstd"] as const) {
    const bytes = tiny(codec);
    assert.ok(bytes.byteLength < 512);
    const prefixes = compressedPrefixes(bytes);
    assert.equal(prefixes.length, 2, "validity and values");
    for (const at of prefixes) {
      assertRefused(withInt64(bytes, at, 2n ** 61n), /declaring 2305843009213693952 bytes/, {
        limit: "POLAROID_MAX_UPLOAD_DECODED_BYTES",
      });
      // Under a lenient absolute limit, the ratio to the bytes received still refuses it.
      assertRefused(withInt64(bytes, at, 2n ** 40n), /declaring 1099511627776 bytes/, {
        maxDecodedBytes: 2 ** 50,
        limit: "POLAROID_MAX_IPC_EXPANSION",
      });
      assertRefused(withInt64(bytes, at, 2n ** 63n - 1n), /POLAROID_MAX_UPLOAD_DECODED_BYTES/);
    }
  }
});

Deno.test("validateIpc() refuses negative decoded lengths other than -1 (stored uncompressed)", () => {
  const bytes = tiny("zstd");
  const [validity] = compressedPrefixes(bytes);
  assertRefused(withInt64(bytes, validity!, -2n), /at least 0, or -1.*current value is -2/);
  assertRefused(withInt64(bytes, validity!, -(2n ** 63n)), /at least 0, or -1/);
  // -1: the rest of the buffer is the data as is, and it counts at its own size.
  const stored = validateIpc(withInt64(bytes, validity!, -1n));
  assert.equal(stored.rows, 3);
});

Deno.test("validateIpc() refuses a decoded length too small for the buffer's node", () => {
  const bytes = tiny("lz4");
  const [, values] = compressedPrefixes(bytes);
  // Three booleans need one byte once decoded.
  assertRefused(withInt64(bytes, values!, 0n), /at least 1 bytes for 3 slots once decoded/);
});

/**
 * An expansion bomb: the zstd record batches of 1M zero Int64s (8 MiB decoded, about a
 * kilobyte sent), repeated 128 times in one valid stream: 1 GiB decoded from about 150 KB.
 */
function bomb(): Uint8Array {
  const zeros = pl.DataFrame({ x: pl.Series("x", new Float64Array(1 << 20)).cast(pl.Int64) });
  const one = polarsStream(zeros, "zstd");
  const [schema, ...batches] = messagesOf(one).map((m) => messageBytes(one, m));
  return joinStream([schema!, ...Array.from({ length: 128 }, () => batches).flat()]);
}

Deno.test("validateIpc() refuses an expansion bomb by its ratio of decoded to received bytes", () => {
  const bytes = bomb();
  assert.ok(bytes.byteLength < 192 * 1024, `${bytes.byteLength} bytes`);
  const error = assertRefused(bytes, /100× the \d+ bytes received, or 67108864 bytes/, {
    limit: "POLAROID_MAX_IPC_EXPANSION",
  });
  assert.match(error.message, /POLAROID_IPC_EXPANSION_FLOOR/);
  // It is a valid stream: with the ratio out of the way it passes, at 1 GiB decoded.
  const lenient = validateIpc(bytes, { maxExpansion: 1e9 });
  assert.equal(lenient.decodedBytes, GIB);
  assert.equal(lenient.rows, 128 << 20);
  // ... unless the absolute limit refuses it.
  assertRefused(bytes, /at most 536870912 bytes/, {
    maxExpansion: 1e9,
    maxDecodedBytes: 512 * MIB,
    limit: "POLAROID_MAX_UPLOAD_DECODED_BYTES",
  });
});

Deno.test("validateIpc() lets small uploads of very compressible data through under the floor", () => {
  // 1M zeros: 8 MiB decoded from a few hundred bytes, far past 100× but under 64 MiB.
  const zeros = pl.DataFrame({ x: pl.Series("x", new Float64Array(1 << 20)).cast(pl.Int64) });
  const bytes = polarsStream(zeros, "zstd");
  assert.ok(bytes.byteLength * 100 < 8 * MIB);
  assert.equal(validateIpc(bytes).decodedBytes, 8 * MIB);
  assertRefused(bytes, /POLAROID_MAX_IPC_EXPANSION/, { expansionFloorBytes: MIB });
});

Deno.test("validateIpc() counts uncompressed buffers at their size, against the same limits", () => {
  const df = pl.DataFrame({ x: pl.Series("x", new Float64Array(1000)) });
  const bytes = polarsStream(df, "uncompressed");
  assert.equal(validateIpc(bytes).decodedBytes, 8000);
  assertRefused(bytes, /at most 4000 bytes/, { maxDecodedBytes: 4000 });
});

Deno.test("validateIpc() refuses more rows than POLAROID_MAX_RESULT_ROWS in all", () => {
  const one = polarsStream(pl.DataFrame({ x: [1, 2, 3] }), "uncompressed");
  const [schema, batch] = messagesOf(one);
  const three = joinStream([schema, batch, batch, batch].map((m) => messageBytes(one, m!)));
  assert.equal(validateIpc(three, { maxRows: 9 }).rows, 9);
  assertRefused(three, /at most 8 rows.*current value is at least 9/, {
    maxRows: 8,
    limit: "POLAROID_MAX_RESULT_ROWS",
  });
  const [slots] = batchSlots(messagesOf(one));
  assertRefused(withInt64(one, slots!.length!, 2n ** 40n), /at most 2000000000 rows/);
});

Deno.test("validateIpc() counts slots without buffers (Null columns) as a bit each", () => {
  const nulls = arrow.vectorFromArray([null, null, null], new arrow.Null());
  const bytes = arrow.tableToIPC(new arrow.Table({ n: nulls }), "stream");
  assert.equal(validateIpc(bytes).decodedBytes, 1);
  // 232 bytes declaring 1.9 billion rows of nulls: 237.5 MB as bitmaps, far past 100×.
  const [slots] = batchSlots(messagesOf(bytes));
  const rows = 1_900_000_000n;
  const many = withInt64(withInt64(bytes, slots!.length!, rows), slots!.nodes[0]!, rows);
  assertRefused(many, /1900000000 slots without buffers/, { limit: "POLAROID_MAX_IPC_EXPANSION" });
});

Deno.test("validateIpc() counts the arrays of empty batches, which the engine holds anyway", () => {
  const columns = Array.from(
    { length: 200 },
    (_, i) => pl.Series(`c${i}`, [] as number[], pl.Int64),
  );
  const one = polarsStream(pl.DataFrame(columns), "uncompressed");
  const [schema, batch] = messagesOf(one).map((m) => messageBytes(one, m));
  // 100 empty batches of 200 columns: no data, 20,000 arrays of 512 bytes each.
  const bytes = joinStream([schema!, ...Array<Uint8Array>(100).fill(batch!)]);
  assert.equal(validateIpc(bytes, { maxDecodedBytes: 16 * MIB }).decodedBytes, 0);
  assertRefused(bytes, /512 bytes per field node\) at most 8388608 bytes/, {
    maxDecodedBytes: 8 * MIB,
    limit: "POLAROID_MAX_UPLOAD_DECODED_BYTES",
  });
});

Deno.test("Budget compares declared sizes beyond 2^53 exactly", () => {
  const budget = new Budget(100, {
    maxDecodedBytes: 1000,
    maxExpansion: 2,
    expansionFloorBytes: 500,
    maxRows: 10,
  });
  assert.equal(budget.remaining, 500);
  budget.addDecoded(500, "x");
  assert.throws(() => budget.addDecoded(1, "y"), /2× the 100 bytes received, or 500 bytes/);
  assert.throws(
    () => budget.addDecoded(2n ** 64n, "z"),
    /current value is at least 18446744073709552116/,
  );
  assert.equal(budget.decoded, 500);
});
