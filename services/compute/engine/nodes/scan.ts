/**
 * Scan nodes: a handle's frame, or a file (or glob) under the data root. A handle's rows
 * are its frame's height; a file's are counted when a bound above needs them (Parquet and
 * IPC from their metadata, off the event loop); a CSV or NDJSON file is bounded by its size
 * first, and read to count its rows only when a check fails on that bound (prepare.ts).
 *
 * @module
 */

import pl from "nodejs-polars";
import { FileFormat, type FileScan } from "../../../../shared/gen/polaroid/v1/plan.ts";
import { heldHeight } from "../frame_access.ts";
import { buildScan, liveFrameKey, scanFile } from "../scan.ts";
import { scanBytes } from "../streaming_estimate.ts";
import { validateLiveTableName } from "../../../../shared/live_table.ts";
import { fail } from "./_checks.ts";
import type { DataSources, NodeTable } from "./spec.ts";

const FILE_FORMATS: ReadonlySet<FileFormat> = new Set([
  FileFormat.FILE_FORMAT_PARQUET,
  FileFormat.FILE_FORMAT_CSV,
  FileFormat.FILE_FORMAT_IPC,
  FileFormat.FILE_FORMAT_NDJSON,
]);

function checkFileScan(file: FileScan): void {
  if (!FILE_FORMATS.has(file.format)) {
    fail("scan.file.format", "be a known enum value", file.format);
  }
  if (file.path === "") fail("scan.file.path", "not be empty", "");
  if (file.separator !== undefined) {
    const code = file.separator.charCodeAt(0);
    if (file.separator.length !== 1 || code > 127) {
      fail("scan.file.separator", "be one ASCII character", file.separator);
    }
  }
}

/** Whether a format's row count is in its files' metadata (Parquet, IPC). */
export function rowCountsInMetadata(format: FileFormat): boolean {
  return format === FileFormat.FILE_FORMAT_PARQUET || format === FileFormat.FILE_FORMAT_IPC;
}

/** Rows of a scanned file (or glob), counted by the engine off the event loop. */
export async function fileRows(file: FileScan, sources: DataSources): Promise<number> {
  const counted = await scanFile(file, sources.dataRoot).select(pl.len()).collect();
  return Number(counted.getColumn("len").get(0));
}

/** Scan nodes. */
export const SCAN_NODES: NodeTable = {
  scan: {
    inputs: () => [],
    exprs: () => [],
    check(node) {
      const source = node.source;
      if (source === undefined) fail("scan.source", "be set", "unset");
      if (source.$case === "handle" && source.value === "") fail("scan.handle", "not be empty", "");
      if (source.$case === "file") checkFileScan(source.value);
    },
    reads(node, found) {
      const source = node.source;
      if (source?.$case === "handle") found.handle(source.value);
      else if (source?.$case === "file") {
        found.file(source.value);
        // A file may change between two runs.
        found.uncacheable();
      } else if (source?.$case === "live") {
        found.live(validateLiveTableName(source.value.table, "scan.live.table"));
        // A live table grows: a plan over it is never answered from the cache.
        found.uncacheable();
      }
    },
    loose(node) {
      const source = node.source;
      return source?.$case === "file" && !rowCountsInMetadata(source.value.format);
    },
    rows(node, _inputs, ctx) {
      const source = node.source;
      if (source?.$case === "handle" || source?.$case === "live") {
        const frame = ctx.frames.get(
          source.$case === "handle" ? source.value : liveFrameKey(source.value.table),
        );
        return frame === undefined ? 0 : heldHeight(frame);
      }
      if (source?.$case !== "file") return 0;
      if (ctx.exactFiles || rowCountsInMetadata(source.value.format)) {
        return fileRows(source.value, ctx);
      }
      // Reading a whole CSV or NDJSON file to count its rows waits until a check needs it.
      try {
        return scanBytes(source.value, ctx.dataRoot) + 1;
      } catch {
        // A file that cannot be sized fails as the engine reports it.
        return fileRows(source.value, ctx);
      }
    },
    build: (node, _inputs, ctx) => buildScan(node, ctx, { empty: ctx.empty }),
  },
};
