/**
 * The frames this worker holds, by handle id, and the one owner of them: a result or a
 * loaded handle enters through a lease (reserve → add, or release when it is not kept), and
 * leaves through forget() (its handle was freed: the catalog's event, a release through this
 * worker, a reconciliation, a failed check) or by eviction to make room. Freed events are
 * listened for here (listen()), so every path that ends a handle drops its frame the same
 * way and tells the plan cache.
 *
 * Dropping a frame lets V8 collect its wrapper, which is what frees the native memory;
 * because V8 does not see native memory pressure, a collection is requested (when the
 * process runs with --expose-gc) as soon as enough bytes were dropped, and a little later
 * for small frames.
 *
 * @module
 */

import { LimitExceededError } from "../../shared/errors.ts";
import { HandleEvent, HandleEvent_Kind } from "../../shared/gen/polaroid/v1/handle.ts";
import { HANDLE_EVENTS_SUBJECT, messageContext, type NatsConnection } from "../../shared/nats.ts";
import { inSpanSync, SpanKind } from "../../shared/telemetry/tracing.ts";
import type { Logger } from "../../shared/telemetry/log.ts";
import { type Held, SpilledFrame } from "./engine/frame_access.ts";

export interface HeldFrame {
  /** The frame in memory, or the spill file holding it (removed when it is dropped). */
  readonly df: Held;
  readonly owner: string;
  readonly bytes: number;
  /** When the catalog was last told of a use (ms since epoch). */
  touchedAt: number;
  /** Not evicted to make room: its object is still being written (write_behind.ts). */
  pinned?: boolean;
}

/** Options of HeldFrames. */
export interface HeldFramesOptions {
  /** Bytes the frames (and the reservations under way) may hold in all. */
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
   * Every frame is also in the state store (POLAROID_HANDLE_STORE=external): the frames are
   * a cache of it, and making room drops the least recently used ones instead of failing.
   * @default false
   */
  evictable?: boolean;
  /** Told of every handle whose frame is forgotten (e.g. the plan cache's entries). */
  onForget?: (id: string) => void;
  /** Logs each frame forgotten. @default silent */
  logger?: Logger;
}

/**
 * Bytes set aside for a frame about to be held: they count against the budget from
 * reserve() on, become the frame's with add(), and come back with release() (or at the end
 * of a `using` block) when it is not kept.
 */
export class FrameLease implements Disposable {
  readonly bytes: number;
  readonly #owner: HeldFrames;
  #open = true;

  /** @internal HeldFrames.reserve() makes leases. */
  constructor(owner: HeldFrames, bytes: number) {
    this.#owner = owner;
    this.bytes = bytes;
  }

  /** Holds `df` under `id` for `owner` (a tenant); the lease's bytes become the frame's. */
  add(id: string, df: Held, owner: string, now = Date.now()): void {
    if (!this.#open) throw new Error(`Cannot hold frame ${id} as its lease is already settled`);
    this.#open = false;
    this.#owner._settle(this.bytes, {
      id,
      frame: { df, owner, bytes: this.bytes, touchedAt: now },
    });
  }

  /** Gives the bytes back unless the frame was added; calling it again does nothing. */
  release(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#owner._settle(this.bytes);
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

/** Frames held in this worker's memory (or spill files), and their budget. */
export class HeldFrames {
  #frames = new Map<string, HeldFrame>();
  /** Bytes of the frames held. */
  #held = 0;
  /** Bytes of the leases not settled yet. */
  #reserved = 0;
  readonly #options: HeldFramesOptions;
  #gc: (() => void) | undefined;
  #gcThresholdBytes: number;
  #gcDelayMs: number;
  #droppedBytes = 0;
  #gcTimer: ReturnType<typeof setTimeout> | undefined;
  #gcSoon = false;
  #evictions = 0;

  constructor(options: HeldFramesOptions) {
    this.#options = options;
    this.#gc = options.collectGarbage ?? (globalThis as { gc?: () => void }).gc;
    this.#gcThresholdBytes = options.gcThresholdBytes ?? 64 * 1024 * 1024;
    this.#gcDelayMs = options.gcDelayMs ?? 2000;
  }

  /** Frames held. */
  get size(): number {
    return this.#frames.size;
  }

  /** Bytes of the frames held. */
  get bytes(): number {
    return this.#held;
  }

  /** The bytes of frames (and reservations) this worker may hold. */
  get budgetBytes(): number {
    return this.#options.maxBytes;
  }

  /** Bytes set aside for frames about to be held. */
  get reservedBytes(): number {
    return this.#reserved;
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
   * Sets `bytes` aside for a frame (0 for a spilled one), or throws LimitExceededError when
   * they would pass the budget; evictable frames make room first, least recently used first.
   */
  reserve(bytes: number): FrameLease {
    const max = this.#options.maxBytes;
    if (this.#options.evictable) {
      for (const [id, frame] of this.#frames) {
        if (this.#held + this.#reserved + bytes <= max) break;
        if (frame.pinned) continue;
        this.#drop(id);
        this.#evictions++;
      }
    }
    const holding = this.#held + this.#reserved;
    if (holding + bytes > max) {
      throw new LimitExceededError(
        `Cannot keep a result of ${bytes} bytes as this worker holds ${holding} of its ${max}-byte budget (POLAROID_MAX_WORKER_BYTES): release handles first`,
      );
    }
    this.#reserved += bytes;
    return new FrameLease(this, bytes);
  }

  /** @internal A lease ends: its bytes go back, or become the frame it adds. */
  _settle(bytes: number, kept?: { id: string; frame: HeldFrame }): void {
    this.#reserved -= bytes;
    if (kept === undefined) return;
    this.#drop(kept.id);
    this.#frames.set(kept.id, kept.frame);
    this.#held += bytes;
  }

  get(id: string): HeldFrame | undefined {
    const frame = this.#frames.get(id);
    if (frame && this.#options.evictable) {
      // Most recently used last: eviction walks the map from its start.
      this.#frames.delete(id);
      this.#frames.set(id, frame);
    }
    return frame;
  }

  /** Whether a frame is held under `id` (without counting as a use). */
  has(id: string): boolean {
    return this.#frames.has(id);
  }

  /** Keeps a held frame from eviction (its object is being written), or lets it go again. */
  pin(id: string, pinned = true): void {
    const frame = this.#frames.get(id);
    if (frame) frame.pinned = pinned;
  }

  /** Lets a pinned frame be evicted again (its object is written). */
  unpin(id: string): void {
    this.pin(id, false);
  }

  /**
   * Drops the frame of a handle that is gone (freed, expired, lost; `reason` is logged) and
   * tells `onForget`, whether or not a frame was held; true if one was.
   */
  forget(id: string, reason: string): boolean {
    this.#options.onForget?.(id);
    const dropped = this.#drop(id);
    if (dropped) this.#options.logger?.info("frame freed", { handle: id, reason });
    return dropped;
  }

  /**
   * Forgets the frame of every handle the catalog announces freed (on NATS); returns the
   * unsubscribe. Core NATS does not replay missed events: handle_sync.ts reconciles.
   */
  listen(nats: NatsConnection): () => void {
    const freed = nats.subscribe(`${HANDLE_EVENTS_SUBJECT}.freed`);
    (async () => {
      for await (const message of freed) {
        try {
          const event = HandleEvent.decode(message.data);
          if (event.kind !== HandleEvent_Kind.KIND_FREED) continue;
          // A span of the trace that freed the handle: this worker dropping its frame.
          inSpanSync("handle.freed receive", {
            kind: SpanKind.CONSUMER,
            parent: messageContext(message),
            attributes: {
              "messaging.system": "nats",
              "messaging.destination.name": message.subject,
              "polaroid.handle": event.id,
              "polaroid.reason": event.reason,
            },
          }, (span) => span.setAttribute("polaroid.dropped", this.forget(event.id, event.reason)));
        } catch (error) {
          this.#options.logger?.warn("bad handle event", { error: String(error) });
        }
      }
    })();
    return () => freed.unsubscribe();
  }

  /**
   * Tells the frames that memory they never held (e.g. a streamed result) was let go of, so
   * that it is collected as a dropped frame's would be.
   */
  letGo(bytes: number): void {
    this.#scheduleGc(bytes);
  }

  /** Forgets every frame (on shutdown). */
  clear(): void {
    for (const id of [...this.#frames.keys()]) this.#drop(id);
  }

  #drop(id: string): boolean {
    const frame = this.#frames.get(id);
    if (!frame) return false;
    this.#frames.delete(id);
    this.#held -= frame.bytes;
    this.#scheduleGc(frame.bytes);
    if (frame.df instanceof SpilledFrame) {
      // Nothing reads a dropped frame's file again; a failed removal leaves a stray file.
      Deno.remove(frame.df.path).catch(() => {});
    }
    return true;
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
