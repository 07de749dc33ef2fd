/**
 * Writing results to the external handle store behind the call (docs/adr/0017): a result is
 * registered as `object_pending` and held (pinned: not evictable) by the worker that made
 * it, its reply goes out, and then its object is written and named to the catalog with
 * SetHandleObject. Until then the worker serves it from memory, and other workers wait for
 * the object (resolver.ts). A write that fails leaves the frame with its worker alone, as
 * the memory store would; the object of a handle freed meanwhile is left to the handles
 * service's garbage collection, like any object no handle names. A stopping worker
 * waits for the writes under way before it ends its lease (which would mark them lost).
 *
 * @module
 */

import {
  FailedPreconditionError,
  GrpcCode,
  NotFoundError,
  PolaroidError,
} from "../../shared/errors.ts";
import type { StateStore } from "../../shared/state_store/store.ts";
import type { Logger } from "../../shared/telemetry/log.ts";
import type { WorkersClient } from "./handle_sync.ts";
import type { HeldFrames } from "./held_frames.ts";
import type { Held } from "./engine/frame_access.ts";
import { persist, type PersistOptions } from "./objects.ts";

/** How a write behind ended. */
export type WriteOutcome = "written" | "failed" | "gone";

/** Options of WriteBehind. */
export interface WriteBehindOptions {
  store: StateStore;
  workers: WorkersClient;
  frames: HeldFrames;
  workerId: string;
  logger: Logger;
  /** Writes under way at most; a result past it is written through. @default 8 */
  maxPending?: number;
  /** How long naming the object is retried while the handles service is away. @default 30000 */
  retryMs?: number;
  /** Told of each write's end (metrics). */
  onEnd?: (outcome: WriteOutcome, seconds: number) => void;
}

/** The writes behind of one worker. */
export class WriteBehind {
  readonly #options: WriteBehindOptions;
  readonly #pending = new Map<string, Promise<void>>();

  constructor(options: WriteBehindOptions) {
    this.#options = options;
  }

  /** Writes under way. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Whether another write may start now (else the result is written through). */
  get open(): boolean {
    return this.#pending.size < (this.#options.maxPending ?? 8);
  }

  /**
   * Writes handle `id`'s frame (held and pinned by this worker) after the current task, so
   * that the call's reply leaves first; `persist` is the object's options but the store.
   */
  start(id: string, df: Held, persistOptions: Omit<PersistOptions, "store">): void {
    const started = performance.now();
    const write = new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(() => this.#write(id, df, persistOptions))
      .then((outcome) => this.#options.onEnd?.(outcome, (performance.now() - started) / 1000))
      .finally(() => this.#pending.delete(id));
    this.#pending.set(id, write);
  }

  /** Waits for the writes under way, for at most `timeoutMs`; false if some are left. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.#pending.size === 0) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<false>((resolve) => timer = setTimeout(resolve, timeoutMs, false));
    try {
      return await Promise.race([
        Promise.allSettled([...this.#pending.values()]).then(() => true),
        timedOut,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #write(
    id: string,
    df: Held,
    persistOptions: Omit<PersistOptions, "store">,
  ): Promise<WriteOutcome> {
    const { store, frames, logger } = this.#options;
    // Freed before its turn (its frame dropped): nothing to write.
    if (!frames.has(id)) return "gone";
    let key: string;
    try {
      key = await persist(df, { ...persistOptions, store });
    } catch (error) {
      // The frame stays this worker's alone (pinned: it is the only copy).
      logger.warn("write behind failed", { handle: id, error: describe(error) });
      await this.#name(id, undefined).catch((e) =>
        logger.warn("write behind: the failure could not be recorded", {
          handle: id,
          error: describe(e),
        })
      );
      return "failed";
    }
    try {
      await this.#name(id, key);
    } catch (error) {
      // Freed meanwhile (or lost): no handle names the object, and the handles service's
      // garbage collection removes it after its grace period (compute deletes no object).
      const gone = error instanceof NotFoundError || error instanceof FailedPreconditionError;
      if (!gone) {
        logger.warn("write behind: the object could not be named", {
          handle: id,
          error: describe(error),
        });
      }
      return "gone";
    }
    frames.unpin(id);
    return "written";
  }

  /** SetHandleObject, repeated while the handles service cannot be reached. */
  async #name(id: string, objectKey: string | undefined): Promise<void> {
    const { workers, workerId } = this.#options;
    const until = Date.now() + (this.#options.retryMs ?? 30_000);
    const request = {
      id,
      worker: workerId,
      objectKey: objectKey ?? "",
      failed: objectKey === undefined,
    };
    for (let wait = 100;; wait = Math.min(wait * 2, 2000)) {
      try {
        await workers.unary("setHandleObject", request, { timeoutMs: 10_000 });
        return;
      } catch (error) {
        const unavailable = error instanceof PolaroidError &&
          error.code === GrpcCode.UNAVAILABLE;
        if (!unavailable || Date.now() + wait > until) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
