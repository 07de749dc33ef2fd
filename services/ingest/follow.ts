/**
 * Following a live table: its rows from a position on, as Arrow IPC batches, then each new
 * segment's rows as they are committed. A position is a row number since the table began
 * (the segments' `first_row`), which compaction does not move; rows that retention removed
 * before they were sent are reported as skipped.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import pl from "nodejs-polars";
import { NotFoundError } from "../../shared/errors.ts";
import { consistentPrefix, firstRowOf, listSegments } from "../../shared/live_table.ts";
import type { StateStore } from "../../shared/state_store/store.ts";

/** One batch of a followed table. */
export interface FollowBatch {
  /** Uncompressed Arrow IPC stream of the rows. */
  ipc: Buffer;
  rows: number;
  /** The number of its first row. */
  firstRow: number;
  /** Where to resume after it. */
  nextRow: number;
  /** Rows between the position asked for and this batch that retention removed. */
  skippedRows: number;
}

/** Options of followTable(). */
export interface FollowOptions {
  store: StateStore;
  tenant: string;
  table: string;
  /** The row to start at, or "end": only rows committed from now on. */
  from: number | "end";
  /** Rows per batch at most. */
  maxBatchRows: number;
  /** How often the table is listed when nothing wakes the follower. */
  pollMs: number;
  /** Ends the follow. */
  signal: AbortSignal;
  /** Subscribes to commits of the table in this process (a wake-up sooner than the poll). */
  onCommit?: (wake: () => void) => () => void;
}

/** The table's rows from `from` on, then as they come, until `signal` aborts. */
export async function* followTable(options: FollowOptions): AsyncGenerator<FollowBatch> {
  const { store, tenant, table, signal } = options;
  /** Segments' first rows and row counts, by key (segments never change). */
  const known = new Map<string, { firstRow: number; rows: number }>();
  /** The next row to send; undefined until the table's end is known ("end"). */
  let next: number | undefined = options.from === "end" ? undefined : options.from;
  let wake: (() => void) | undefined;
  const unsubscribe = options.onCommit?.(() => wake?.());
  try {
    while (!signal.aborted) {
      const segments = consistentPrefix(await listSegments(store, tenant, table));
      const placed: { key: string; firstRow: number; rows: number }[] = [];
      let end = 0;
      for (const segment of segments) {
        let entry = known.get(segment.key);
        if (!entry) {
          const meta = await store.head(segment.key);
          if (!meta) break; // removed meanwhile: listed again next round
          entry = { firstRow: firstRowOf(meta) ?? end, rows: meta.rows };
          known.set(segment.key, entry);
        }
        placed.push({ key: segment.key, ...entry });
        end = entry.firstRow + entry.rows;
      }
      if (known.size > 4 * placed.length + 64) {
        const live = new Set(placed.map((p) => p.key));
        for (const key of known.keys()) if (!live.has(key)) known.delete(key);
      }
      let position: number = next ?? end;
      next = position;
      let skipped = 0;
      if (placed.length > 0 && placed[0]!.firstRow > position) {
        skipped = placed[0]!.firstRow - position;
        position = placed[0]!.firstRow;
        next = position;
      }
      try {
        for (const segment of placed) {
          if (segment.firstRow + segment.rows <= position) continue;
          const body = await store.get(segment.key);
          const frame = pl.readIPC(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
          for (
            let offset: number = position - segment.firstRow;
            offset < frame.height;
            offset += options.maxBatchRows
          ) {
            const slice: pl.DataFrame = frame.slice(offset, options.maxBatchRows);
            const firstRow: number = segment.firstRow + offset;
            yield {
              ipc: slice.writeIPCStream(),
              rows: slice.height,
              firstRow,
              nextRow: firstRow + slice.height,
              skippedRows: skipped,
            };
            skipped = 0;
            position = firstRow + slice.height;
            next = position;
            if (signal.aborted) return;
          }
        }
      } catch (error) {
        // A segment compacted or expired under the read: list again now.
        if (error instanceof NotFoundError) continue;
        throw error;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, options.pollMs);
        wake = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }
  } finally {
    unsubscribe?.();
  }
}
