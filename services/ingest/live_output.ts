/**
 * Where a source's closed batches go when the service has a state store: its live table.
 * Each batch is appended (in order) with the offsets the source reached, and only once it is
 * durable does the source acknowledge its messages (Kafka commits, Redis XACK, JetStream ack),
 * so that a crash loses nothing a protocol can replay. The batches waiting for their commit
 * are bounded: past `maxPendingBytes` the output is `full` and the source stops reading
 * until `room()` resolves. Each commit of rows is traced (`ingest.commit`: the segment's write
 * and the acknowledgement) and reported with its lag, from its first message's arrival.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import pl from "nodejs-polars";
import { readConsistentPrefix } from "../../shared/live_table.ts";
import type { StateStore } from "../../shared/state_store/store.ts";
import { inSpan } from "../../shared/telemetry/tracing.ts";
import { type BatchOutput, type ClosedBatch, IpcRows } from "./batcher.ts";
import type { LiveTableStats, LiveWriter } from "./live_writer.ts";

/** What a source kind tells the output about its messages' marks. */
export interface MarkHandling {
  /** The offsets reached once these marks are in, from those before. @default unchanged */
  offsets?(marks: readonly unknown[], before: Readonly<Record<string, string>>): Record<
    string,
    string
  >;
  /** Acknowledges marks whose batch is durable. @default none */
  acknowledge?(marks: readonly unknown[]): void | Promise<void>;
}

/** Options of LiveOutput. */
export interface LiveOutputOptions {
  writer: LiveWriter;
  /** The store the writer writes (for snapshots). */
  store: StateStore;
  tenant: string;
  table: string;
  /** The source whose batches these are (for traces). */
  source: string;
  /** Bytes of closed batches waiting for their commit before the source is asked to pause. */
  maxPendingBytes: number;
  marks?: MarkHandling;
  /** A batch could not be committed and is not retried (the writer stopped or closed). */
  onError(error: Error): void;
  /** A batch is durable and acknowledged. @default none */
  onCommitted?(commit: Commit): void;
}

/** A batch that became durable and was acknowledged. */
export interface Commit {
  /** Its rows (0 for a batch of rejected messages only, which commits nothing). */
  rows: number;
  /** The size of its kept messages. */
  bytes: number;
  /** Seconds from its first message's arrival to now; undefined when unknown. */
  lagSeconds: number | undefined;
}

/** The committed part of a live table, and what waits to join it. */
export class LiveOutput implements BatchOutput {
  readonly #o: LiveOutputOptions;
  #pendingBytes = 0;
  #pendingBatches = 0;
  #reached: Record<string, string>;
  #waiters: (() => void)[] = [];

  constructor(options: LiveOutputOptions) {
    this.#o = options;
    this.#reached = { ...options.writer.offsets };
  }

  /** The offsets of the newest committed segment. */
  get committedOffsets(): Readonly<Record<string, string>> {
    return this.#o.writer.offsets;
  }

  reserve(bytes: number): void {
    this.#pendingBytes += bytes;
  }

  closed({ frame, marks, bytes, reserved, error, arrivedAt }: ClosedBatch): void {
    if (!reserved) this.#pendingBytes += bytes;
    this.#pendingBatches++;
    if (error) {
      // Nothing of it is durable: its marks are not acknowledged (a replayable source reads
      // them again after a restart).
      this.#pendingBytes -= bytes;
      this.#pendingBatches--;
      this.#o.onError(error);
      if (!this.full) { for (const wake of this.#waiters.splice(0)) wake(); }
      return;
    }
    this.#reached = this.#o.marks?.offsets?.(marks, this.#reached) ?? this.#reached;
    const offsets = this.#reached;
    const rows = frame === undefined ? 0 : frame instanceof IpcRows ? frame.rows : frame.height;
    const commit = async () => {
      // A batch of rejected messages only commits nothing, but acknowledges after those before.
      await (frame ? this.#o.writer.append(frame, offsets) : this.#o.writer.flushed());
      await this.#o.marks?.acknowledge?.(marks);
    };
    const { tenant, source } = this.#o;
    const attributes = {
      "polaroid.tenant": tenant,
      "polaroid.source": source,
      "polaroid.rows": rows,
      "polaroid.bytes": bytes,
    };
    (frame ? inSpan("ingest.commit", attributes, commit) : commit())
      .then(() =>
        this.#o.onCommitted?.({
          rows,
          bytes,
          lagSeconds: arrivedAt === undefined ? undefined : (performance.now() - arrivedAt) / 1000,
        })
      )
      .catch((error) => this.#o.onError(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.#pendingBytes -= bytes;
        this.#pendingBatches--;
        if (!this.full) { for (const wake of this.#waiters.splice(0)) wake(); }
      });
  }

  /** Whether the source should stop reading until room(). */
  get full(): boolean {
    return this.#pendingBytes >= this.#o.maxPendingBytes;
  }

  /** Resolves once the batches waiting for their commit are under the bound. */
  room(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Bytes and batches waiting for their commit. */
  get pending(): { bytes: number; batches: number } {
    return { bytes: this.#pendingBytes, batches: this.#pendingBatches };
  }

  get stats(): LiveTableStats {
    return this.#o.writer.stats;
  }

  /**
   * The table's committed rows as one uncompressed Arrow IPC stream (what a scan of it sees
   * now), or undefined when nothing is committed yet.
   */
  async snapshot(): Promise<Uint8Array | undefined> {
    const { store, tenant, table } = this.#o;
    const { values: frames } = await readConsistentPrefix(store, tenant, table, async (s) => {
      const body = await store.get(s.key);
      return pl.readIPC(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    });
    if (frames.length === 0) return undefined;
    const frame = frames.length === 1 ? frames[0]! : pl.concat(frames, { how: "diagonalRelaxed" });
    return frame.writeIPCStream();
  }

  /** Stops the writer's retries and wakes a source waiting for room. */
  close(): void {
    this.#o.writer.close();
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
