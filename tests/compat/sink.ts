/**
 * Compatibility cases of writing results out: each case writes one frame with the same
 * options in-process (nodejs-polars' `lf.sinkParquet(path, options).collect()`, ... or its
 * eager `df.writeCSV(path, options)`, ...) and through the SDK into the cluster's output root;
 * tests/sink_test.ts reads both files back and compares them (the bytes of CSV and NDJSON,
 * the frames of Parquet and IPC).
 *
 * @module
 */

import pl from "nodejs-polars";

/** nodejs-polars' sinks (LazyDataFrame) and eager writes (DataFrame). */
export type SinkName = "sinkParquet" | "sinkCSV" | "sinkIpc" | "sinkNdJson";
export type WriteName = "writeParquet" | "writeCSV" | "writeIPC" | "writeJSON";

/** One case. */
export interface SinkCase {
  /** `<Interface>.<method>` and `<Interface>.<method>.<option>` names. */
  covers: readonly string[];
  /** A sink of the lazy frame, or an eager write of the stored frame. */
  method: SinkName | WriteName;
  /** Where the file goes, relative to the output root (the local directory in-process). */
  path: string;
  /** The options, the same on both engines. */
  options: Record<string, unknown>;
  /** Rows may come in any order (`maintainOrder: false`): compare them sorted. */
  unordered?: boolean;
  /** Write the columns of nested types too (Parquet and IPC take them). @default false */
  nested?: boolean;
}

const DAY_MS = 86_400_000;
const BASE_MS = Date.UTC(2024, 2, 8, 9, 30);

/** Eight rows of every scalar type, with nulls, quotes, separators and line breaks in text. */
export function sinkFrame(): pl.DataFrame {
  const ms = [0, 1, 61, 3600, 7201, 86_399, 90_000, 500_000].map((s) => BASE_MS + s * 1000);
  return pl.DataFrame([
    pl.Series("i", [3, -1, null, 7, 0, 12, -5, 2 ** 40], pl.Int64),
    pl.Series("f", [1.5, -2.25, NaN, null, 0, 1e-7, 123456.789, 3e20]),
    pl.Series("s", ["plain", 'quo"te', null, "a,b", "line\nbreak", "", "tab\there", "ünï"]),
    pl.Series("b", [true, false, null, true, true, false, false, true]),
    pl.Series("d", Int32Array.from(ms.map((m, k) => Math.floor(m / DAY_MS) + k))).cast(pl.Date),
    pl.Series("t", BigInt64Array.from(ms.map((m) => BigInt(m) * 1000n + 7n)), pl.Int64)
      .cast(pl.Datetime("us")),
    pl.Series("tm", BigInt64Array.from(ms.map((m) => BigInt(m % DAY_MS) * 1_000_000n)), pl.Int64)
      .cast(pl.Time),
    pl.Series("l", [[1, 2], [3], [], null, [4], [5, 6], [7], [8]]).cast(pl.List(pl.Int64)),
  ]);
}

const P = "LazyDataFrame.sinkParquet";
const C = "LazyDataFrame.sinkCSV";
const I = "LazyDataFrame.sinkIpc";
const J = "LazyDataFrame.sinkNdJson";

export const SINK_CASES: readonly SinkCase[] = [
  {
    covers: [P, `${P}.compression`, `${P}.compressionLevel`, `${P}.statistics`],
    method: "sinkParquet",
    path: "zstd.parquet",
    options: { compression: "zstd", compressionLevel: 9, statistics: "full" },
    nested: true,
  },
  {
    covers: [P, `${P}.rowGroupSize`, `${P}.dataPagesizeLimit`, `${P}.syncOnClose`],
    method: "sinkParquet",
    path: "groups.parquet",
    options: {
      compression: "lz4",
      rowGroupSize: 3,
      dataPagesizeLimit: 1024,
      syncOnClose: "all",
      statistics: false,
    },
    nested: true,
  },
  {
    covers: [P, `${P}.maintainOrder`, `${P}.mkdir`],
    method: "sinkParquet",
    path: "deep/er/unordered.parquet",
    options: { maintainOrder: false, mkdir: true, compression: "snappy" },
    unordered: true,
  },
  {
    covers: [P, `${P}.statistics`],
    method: "sinkParquet",
    path: "stats.parquet",
    options: { compression: "gzip", statistics: { min: true, max: true, nullCount: true } },
  },
  {
    covers: [C],
    method: "sinkCSV",
    path: "plain.csv",
    options: {},
  },
  {
    covers: [
      C,
      `${C}.separator`,
      `${C}.quoteChar`,
      `${C}.lineTerminator`,
      `${C}.includeBom`,
      `${C}.includeHeader`,
      `${C}.nullValue`,
      `${C}.quoteStyle`,
    ],
    method: "sinkCSV",
    path: "styled.csv",
    options: {
      separator: ";",
      quoteChar: "'",
      lineTerminator: "\r\n",
      includeBom: true,
      includeHeader: false,
      nullValue: "NA",
      quoteStyle: "non_numeric",
    },
  },
  {
    covers: [
      C,
      `${C}.datetimeFormat`,
      `${C}.dateFormat`,
      `${C}.timeFormat`,
      `${C}.floatPrecision`,
      `${C}.decimalComma`,
      `${C}.batchSize`,
    ],
    method: "sinkCSV",
    path: "formats.csv",
    options: {
      datetimeFormat: "%Y/%m/%d %H:%M:%S%.6f",
      dateFormat: "%d.%m.%Y",
      timeFormat: "%H-%M",
      floatPrecision: 3,
      decimalComma: true,
      batchSize: 2,
    },
  },
  {
    covers: [C, `${C}.floatScientific`, `${C}.quoteStyle`, `${C}.syncOnClose`],
    method: "sinkCSV",
    path: "sci.csv",
    options: { floatScientific: true, quoteStyle: "always", syncOnClose: "data" },
  },
  {
    covers: [C, `${C}.compression`, `${C}.compressionLevel`],
    method: "sinkCSV",
    path: "packed.csv.gz",
    options: { compression: "gzip", compressionLevel: 6 },
  },
  {
    covers: [C, `${C}.compression`, `${C}.checkExtension`, `${C}.mkdir`, `${C}.maintainOrder`],
    method: "sinkCSV",
    path: "made/zstd-named.csv",
    options: { compression: "zstd", checkExtension: false, mkdir: true, maintainOrder: true },
  },
  {
    covers: [I, `${I}.compression`, `${I}.compatLevel`],
    method: "sinkIpc",
    path: "newest.arrow",
    options: { compression: "zstd", compatLevel: "newest" },
    nested: true,
  },
  {
    covers: [I, `${I}.compression`, `${I}.compatLevel`, `${I}.syncOnClose`],
    method: "sinkIpc",
    path: "oldest.arrow",
    options: { compression: "lz4", compatLevel: "oldest", syncOnClose: "all" },
    nested: true,
  },
  {
    covers: [I, `${I}.maintainOrder`, `${I}.mkdir`],
    method: "sinkIpc",
    path: "ipc/dir/plain.arrow",
    options: { maintainOrder: false, mkdir: true },
    unordered: true,
  },
  {
    covers: [J],
    method: "sinkNdJson",
    path: "rows.ndjson",
    options: {},
    nested: true,
  },
  {
    covers: [J, `${J}.compression`, `${J}.compressionLevel`, `${J}.syncOnClose`],
    method: "sinkNdJson",
    path: "rows.ndjson.zst",
    options: { compression: "zstd", compressionLevel: 3, syncOnClose: "none" },
    nested: true,
  },
  {
    covers: [J, `${J}.checkExtension`, `${J}.maintainOrder`, `${J}.mkdir`],
    method: "sinkNdJson",
    path: "json/gz-named.ndjson",
    options: { compression: "gzip", checkExtension: false, maintainOrder: true, mkdir: true },
  },
];

const WC = "DataFrame.writeCSV";

/** The eager writes, against nodejs-polars' own `df.write*(path, options)`. */
export const WRITE_CASES: readonly SinkCase[] = [
  {
    covers: ["DataFrame.writeParquet", "DataFrame.writeParquet.compression"],
    method: "writeParquet",
    path: "written.parquet",
    options: { compression: "zstd" },
    nested: true,
  },
  {
    covers: ["DataFrame.writeParquet"],
    method: "writeParquet",
    path: "written-plain.parquet",
    options: {},
    nested: true,
  },
  {
    covers: ["DataFrame.writeIPC", "DataFrame.writeIPC.compression"],
    method: "writeIPC",
    path: "written.arrow",
    options: { compression: "lz4" },
    nested: true,
  },
  {
    covers: ["DataFrame.writeJSON", "DataFrame.writeJSON.format"],
    method: "writeJSON",
    path: "written.ndjson",
    options: { format: "lines" },
    nested: true,
  },
  {
    covers: ["DataFrame.writeCSV"],
    method: "writeCSV",
    path: "written.csv.gz",
    options: {},
  },
  {
    covers: [
      WC,
      `${WC}.separator`,
      `${WC}.quoteChar`,
      `${WC}.lineTerminator`,
      `${WC}.includeBom`,
      `${WC}.includeHeader`,
      `${WC}.nullValue`,
      `${WC}.batchSize`,
    ],
    method: "writeCSV",
    path: "written-styled.csv",
    options: {
      separator: "|",
      quoteChar: "'",
      lineTerminator: "\r\n",
      includeBom: true,
      includeHeader: false,
      nullValue: "∅",
      batchSize: 3,
    },
  },
  {
    covers: [
      WC,
      `${WC}.datetimeFormat`,
      `${WC}.dateFormat`,
      `${WC}.timeFormat`,
      `${WC}.floatPrecision`,
      `${WC}.syncOnClose`,
      `${WC}.mkdir`,
    ],
    method: "writeCSV",
    path: "written-formats.csv",
    options: {
      datetimeFormat: "%Y-%m-%dT%H:%M",
      dateFormat: "%Y%m%d",
      timeFormat: "%H:%M:%S",
      floatPrecision: 1,
      syncOnClose: "all",
      mkdir: false,
    },
  },
];
