/**
 * Scan nodes: a handle's frame, or a lazy file reader under the data root.
 *
 * @module
 */

import pl from "nodejs-polars";
import { HandleNotFoundError, InvalidPlanError, NotFoundError } from "../../../shared/errors.ts";
import { FileFormat, type FileScan, type Scan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { isGlob, resolveScanPath } from "./paths.ts";
import { type Held, heldLazy } from "./frame_access.ts";
import { scanOptions } from "./scan_options.ts";

/** What a scan reads from. */
export interface ScanSources {
  /** Frames of the handles the plan references. */
  frames: ReadonlyMap<string, Held>;
  /** Absolute, real path of the data root. */
  dataRoot: string;
}

/** A lazy reader of a file (or glob) under the data root. */
export function scanFile(file: FileScan, dataRoot: string): pl.LazyDataFrame {
  // nodejs-polars' scan options, checked before the path is resolved or the file read.
  const options = scanOptions(file.format, file.options);
  switch (file.format) {
    case FileFormat.FILE_FORMAT_PARQUET:
      return pl.scanParquet(resolveScanPath(dataRoot, file.path, { glob: true }), {
        ...options,
        glob: isGlob(file.path),
      });
    case FileFormat.FILE_FORMAT_IPC:
      return pl.scanIPC(resolveScanPath(dataRoot, file.path, { glob: true }), options);
    case FileFormat.FILE_FORMAT_CSV:
      return pl.scanCSV(resolveScanPath(dataRoot, file.path), {
        ...options,
        glob: false,
        hasHeader: file.hasHeader ?? true,
        sep: file.separator ?? ",",
      });
    case FileFormat.FILE_FORMAT_NDJSON:
      return pl.scanJson(resolveScanPath(dataRoot, file.path), options);
  }
  throw new InvalidPlanError(
    `Cannot scan the file as 'format' must be PARQUET, CSV, IPC or NDJSON: current value is ${file.format}`,
  );
}

/**
 * The key of a live table's snapshot among a plan's frames (no handle id has a `/`, so it
 * never names a handle).
 */
export function liveFrameKey(table: string): string {
  return `live/${table}`;
}

/** Options of {@link buildScan}. */
export interface BuildScanOptions {
  /** Read the source with no rows (its schema only). @default false */
  empty?: boolean;
}

/** A scan as a LazyFrame. Unknown handles throw HandleNotFoundError. */
export function buildScan(
  scan: Scan,
  sources: ScanSources,
  options: BuildScanOptions = {},
): pl.LazyDataFrame {
  const empty = options.empty ?? false;
  const source = scan.source;
  if (!source) {
    throw new InvalidPlanError("Cannot scan as 'source' must be set: current value is unset");
  }
  if (source.$case === "handle") {
    const frame = sources.frames.get(source.value);
    if (!frame) {
      throw new HandleNotFoundError(
        `Cannot scan handle ${JSON.stringify(source.value)} as it does not exist`,
        { metadata: { handle: source.value } },
      );
    }
    const lf = heldLazy(frame);
    return empty ? lf.head(0) : lf;
  }
  // No rows, no columns: expressions alone (`pl.select`) evaluate as nodejs-polars' do.
  if (source.$case === "empty") return pl.DataFrame().lazy();
  if (source.$case === "live") {
    const frame = sources.frames.get(liveFrameKey(source.value.table));
    if (!frame) {
      throw new NotFoundError(
        `Cannot scan live table ${JSON.stringify(source.value.table)} as it does not exist`,
        { metadata: { table: source.value.table } },
      );
    }
    const lf = heldLazy(frame);
    return empty ? lf.head(0) : lf;
  }
  const lf = scanFile(source.value, sources.dataRoot);
  return empty ? lf.head(0) : lf;
}
