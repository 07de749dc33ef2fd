import assert from "node:assert/strict";
import { InvalidArgumentError } from "../../../shared/errors.ts";
import { FileFormat } from "../../../shared/gen/polaroid/v1/plan.ts";
import type { SinkOptions } from "../../../shared/gen/polaroid/v1/sink.ts";
import { MAX_FLOAT_PRECISION, sinkOptions } from "./options.ts";

const { FILE_FORMAT_PARQUET: PARQUET, FILE_FORMAT_CSV: CSV, FILE_FORMAT_IPC: IPC } = FileFormat;

Deno.test("sinkOptions() turns each set field into nodejs-polars' option", () => {
  assert.deepEqual(sinkOptions(PARQUET, undefined, 100), { mkdir: false, engine: {} });
  assert.deepEqual(
    sinkOptions(PARQUET, {
      compression: "zstd",
      compressionLevel: 3,
      rowGroupSize: 10n,
      statistics: { kind: { $case: "full", value: true } },
      maintainOrder: false,
      mkdir: true,
    }, 100),
    {
      mkdir: true,
      engine: {
        compression: "zstd",
        compressionLevel: 3,
        rowGroupSize: 10,
        statistics: "full",
        maintainOrder: false,
      },
    },
  );
  const set = { min: true, max: false, distinctCount: false, nullCount: true };
  assert.deepEqual(
    sinkOptions(PARQUET, { statistics: { kind: { $case: "set", value: set } } }, 1).engine,
    { statistics: set },
  );
  assert.deepEqual(
    sinkOptions(CSV, { separator: ";", batchSize: 100n, quoteStyle: "never" }, 100).engine,
    { separator: ";", batchSize: 100, quoteStyle: "never" },
  );
});

Deno.test("sinkOptions() refuses fields of other formats and values out of bounds, by name", () => {
  const refused: Array<[number, SinkOptions, RegExp]> = [
    [CSV, { rowGroupSize: 1n }, /'options\.rowGroupSize' must not be set for this format/],
    [IPC, { separator: "," }, /'options\.separator' must not be set/],
    [PARQUET, { compatLevel: "newest" }, /'options\.compatLevel' must not be set/],
    [IPC, { compression: "gzip" }, /'options\.compression' must be one of uncompressed, lz4, zstd/],
    [CSV, { compression: "snappy" }, /'options\.compression'/],
    [PARQUET, { compressionLevel: 23 }, /'options\.compressionLevel'/],
    [PARQUET, { rowGroupSize: 0n }, /'options\.rowGroupSize'/],
    [CSV, { batchSize: 101n }, /'options\.batchSize' must be an integer in \[1, 100\]/],
    [CSV, { separator: ";;" }, /'options\.separator' must be one printable ASCII/],
    [CSV, { separator: "é" }, /'options\.separator'/],
    [CSV, { quoteChar: "" }, /'options\.quoteChar'/],
    [CSV, { lineTerminator: "" }, /'options\.lineTerminator'/],
    [CSV, { nullValue: "x".repeat(257) }, /'options\.nullValue' must have at most 256/],
    [CSV, { floatPrecision: MAX_FLOAT_PRECISION + 1 }, /'options\.floatPrecision'/],
    [CSV, { quoteStyle: "sometimes" }, /'options\.quoteStyle'/],
    [PARQUET, { syncOnClose: "yes" }, /'options\.syncOnClose'/],
    [PARQUET, { statistics: {} }, /'options\.statistics'/],
    [PARQUET, { statistics: { kind: { $case: "full", value: false } } }, /statistics\.full/],
    [FileFormat.FILE_FORMAT_UNSPECIFIED, {}, /'target\.format'/],
  ];
  for (const [format, options, rule] of refused) {
    assert.throws(
      () => sinkOptions(format, options, 100),
      (e: unknown) => e instanceof InvalidArgumentError && rule.test(e.message),
      JSON.stringify(options, (_, v) => typeof v === "bigint" ? String(v) : v),
    );
  }
});
