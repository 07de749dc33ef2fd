/**
 * The frames this worker holds, by handle id. Dropping a frame lets V8 collect its wrapper,
 * which is what frees the native memory; a collection is requested soon after (when the
 * process runs with --expose-gc), because V8 does not see native memory pressure.
 *
 * @module
 */

import type pl from "nodejs-polars";
import { LimitExceededError } from "../../shared/errors.ts";

export interface HeldFrame {
  readonly df: pl.DataFrame;
  readonly owner: string;
  readonly bytes: number;
  /** When the catalog was last told of a use (ms since epoch). */
  touchedAt: number;
}

/** Options of FrameStore. */
export interface FrameStoreOptions {
  /** Bytes the store may hold in all. */
  maxBytes: number;
  /** Requests a garbage collection; defaults to the V8 hook when exposed. */
  collectGarbage?: () => void;
}

/** Frames held in this worker's memory. */
export class FrameStore {
  #frames = new Map<string, HeldFrame>();
  #bytes = 0;
  #maxBytes: number;
  #gc: (() => void) | undefined;
  #gcScheduled = false;

  constructor(options: FrameStoreOptions) {
    this.#maxBytes = options.maxBytes;
    this.#gc = options.collectGarbage ?? (globalThis as { gc?: () => void }).gc;
  }

  get size(): number {
    return this.#frames.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Throws LimitExceededError when `bytes` more would pass the store's budget. */
  reserve(bytes: number): void {
    if (this.#bytes + bytes > this.#maxBytes) {
      throw new LimitExceededError(
        `Cannot keep a result of ${bytes} bytes as this worker holds ${this.#bytes} of its ${this.#maxBytes}-byte budget (POLAROID_MAX_WORKER_BYTES): release handles first`,
      );
    }
  }

  add(id: string, df: pl.DataFrame, owner: string, bytes: number, now = Date.now()): void {
    this.drop(id);
    this.#frames.set(id, { df, owner, bytes, touchedAt: now });
    this.#bytes += bytes;
  }

  get(id: string): HeldFrame | undefined {
    return this.#frames.get(id);
  }

  /** Forgets a frame; true if it was held. */
  drop(id: string): boolean {
    const frame = this.#frames.get(id);
    if (!frame) return false;
    this.#frames.delete(id);
    this.#bytes -= frame.bytes;
    this.#scheduleGc();
    return true;
  }

  /** Forgets every frame. */
  clear(): void {
    for (const id of [...this.#frames.keys()]) this.drop(id);
  }

  #scheduleGc(): void {
    if (!this.#gc || this.#gcScheduled) return;
    this.#gcScheduled = true;
    // After the current call has returned and let go of its references.
    setTimeout(() => {
      this.#gcScheduled = false;
      this.#gc?.();
    }, 0);
  }
}
