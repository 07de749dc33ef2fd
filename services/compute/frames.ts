/**
 * The frames this worker holds, by handle id. Dropping a frame lets V8 collect its wrapper,
 * which is what frees the native memory; because V8 does not see native memory pressure, a
 * collection is requested (when the process runs with --expose-gc) as soon as enough bytes
 * were dropped, and a little later for small frames.
 *
 * @module
 */

import { LimitExceededError } from "../../shared/errors.ts";
import { type Held, SpilledFrame } from "./engine/frame_access.ts";

export interface HeldFrame {
  /** The frame in memory, or the spill file holding it (removed when it is dropped). */
  readonly df: Held;
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
  /**
   * A collection runs at once when this many bytes were dropped since the last one; a full
   * collection blocks the worker for milliseconds, so small frames are batched.
   * @default 64MiB
   */
  gcThresholdBytes?: number;
  /** ...and at the latest this long after the first drop it has not collected. @default 2000 */
  gcDelayMs?: number;
  /**
   * Every frame is also in the state store (POLAROID_HANDLE_STORE=external): the store is a
   * cache, and making room drops the least recently used frames instead of failing.
   * @default false
   */
  evictable?: boolean;
}

/** Frames held in this worker's memory. */
export class FrameStore {
  #frames = new Map<string, HeldFrame>();
  #bytes = 0;
  #maxBytes: number;
  #gc: (() => void) | undefined;
  #gcThresholdBytes: number;
  #gcDelayMs: number;
  #droppedBytes = 0;
  #gcTimer: ReturnType<typeof setTimeout> | undefined;
  #gcSoon = false;
  #evictable: boolean;
  #evictions = 0;

  constructor(options: FrameStoreOptions) {
    this.#evictable = options.evictable ?? false;
    this.#maxBytes = options.maxBytes;
    this.#gc = options.collectGarbage ?? (globalThis as { gc?: () => void }).gc;
    this.#gcThresholdBytes = options.gcThresholdBytes ?? 64 * 1024 * 1024;
    this.#gcDelayMs = options.gcDelayMs ?? 2000;
  }

  get size(): number {
    return this.#frames.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The ids of the frames held, oldest (or least recently used) first. */
  ids(): string[] {
    return [...this.#frames.keys()];
  }

  /** Frames dropped to make room since start. */
  get evictions(): number {
    return this.#evictions;
  }

  /**
   * Throws LimitExceededError when `bytes` more would pass the store's budget; an evictable
   * store first drops its least recently used frames.
   */
  reserve(bytes: number): void {
    if (this.#evictable) {
      for (const id of this.#frames.keys()) {
        if (this.#bytes + bytes <= this.#maxBytes) break;
        this.drop(id);
        this.#evictions++;
      }
    }
    if (this.#bytes + bytes > this.#maxBytes) {
      throw new LimitExceededError(
        `Cannot keep a result of ${bytes} bytes as this worker holds ${this.#bytes} of its ${this.#maxBytes}-byte budget (POLAROID_MAX_WORKER_BYTES): release handles first`,
      );
    }
  }

  /** Holds `df` under `id`; `bytes` counts against the budget (0 for a spilled frame). */
  add(id: string, df: Held, owner: string, bytes: number, now = Date.now()): void {
    this.drop(id);
    this.#frames.set(id, { df, owner, bytes, touchedAt: now });
    this.#bytes += bytes;
  }

  get(id: string): HeldFrame | undefined {
    const frame = this.#frames.get(id);
    if (frame && this.#evictable) {
      // Most recently used last: eviction walks the map from its start.
      this.#frames.delete(id);
      this.#frames.set(id, frame);
    }
    return frame;
  }

  /** Forgets a frame; true if it was held. */
  drop(id: string): boolean {
    const frame = this.#frames.get(id);
    if (!frame) return false;
    this.#frames.delete(id);
    this.#bytes -= frame.bytes;
    this.#scheduleGc(frame.bytes);
    if (frame.df instanceof SpilledFrame) {
      // Nothing reads a dropped frame's file again; a failed removal leaves a stray file.
      Deno.remove(frame.df.path).catch(() => {});
    }
    return true;
  }

  /**
   * Tells the store that a frame it does not hold (e.g. a streamed result) was let go of,
   * so that its native memory is collected as a dropped frame's would be.
   */
  released(bytes: number): void {
    this.#scheduleGc(bytes);
  }

  /** Forgets every frame. */
  clear(): void {
    for (const id of [...this.#frames.keys()]) this.drop(id);
  }

  #scheduleGc(bytes: number): void {
    if (!this.#gc) return;
    this.#droppedBytes += bytes;
    if (this.#droppedBytes >= this.#gcThresholdBytes && !this.#gcSoon) {
      // After the current call has returned and let go of its references.
      this.#gcSoon = true;
      clearTimeout(this.#gcTimer);
      this.#gcTimer = setTimeout(() => this.#collect(), 0);
    } else if (this.#gcTimer === undefined) {
      this.#gcTimer = setTimeout(() => this.#collect(), this.#gcDelayMs);
    }
  }

  #collect(): void {
    this.#gcTimer = undefined;
    this.#gcSoon = false;
    this.#droppedBytes = 0;
    this.#gc?.();
  }

  /** Cancels a pending collection (on shutdown). */
  close(): void {
    clearTimeout(this.#gcTimer);
    this.#gcTimer = undefined;
  }
}
