/**
 * A worker's reads of live tables (shared/live_table.ts): a plan scanning a table sees the
 * consistent prefix of its committed segments as it is when the plan starts. Segments are
 * immutable, so each is loaded once and kept (least recently used first out, within a byte
 * budget); a table's snapshot is the concatenation of its segments' frames.
 *
 * @module
 */

import pl from "nodejs-polars";
import { FailedPreconditionError, LimitExceededError, NotFoundError } from "../../shared/errors.ts";
import { readConsistentPrefix } from "../../shared/live_table.ts";
import { load } from "./objects.ts";
import type { StateStore } from "../../shared/state_store/store.ts";

/** Options of LiveTables. */
export interface LiveTablesOptions {
  /** Where the tables are; none refuses every live scan. */
  store: StateStore | undefined;
  /** Bytes of segment frames kept between plans. @default 256 MiB */
  cacheBytes?: number;
  /** Bytes of segments one table's snapshot may read (its frame's size, about). */
  maxTableBytes: number;
}

/** Loads live tables' snapshots for plans. */
export class LiveTables {
  readonly #o: LiveTablesOptions;
  readonly #cache = new Map<string, { frame: pl.DataFrame; bytes: number }>();
  #cached = 0;
  /** Segments found in the cache, and loaded from the store. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(options: LiveTablesOptions) {
    this.#o = options;
  }

  /** The tenant's table as its committed segments are now; NotFoundError when it has none. */
  async snapshot(tenant: string, table: string): Promise<pl.DataFrame> {
    const store = this.#o.store;
    if (!store) {
      throw new FailedPreconditionError(
        `Cannot scan live table ${
          JSON.stringify(table)
        } as this service has no state store (POLAROID_STATE_DIR or POLAROID_S3_BUCKET): live tables live there`,
        { metadata: { table } },
      );
    }
    const { segments, values } = await readConsistentPrefix(
      store,
      tenant,
      table,
      (segment) => this.#segment(store, segment.key, segment.bytes),
      (listed) => this.#check(table, listed.reduce((sum, s) => sum + s.bytes, 0)),
    );
    if (segments.length === 0) {
      throw new NotFoundError(
        `Cannot scan live table ${
          JSON.stringify(table)
        } as it does not exist (no source has committed to it)`,
        { metadata: { table } },
      );
    }
    return values.length === 1 ? values[0]! : pl.concat(values, { how: "diagonalRelaxed" });
  }

  /** Checks a table's size before it is read: called with the listing's byte total. */
  #check(table: string, bytes: number): void {
    if (bytes > this.#o.maxTableBytes) {
      throw new LimitExceededError(
        `Cannot scan live table ${
          JSON.stringify(table)
        } as a scan may read at most ${this.#o.maxTableBytes} bytes (POLAROID_MAX_RESULT_BYTES): current value is ${bytes}; set a retention on its source`,
        { metadata: { table } },
      );
    }
  }

  async #segment(store: StateStore, key: string, bytes: number): Promise<pl.DataFrame> {
    const hit = this.#cache.get(key);
    if (hit) {
      // Most recently used last.
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      this.stats.hits++;
      return hit.frame;
    }
    this.stats.misses++;
    const frame = await load(store, key);
    const budget = this.#o.cacheBytes ?? 256 * 1024 * 1024;
    if (bytes <= budget) {
      this.#cache.set(key, { frame, bytes });
      this.#cached += bytes;
      for (const [old, entry] of this.#cache) {
        if (this.#cached <= budget) break;
        this.#cache.delete(old);
        this.#cached -= entry.bytes;
      }
    }
    return frame;
  }
}
