/**
 * The option audit's entries for writing results out (sdk/option_audit.ts): what the SDK does
 * with each option of nodejs-polars' sinks (`LazyDataFrame.sinkParquet`, `sinkCSV`,
 * `sinkIpc`, `sinkNdJson`, part of FRAME_OPTIONS) and of its DataFrame writes
 * (`DataFrame.writeParquet`, `writeCSV`, `writeIPC`, `writeJSON`, kept apart: the audit test
 * reads LazyDataFrame's typings only; sdk/frame/sink_test.ts holds this table to DataFrame's).
 *
 * @module
 */

import type { MethodOptions } from "./option_audit_entry.ts";

const CLOUD =
  "results go to the server's output root or its S3 output bucket (an s3:// path), never to a cloud store a caller configures";
const EAGER_IGNORES =
  "nodejs-polars' DataFrame.writeCSV ignores it (the file would differ); LazyDataFrame.sinkCSV honours it";

const SINK_COMMON = ["compression", "maintainOrder", "mkdir", "syncOnClose"] as const;
const CSV_OPTIONS = [
  "batchSize",
  "dateFormat",
  "datetimeFormat",
  "floatPrecision",
  "includeBom",
  "includeHeader",
  "lineTerminator",
  "nullValue",
  "quoteChar",
  "separator",
  "timeFormat",
] as const;

/** The sinks' options, by `LazyDataFrame.<method>`. */
export const SINK_OPTIONS: Readonly<Record<string, MethodOptions>> = {
  "LazyDataFrame.sinkCSV": {
    honoured: [
      ...SINK_COMMON,
      ...CSV_OPTIONS,
      "checkExtension",
      "compressionLevel",
      "decimalComma",
      "floatScientific",
      "quoteStyle",
    ],
    refused: { cloudOptions: CLOUD },
  },
  "LazyDataFrame.sinkParquet": {
    honoured: [
      ...SINK_COMMON,
      "compressionLevel",
      "dataPagesizeLimit",
      "rowGroupSize",
      "statistics",
    ],
    refused: { cloudOptions: CLOUD },
  },
  "LazyDataFrame.sinkIpc": {
    honoured: [...SINK_COMMON, "compatLevel"],
    refused: { cloudOptions: CLOUD },
  },
  "LazyDataFrame.sinkNdJson": {
    honoured: [...SINK_COMMON, "checkExtension", "compressionLevel"],
    refused: { cloudOptions: CLOUD },
  },
};

/**
 * The DataFrame writes' options, by `DataFrame.<method>`: nodejs-polars' eager writers; the
 * options they ignore are refused (the server's sink would honour them: a different file).
 */
export const WRITE_OPTIONS: Readonly<Record<string, MethodOptions>> = {
  "DataFrame.writeCSV": {
    honoured: [...CSV_OPTIONS, "mkdir", "syncOnClose"],
    refused: {
      checkExtension: EAGER_IGNORES,
      cloudOptions: CLOUD,
      compression: EAGER_IGNORES,
      compressionLevel: EAGER_IGNORES,
      decimalComma: EAGER_IGNORES,
      floatScientific: EAGER_IGNORES,
      maintainOrder: "nodejs-polars' DataFrame.writeCSV always keeps the rows' order",
      quoteStyle: EAGER_IGNORES,
    },
    inert: {
      checkExtension: false,
      compression: "uncompressed",
      decimalComma: false,
      maintainOrder: true,
      quoteStyle: "necessary",
    },
  },
  "DataFrame.writeParquet": { honoured: ["compression"] },
  "DataFrame.writeIPC": { honoured: ["compression"] },
  "DataFrame.writeJSON": { honoured: ["format"] },
};

/** Throws a TypeError naming the first option of `options` that the write `method` refuses. */
export function refuseWriteOptions(method: string, options: unknown): void {
  if (typeof options !== "object" || options === null) return;
  const entry = WRITE_OPTIONS[method];
  for (const [name, why] of Object.entries(entry?.refused ?? {})) {
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (entry?.inert && name in entry.inert && Object.is(entry.inert[name], value)) continue;
    throw new TypeError(
      `Cannot call ${method} with option '${name}' as ${why} (Polaroid refuses it rather than ignore it; docs/compat.md, Options)`,
    );
  }
}
