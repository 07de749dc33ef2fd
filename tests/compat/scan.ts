/**
 * Compatibility cases of the scans: a file written under the server's data root is scanned
 * with the same options in-process (nodejs-polars' `pl.scanCSV`, `scanParquet`, `scanIPC`,
 * `scanJson`) and through the SDK (`client.scanCsv`, ...), and the results must be equal
 * (tests/compat_scan_test.ts runs them).
 *
 * @module
 */

import pl from "nodejs-polars";
import type sdk from "../../sdk/mod.ts";

/** nodejs-polars' scans. */
export type ScanName = "scanCSV" | "scanParquet" | "scanIPC" | "scanJson";

/** One scan case. */
export interface ScanCase {
  /** `pl.<scan>` and `pl.<scan>.<option>` names, as compatibility cases name what they cover. */
  covers: readonly string[];
  scan: ScanName;
  /** The file's name under the data root. */
  file: string;
  /** Its text (CSV, NDJSON), or the frame written in the scan's format (Parquet, IPC). */
  content: string | (() => pl.DataFrame);
  /** The scan's options, the same text on both engines (`dt` is the engine's dtypes). */
  options: (dt: typeof sdk | typeof pl) => Record<string, unknown>;
}

const PRICES = "k,name,x\n1,a,0.5\n2,,1.5\n3,c,2.5\n4,d,3.5\n";
const frame = () =>
  pl.DataFrame({
    k: [1, 2, 3, 4, 5],
    name: ["a", "b", null, "d", "e"],
    x: [0.5, 1.5, 2.5, 3.5, 4.5],
  });
const LINES = [
  '{"k": 1, "name": "a", "x": 0.5}',
  '{"k": 2, "name": null, "x": 1.5}',
  '{"k": 3, "name": "c", "x": 2.5}',
  '{"k": 4, "name": "d", "x": 3}',
].join("\n") + "\n";

export const SCAN_CASES: readonly ScanCase[] = [
  {
    covers: ["pl.scanCSV", "pl.scanCSV.sep", "pl.scanCSV.hasHeader"],
    scan: "scanCSV",
    file: "semicolons.csv",
    content: "1;a;2.5\n2;b;\n3;c;7.25\n",
    options: () => ({ sep: ";", hasHeader: false }),
  },
  {
    covers: [
      "pl.scanCSV",
      "pl.scanCSV.nRows",
      "pl.scanCSV.rowIndexName",
      "pl.scanCSV.rowIndexOffset",
      "pl.scanCSV.rechunk",
      "pl.scanCSV.cache",
      "pl.scanCSV.lowMemory",
    ],
    scan: "scanCSV",
    file: "prices.csv",
    content: PRICES,
    options: () => ({
      nRows: 2,
      rowIndexName: "row",
      rowIndexOffset: 10,
      rechunk: true,
      cache: false,
      lowMemory: true,
    }),
  },
  {
    covers: [
      "pl.scanCSV",
      "pl.scanCSV.commentPrefix",
      "pl.scanCSV.quoteChar",
      "pl.scanCSV.nullValues",
      "pl.scanCSV.skipRowsAfterHeader",
    ],
    scan: "scanCSV",
    file: "quoted.csv",
    content: "k,name,x\n# a comment\n0,'skipped',0\n1,'a,b',NA\n2,'c',2.5\n3,NA,3.5\n",
    options: () => ({
      commentPrefix: "#",
      quoteChar: "'",
      nullValues: "NA",
      skipRowsAfterHeader: 1,
    }),
  },
  {
    covers: ["pl.scanCSV", "pl.scanCSV.nullValues", "pl.scanCSV.skipLines"],
    scan: "scanCSV",
    file: "preamble.csv",
    content: "exported by a tool\nsecond line\nk,name,x\n1,-,9\n2,b,-\n",
    options: () => ({ skipLines: 2, nullValues: { name: "-", x: "-" } }),
  },
  {
    covers: [
      "pl.scanCSV",
      "pl.scanCSV.skipRows",
      "pl.scanCSV.nullValues",
      "pl.scanCSV.missingUtf8IsEmptyString",
      "pl.scanCSV.truncateRaggedLines",
    ],
    scan: "scanCSV",
    file: "ragged.csv",
    content: "junk\nk,name,x\n1,,0.5\n2,b,1.5,extra\n3,n/a,\n",
    options: () => ({
      skipRows: 1,
      nullValues: ["", "n/a", ""],
      missingUtf8IsEmptyString: true,
      truncateRaggedLines: true,
    }),
  },
  {
    covers: [
      "pl.scanCSV",
      "pl.scanCSV.decimalComma",
      "pl.scanCSV.eolChar",
      "pl.scanCSV.encoding",
      "pl.scanCSV.parseDates",
    ],
    scan: "scanCSV",
    file: "european.csv",
    content: "day;x|2024-01-02;1,5|2024-03-04;2,25|",
    options: () => ({
      sep: ";",
      decimalComma: true,
      eolChar: "|",
      encoding: "utf8-lossy",
      parseDates: true,
    }),
  },
  {
    covers: [
      "pl.scanCSV",
      "pl.scanCSV.inferSchemaLength",
      "pl.scanCSV.ignoreErrors",
      "pl.scanCSV.raiseIfEmpty",
    ],
    scan: "scanCSV",
    file: "strings.csv",
    content: PRICES,
    options: () => ({ inferSchemaLength: 0, ignoreErrors: true, raiseIfEmpty: false }),
  },
  {
    covers: ["pl.scanCSV", "pl.scanCSV.schema"],
    scan: "scanCSV",
    file: "typed.csv",
    content: PRICES,
    options: (dt) => ({ schema: { k: dt.Int32, name: dt.Utf8, x: dt.Float32 } }),
  },
  {
    covers: [
      "pl.scanParquet",
      "pl.scanParquet.nRows",
      "pl.scanParquet.rowIndexName",
      "pl.scanParquet.rowIndexOffset",
      "pl.scanParquet.parallel",
      "pl.scanParquet.useStatistics",
      "pl.scanParquet.lowMemory",
      "pl.scanParquet.rechunk",
      "pl.scanParquet.cache",
      "pl.scanParquet.allowMissingColumns",
      "pl.scanParquet.hivePartitioning",
    ],
    scan: "scanParquet",
    file: "frame.parquet",
    content: frame,
    options: () => ({
      nRows: 3,
      rowIndexName: "row",
      rowIndexOffset: 5,
      parallel: "columns",
      useStatistics: false,
      lowMemory: true,
      rechunk: true,
      cache: false,
      allowMissingColumns: true,
      hivePartitioning: false,
    }),
  },
  {
    covers: ["pl.scanIPC", "pl.scanIPC.nRows", "pl.scanIPC.rechunk", "pl.scanIPC.cache"],
    scan: "scanIPC",
    file: "frame.arrow",
    content: frame,
    options: () => ({ nRows: 4, rechunk: true, cache: false }),
  },
  {
    covers: [
      "pl.scanJson",
      "pl.scanJson.nRows",
      "pl.scanJson.rowIndexName",
      "pl.scanJson.rowIndexOffset",
      "pl.scanJson.inferSchemaLength",
      "pl.scanJson.lowMemory",
      "pl.scanJson.rechunk",
      "pl.scanJson.ignoreErrors",
    ],
    scan: "scanJson",
    file: "lines.ndjson",
    content: LINES,
    options: () => ({
      nRows: 3,
      rowIndexName: "row",
      rowIndexOffset: 1,
      inferSchemaLength: 2,
      lowMemory: true,
      rechunk: true,
      ignoreErrors: true,
    }),
  },
  {
    covers: ["pl.scanJson", "pl.scanJson.schema"],
    scan: "scanJson",
    file: "typed.ndjson",
    content: LINES,
    options: (dt) => ({ schema: { k: dt.Int32, name: dt.Utf8, x: dt.Float32 } }),
  },
];
