/**
 * The writer of one live table (shared/live_table.ts): appends each closed micro-batch as a
 * segment committed with the source offsets it reaches, compacts runs of small segments,
 * and applies the table's retention. One writer per table: appends run one at a time, and a
 * segment number another writer took already (the store refuses a committed key twice)
 * stops this writer with FailedPreconditionError.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import pl from "nodejs-polars";
import { AlreadyExistsError, FailedPreconditionError } from "../../shared/errors.ts";
import {
  consistentPrefix,
  FIRST_ROW_LABEL,
  firstRowOf,
  listSegments,
  liveTablePrefix,
  OFFSETS_LABEL,
  offsetsOf,
  segmentKey,
  type SegmentRef,
} from "../../shared/live_table.ts";
import type { StateStore } from "../../shared/state_store/store.ts";
import { IpcRows } from "./batcher.ts";

/** What a table keeps: its oldest segments go past any of these (the newest always stays). */
export interface Retention {
  /** @default unbounded */
  maxAgeMs?: number;
  /** @default unbounded */
  maxRows?: number;
  /** @default unbounded */
  maxBytes?: number;
}

/** When small segments are merged. */
export interface Compaction {
  /** A run of this many small segments at the table's end is merged. @default 16 */
  minSegments?: number;
  /** Segments of fewer bytes are small. @default 8 MiB */
  smallBytes?: number;
}

/** Options of LiveWriter.open(). */
export interface LiveWriterOptions {
  store: StateStore;
  tenant: string;
  table: string;
  retention?: Retention;
  compaction?: Compaction;
  /** @default Date.now */
  now?: () => number;
  /**
   * Told when a segment could not be written (the store is unreachable, say) and when it is
   * tried again; the append keeps trying, with exponential backoff and full jitter, until it
   * succeeds or the writer is closed. @default none
   */
  onRetry?: (error: Error, delayMs: number) => void;
  /** The longest wait between tries. @default 10000 */
  maxRetryDelayMs?: number;
}

type Resolved = Required<Pick<LiveWriterOptions, "store" | "tenant" | "table" | "now">> & {
  onRetry: (error: Error, delayMs: number) => void;
  maxRetryDelayMs: number;
  retention: Retention;
  minSegments: number;
  smallBytes: number;
};

/** Rows to append: a frame, or an Arrow IPC file. */
export type Rows = pl.DataFrame | IpcRows;

/** A segment as the writer tracks it. */
interface Segment extends SegmentRef {
  rows: number;
  createdAtMs: number;
  /** The number of its first row since the table began. */
  firstRow: number;
}

/** The table's figures now. */
export interface LiveTableStats {
  segments: number;
  rows: number;
  bytes: number;
  /** Segments merged into bigger ones, and segments removed for retention, since open. */
  compacted: number;
  expired: number;
}

/** Appends segments to one live table. */
export class LiveWriter {
  readonly #o: Resolved;
  #segments: Segment[];
  #offsets: Record<string, string>;
  #next: number;
  #tail: Promise<void> = Promise.resolve();
  #stopped: Error | undefined;
  #closed = new AbortController();
  #compacted = 0;
  #expired = 0;
  /** The number the next appended row gets. */
  #nextRow: number;
  readonly #listeners = new Set<() => void>();

  private constructor(
    options: Resolved,
    segments: Segment[],
    offsets: Record<string, string>,
  ) {
    this.#o = options;
    this.#segments = segments;
    this.#offsets = offsets;
    this.#next = (segments.at(-1)?.last ?? -1) + 1;
    const newest = segments.at(-1);
    this.#nextRow = newest ? newest.firstRow + newest.rows : 0;
  }

  /**
   * Opens the table: reads its committed segments, removes what an earlier writer left
   * half-done (bodies never committed, segments a compaction replaced), and takes the newest
   * segment's offsets as the source's position.
   */
  static async open(options: LiveWriterOptions): Promise<LiveWriter> {
    const { store, tenant, table } = options;
    const prefix = liveTablePrefix(tenant, table);
    for await (const object of store.list(prefix)) {
      if (!object.committed) await store.delete(object.key);
    }
    const all = await listSegments(store, tenant, table);
    const kept = consistentPrefix(all);
    const keptKeys = new Set(kept.map((s) => s.key));
    for (const segment of all) {
      // Replaced by a compacted segment, or past a gap (never written by this design).
      if (!keptKeys.has(segment.key)) await store.delete(segment.key);
    }
    const segments: Segment[] = [];
    let offsets: Record<string, string> = {};
    let nextRow = 0;
    for (const segment of kept) {
      const meta = await store.head(segment.key);
      if (!meta) continue;
      const firstRow = firstRowOf(meta) ?? nextRow;
      segments.push({ ...segment, rows: meta.rows, createdAtMs: meta.createdAtMs, firstRow });
      nextRow = firstRow + meta.rows;
      offsets = offsetsOf(meta);
    }
    return new LiveWriter(
      {
        store,
        tenant,
        table,
        now: options.now ?? Date.now,
        onRetry: options.onRetry ?? (() => {}),
        maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
        retention: options.retention ?? {},
        minSegments: Math.max(2, options.compaction?.minSegments ?? 16),
        smallBytes: options.compaction?.smallBytes ?? 8 * 1024 * 1024,
      },
      segments,
      offsets,
    );
  }

  /** The number the next committed row gets: the table's end, as a position. */
  get nextRow(): number {
    return this.#nextRow;
  }

  /** Calls `listener` after each commit until the returned function is called. */
  onCommit(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The offsets of the newest committed segment ({} for a new table). */
  get offsets(): Readonly<Record<string, string>> {
    return this.#offsets;
  }

  get stats(): LiveTableStats {
    return {
      segments: this.#segments.length,
      rows: this.#segments.reduce((sum, s) => sum + s.rows, 0),
      bytes: this.#segments.reduce((sum, s) => sum + s.bytes, 0),
      compacted: this.#compacted,
      expired: this.#expired,
    };
  }

  /**
   * Commits `frame` as the next segment with the offsets the source reached; resolves once
   * it is durable (then compaction and retention run). Appends run in call order.
   */
  append(frame: Rows, offsets: Record<string, string>): Promise<void> {
    const run = this.#tail.then(() => this.#append(frame, offsets));
    this.#tail = run.catch(() => {});
    return run;
  }

  /**
   * Appends `frame` with the offsets `next` makes of the table's offsets at its turn (after
   * the appends before it); `next` answering undefined skips it. Resolves with the number of
   * its first row, or undefined when skipped.
   */
  appendWith(
    frame: Rows,
    next: (offsets: Readonly<Record<string, string>>) => Record<string, string> | undefined,
  ): Promise<{ firstRow: number } | undefined> {
    const run = this.#tail.then(async () => {
      const offsets = next(this.#offsets);
      if (offsets === undefined) return undefined;
      const firstRow = this.#nextRow;
      await this.#append(frame, offsets);
      return { firstRow };
    });
    this.#tail = run.then(() => {}, () => {});
    return run;
  }

  async #append(rows: Rows, offsets: Record<string, string>): Promise<void> {
    if (this.#stopped) throw this.#stopped;
    const number = this.#next;
    const key = segmentKey(this.#o.tenant, this.#o.table, number, number);
    const body = rows instanceof IpcRows ? rows.ipc : rows.writeIPC();
    const frame = { height: rows instanceof IpcRows ? rows.rows : rows.height };
    const createdAtMs = this.#o.now();
    for (let attempt = 0;; attempt++) {
      this.#closed.signal.throwIfAborted();
      try {
        await this.#o.store.put(key, body, {
          tenant: this.#o.tenant,
          rows: frame.height,
          createdAtMs,
          schemaHash: "",
          planHash: "",
          format: "arrow-ipc",
          labels: {
            [OFFSETS_LABEL]: JSON.stringify(offsets),
            [FIRST_ROW_LABEL]: String(this.#nextRow),
          },
        });
        break;
      } catch (error) {
        if (error instanceof AlreadyExistsError) {
          // Ours, when an earlier try committed and only its answer was lost.
          const meta = await this.#o.store.head(key).catch(() => undefined);
          const same = meta?.rows === frame.height &&
            meta.labels?.[OFFSETS_LABEL] === JSON.stringify(offsets);
          if (same && attempt > 0) break;
          this.#stopped = new FailedPreconditionError(
            `Cannot append to live table ${
              JSON.stringify(this.#o.table)
            } as another writer took segment ${number}: one source writes a table`,
            { metadata: { table: this.#o.table } },
          );
          throw this.#stopped;
        }
        const cap = Math.min(this.#o.maxRetryDelayMs, 100 * 2 ** Math.min(attempt, 20));
        const delayMs = Math.round(Math.random() * cap);
        this.#o.onRetry(error instanceof Error ? error : new Error(String(error)), delayMs);
        await abortableDelay(delayMs, this.#closed.signal);
      }
    }
    this.#next = number + 1;
    this.#offsets = { ...offsets };
    this.#segments.push({
      key,
      first: number,
      last: number,
      bytes: body.byteLength,
      modifiedAtMs: createdAtMs,
      rows: frame.height,
      createdAtMs,
      firstRow: this.#nextRow,
    });
    this.#nextRow += frame.height;
    for (const listener of this.#listeners) listener();
    // Both are best effort: a failure leaves a valid table, tried again after the next append.
    await this.#compact().catch(() => {});
    await this.#expire().catch(() => {});
  }

  /** Merges the run of small segments at the table's end once it is long enough. */
  async #compact(): Promise<void> {
    let start = this.#segments.length;
    while (start > 0 && this.#segments[start - 1]!.bytes < this.#o.smallBytes) start--;
    const run = this.#segments.slice(start);
    if (run.length < this.#o.minSegments) return;
    const frames: pl.DataFrame[] = [];
    for (const segment of run) {
      const body = await this.#o.store.get(segment.key);
      frames.push(pl.readIPC(Buffer.from(body.buffer, body.byteOffset, body.byteLength)));
    }
    const merged = pl.concat(frames, { how: "diagonalRelaxed" });
    const first = run[0]!.first;
    const last = run.at(-1)!.last;
    const key = segmentKey(this.#o.tenant, this.#o.table, first, last);
    const body = merged.writeIPC();
    const createdAtMs = run.at(-1)!.createdAtMs;
    await this.#o.store.put(key, body, {
      tenant: this.#o.tenant,
      rows: merged.height,
      createdAtMs,
      schemaHash: "",
      planHash: "",
      format: "arrow-ipc",
      labels: {
        [OFFSETS_LABEL]: JSON.stringify(this.#offsets),
        [FIRST_ROW_LABEL]: String(run[0]!.firstRow),
      },
    });
    // Readers now prefer the merged segment; the parts go.
    this.#segments.splice(start, run.length, {
      key,
      first,
      last,
      bytes: body.byteLength,
      modifiedAtMs: this.#o.now(),
      rows: merged.height,
      createdAtMs,
      firstRow: run[0]!.firstRow,
    });
    for (const segment of run) await this.#o.store.delete(segment.key);
    this.#compacted += run.length;
  }

  /** Removes the oldest segments past the retention (never the newest: it holds the offsets). */
  async #expire(): Promise<void> {
    const { maxAgeMs, maxRows, maxBytes } = this.#o.retention;
    const over = () => {
      if (this.#segments.length <= 1) return false;
      const oldest = this.#segments[0]!;
      const { rows, bytes } = this.stats;
      return (maxAgeMs !== undefined && this.#o.now() - oldest.createdAtMs > maxAgeMs) ||
        (maxRows !== undefined && rows > maxRows) ||
        (maxBytes !== undefined && bytes > maxBytes);
    };
    while (over()) {
      const oldest = this.#segments.shift()!;
      await this.#o.store.delete(oldest.key);
      this.#expired++;
    }
  }

  /** Waits for the appends under way. */
  async flushed(): Promise<void> {
    await this.#tail;
  }

  /** Stops retrying; appends not yet durable fail (their data was never acknowledged). */
  close(): void {
    this.#closed.abort(new FailedPreconditionError("the live table's writer is closed"));
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
