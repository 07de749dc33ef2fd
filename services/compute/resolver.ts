/**
 * Turns the handle ids a plan names into frames: from this worker's store when it holds
 * them (the catalog is told of the use at most once a second per handle), else through the
 * handles service, which says whether the handle exists and which worker holds it. With the
 * external handle store, a frame this worker does not hold is loaded from its object and
 * kept in the worker's cache (one load per handle at a time).
 *
 * While freed events may have been missed (handle_sync.ts: NATS down, or not caught up since
 * it came back), a held frame is served only after the catalog confirms its handle is live.
 *
 * @module
 */

import type { RpcClient } from "../../shared/grpc/client.ts";
import type { HandleServiceService } from "../../shared/gen/polaroid/v1/handles.ts";
import {
  FailedPreconditionError,
  HandleLostError,
  HandleNotFoundError,
  NotFoundError,
  PolaroidError,
  UnavailableError,
} from "../../shared/errors.ts";
import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import { parseHandleId } from "../../shared/ids.ts";
import type { Logger } from "../../shared/telemetry/log.ts";
import type { HeldFrames } from "./held_frames.ts";
import { type Held, heldMemoryBytes } from "./engine/frame_access.ts";
import { load } from "./objects.ts";
import type { StateStore } from "../../shared/state_store/store.ts";

/** How often, at most, a use of a held frame renews its TTL in the catalog. */
const TOUCH_INTERVAL_MS = 1000;

export type HandlesClient = RpcClient<typeof HandleServiceService>;

/** What the resolver needs to know of the worker's sync with the catalog (handle_sync.ts). */
export interface CatalogSync {
  /** Whether held frames may be served without asking the catalog first. */
  readonly trusted: boolean;
}

/** Options of HandleResolver. */
export interface HandleResolverOptions {
  frames: HeldFrames;
  handles: HandlesClient;
  workerId: string;
  logger: Logger;
  /** The external handle store. */
  store?: StateStore;
  /** @default always trusted */
  sync?: CatalogSync;
  /**
   * How long a read waits for a handle's object that another worker is still writing
   * (writing behind) before it fails UNAVAILABLE. @default 60000
   */
  writeWaitMs?: number;
}

/** Frames found in this worker's memory and loaded from the store, since start. */
export interface CacheStats {
  hits: number;
  misses: number;
}

export class HandleResolver {
  #options: HandleResolverOptions;
  #sync: CatalogSync;
  #loading = new Map<string, Promise<Held>>();
  readonly stats: CacheStats = { hits: 0, misses: 0 };

  constructor(options: HandleResolverOptions) {
    this.#options = options;
    this.#sync = options.sync ?? { trusted: true };
  }

  /**
   * The frame of one handle, for the tenant; HandleNotFoundError when it is not theirs.
   * `signal` ends a wait for an object another worker is still writing.
   */
  async frame(id: string, tenant: string, signal?: AbortSignal): Promise<Held> {
    if (parseHandleId(id).tenant !== tenant) throw notFound(id);
    const held = this.#options.frames.get(id);
    if (held && held.owner === tenant) {
      const now = Date.now();
      if (!this.#sync.trusted) {
        // A free may have been missed: the catalog decides before the frame is served.
        await this.#confirm(id, tenant);
        held.touchedAt = now;
        // Dropped meanwhile (a freed event arrived): it is gone.
        if (this.#options.frames.get(id) !== held) throw notFound(id);
      } else if (now - held.touchedAt > TOUCH_INTERVAL_MS) {
        held.touchedAt = now;
        this.#touch(id, tenant);
      }
      this.stats.hits++;
      return held.df;
    }
    // Not held here: the catalog says whether it exists and where.
    let info = await this.#options.handles.unary("resolveHandle", { id }, { tenant });
    if (this.#options.store && info.objectPending && info.worker !== this.#options.workerId) {
      info = await this.#awaitObject(info, tenant, signal);
    }
    if (this.#options.store && info.objectKey !== "") {
      this.stats.misses++;
      return await this.#load(id, tenant, info.objectKey, this.#options.store);
    }
    if (info.worker !== this.#options.workerId) {
      const why = this.#options.store
        ? "its object could not be written to the store"
        : "the memory store does not share frames between workers";
      throw new FailedPreconditionError(
        `Cannot read handle ${id} as it is held by worker ${info.worker} and this worker is ${this.#options.workerId} (${why})`,
        { metadata: { worker: info.worker } },
      );
    }
    // The catalog names this worker, which does not hold it: this process started after the
    // handle was made, and the catalog has not marked it lost yet.
    throw HandleLostError.of("read", { id, worker: info.worker, reason: "restarted" });
  }

  /**
   * The handle's record once the worker that made it has written its object (or failed to),
   * asked again with a growing pause; UnavailableError past the wait.
   */
  async #awaitObject(info: HandleInfo, tenant: string, signal?: AbortSignal): Promise<HandleInfo> {
    const waitMs = this.#options.writeWaitMs ?? 60_000;
    const until = Date.now() + waitMs;
    for (let pause = 5; info.objectPending; pause = Math.min(pause * 2, 250)) {
      signal?.throwIfAborted();
      if (Date.now() + pause > until) {
        throw new UnavailableError(
          `Cannot read handle ${info.id} as worker ${info.worker} is still writing its object after ${waitMs} ms (POLAROID_STORE_WRITE_WAIT_MS)`,
          { metadata: { worker: info.worker } },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      info = await this.#options.handles.unary("resolveHandle", { id: info.id }, { tenant });
    }
    return info;
  }

  /** Resolves the handle with the catalog; drops the frame if it is gone. */
  async #confirm(id: string, tenant: string): Promise<void> {
    try {
      await this.#options.handles.unary("resolveHandle", { id }, { tenant });
    } catch (error) {
      if (error instanceof HandleNotFoundError || error instanceof HandleLostError) {
        this.#options.frames.forget(id, "checked");
        throw error instanceof HandleLostError ? error : notFound(id);
      }
      throw error;
    }
  }

  async #load(id: string, tenant: string, key: string, store: StateStore): Promise<Held> {
    const pending = this.#loading.get(id);
    if (pending) return pending;
    const loading = (async () => {
      const started = performance.now();
      const df = await load(store, key).catch((error) => {
        // The catalog names it, so its object must be there: a missing one is a lost frame.
        if (error instanceof NotFoundError) throw notFound(id);
        throw error;
      });
      const bytes = heldMemoryBytes(df);
      this.#options.frames.reserve(bytes).add(id, df, tenant);
      this.#options.logger.info("frame loaded", {
        handle: id,
        bytes,
        ms: Math.round(performance.now() - started),
      });
      return df;
    })();
    this.#loading.set(id, loading);
    try {
      return await loading;
    } finally {
      this.#loading.delete(id);
    }
  }

  /** Frames of every id, for the tenant. */
  async frames(
    ids: readonly string[],
    tenant: string,
    signal?: AbortSignal,
  ): Promise<Map<string, Held>> {
    const entries = await Promise.all(
      ids.map(async (id) => [id, await this.frame(id, tenant, signal)] as const),
    );
    return new Map(entries);
  }

  #touch(id: string, tenant: string): void {
    this.#options.handles.unary("resolveHandle", { id }, { tenant }).catch((error) => {
      if (error instanceof HandleNotFoundError || error instanceof HandleLostError) {
        this.#options.frames.forget(id, "touched");
        return;
      }
      this.#options.logger.warn("touch failed", {
        handle: id,
        error: PolaroidError.from(error).message,
      });
    });
  }
}

function notFound(id: string): HandleNotFoundError {
  return new HandleNotFoundError(
    `handle ${id} does not exist (released, expired or never created)`,
    {
      metadata: { handle: id },
    },
  );
}
