/**
 * The plan cache: an Execute whose plan equals an earlier one over the same inputs returns
 * the earlier result's handle instead of recomputing it.
 *
 * A key is the SHA-256 of the plan's protobuf bytes and the caller's tenant. Handles are
 * immutable, and a plan names its inputs by handle id, so equal bytes mean equal inputs.
 * Plans that read files are not cached (a file may change under the same path): the plan's
 * analysis says which are (PlanAnalysis.cacheable). An entry
 * is dropped when its result or any of its inputs is freed, and the oldest entry goes when
 * the cache is full.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { Plan } from "../../shared/gen/polaroid/v1/plan.ts";

/** Options of a PlanCache. */
export interface PlanCacheOptions {
  /** Entries kept; 0 disables the cache. @default 1024 */
  maxEntries?: number;
}

/** Counts since start, for metrics. */
export interface PlanCacheStats {
  hits: number;
  misses: number;
  /** Plans that could not be cached (file scans, named results, opt-outs). */
  skipped: number;
  entries: number;
}

interface Entry {
  result: string;
  inputs: readonly string[];
}

/** The cache key of a plan run for a tenant. */
export function planKey(plan: Plan, tenant: string): string {
  return createHash("sha256")
    .update(tenant)
    .update("\0")
    .update(Plan.encode(plan).finish())
    .digest("hex");
}

/** Plan results by key, forgotten when a handle they involve is freed. */
export class PlanCache {
  readonly #max: number;
  /** Insertion order is age: the first entry is the oldest. */
  readonly #entries = new Map<string, Entry>();
  /** Keys by the handle ids (inputs and results) they involve. */
  readonly #byHandle = new Map<string, Set<string>>();
  readonly #stats = { hits: 0, misses: 0, skipped: 0 };

  constructor(options: PlanCacheOptions = {}) {
    const max = options.maxEntries ?? 1024;
    if (!Number.isSafeInteger(max) || max < 0) {
      throw new RangeError(
        `Cannot create plan cache as 'maxEntries' must be a non-negative integer: current value is ${max}`,
      );
    }
    this.#max = max;
  }

  /** Whether the cache keeps anything. */
  get enabled(): boolean {
    return this.#max > 0;
  }

  /** Counts since start. */
  get stats(): PlanCacheStats {
    return { ...this.#stats, entries: this.#entries.size };
  }

  /** Counts a plan that will not be looked up. */
  skip(): void {
    this.#stats.skipped++;
  }

  /** The result handle of an equal earlier plan, counting a hit or a miss. */
  lookup(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.#stats.misses++;
      return undefined;
    }
    this.#stats.hits++;
    return entry.result;
  }

  /**
   * Records `result` as the handle of the plan `key`, which read the handles `inputs` (its
   * analysis' handleIds).
   */
  store(key: string, inputs: readonly string[], result: string): void {
    if (this.#max === 0) return;
    this.#remove(key);
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#remove(oldest);
    }
    this.#entries.set(key, { result, inputs: [...inputs] });
    for (const id of [result, ...inputs]) {
      let keys = this.#byHandle.get(id);
      if (keys === undefined) this.#byHandle.set(id, keys = new Set());
      keys.add(key);
    }
  }

  /** Drops every entry whose result or inputs include the freed handle `id`. */
  forget(id: string): number {
    const keys = this.#byHandle.get(id);
    if (keys === undefined) return 0;
    let dropped = 0;
    for (const key of [...keys]) dropped += this.#remove(key) ? 1 : 0;
    return dropped;
  }

  /** Drops one entry by key (a result that turned out to be gone). */
  invalidate(key: string): void {
    this.#remove(key);
  }

  #remove(key: string): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    this.#entries.delete(key);
    for (const id of [entry.result, ...entry.inputs]) {
      const keys = this.#byHandle.get(id);
      keys?.delete(key);
      if (keys?.size === 0) this.#byHandle.delete(id);
    }
    return true;
  }
}
