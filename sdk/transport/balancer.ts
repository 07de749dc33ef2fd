/**
 * Choosing the compute endpoint of each call attempt: round robin over the endpoints that
 * answer, or affinity (rendezvous hashing of the handle a call reads, so that the worker that
 * cached a frame keeps getting its reads). An endpoint that was unreachable is skipped for a
 * cool-down, unless every endpoint is down; a retry goes first to an endpoint known to be up.
 *
 * @module
 */

import type { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import type { Source } from "./session.ts";

/** How calls spread over the endpoints. */
export type BalanceMode = "round_robin" | "affinity";

/** The balance modes, for checks and documentation. */
export const BALANCE_MODES: readonly BalanceMode[] = ["round_robin", "affinity"];

/** Options of {@link Balancer}. */
export interface BalancerOptions {
  /**
   * "round_robin": each call goes to the next endpoint that answers. "affinity": calls that
   * name a handle go to the endpoint rendezvous hashing picks for it; the others round-robin.
   * @default "round_robin"
   */
  mode?: BalanceMode;
  /** How long an endpoint that was unreachable is skipped. @default 1000 */
  coolDownMs?: number;
  /** How long an endpoint that answered counts as known to be up. @default 30000 */
  upWindowMs?: number;
  /** The clock, in milliseconds (tests pass a fake). @default Date.now */
  now?: () => number;
}

/** Picks endpoints for call attempts; one per client (it keeps the round-robin position). */
export class Balancer {
  /** The endpoints, without duplicates, in the order given. */
  readonly endpoints: readonly string[];
  readonly mode: BalanceMode;
  readonly #coolDownMs: number;
  readonly #now: () => number;
  readonly #upWindowMs: number;
  readonly #downUntil = new Map<string, number>();
  readonly #upAt = new Map<string, number>();
  #next = 0;

  constructor(endpoints: readonly string[], options: BalancerOptions = {}) {
    this.endpoints = [...new Set(endpoints)];
    if (this.endpoints.length === 0) {
      throw new RangeError(
        "Cannot balance calls as 'endpoints' must name at least one endpoint: current value is []",
      );
    }
    const mode = options.mode ?? "round_robin";
    if (!BALANCE_MODES.includes(mode)) {
      throw new TypeError(
        `Cannot balance calls as 'balance' must be one of ${
          BALANCE_MODES.map((m) => `"${m}"`).join(", ")
        }: current value is ${JSON.stringify(mode)}`,
      );
    }
    this.mode = mode;
    this.#coolDownMs = options.coolDownMs ?? 1000;
    this.#upWindowMs = options.upWindowMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The endpoint of the next attempt of a call. `key` is the handle the call reads (affinity
   * mode routes by it); `tried` holds the endpoints this call already failed on. A first
   * attempt takes the next endpoint (or the key's) that is not cooling down. A retry prefers,
   * in order: an untried endpoint known to be up (it answered within the last `upWindowMs`),
   * an untried one not cooling down, a tried one known to be up, any not cooling down; and
   * when every endpoint cools down, the one whose cool-down ends first.
   */
  pick(key?: string, tried: ReadonlySet<string> = new Set()): string {
    const byKey = this.mode === "affinity" && key !== undefined;
    const order = byKey ? rendezvousOrder(key, this.endpoints) : this.#rotation();
    const live = (e: string) => !this.isDown(e);
    const fresh = (e: string) => !tried.has(e);
    const up = (e: string) => this.isUp(e);
    const choice = (tried.size > 0
      ? order.find((e) => fresh(e) && up(e)) ??
        order.find((e) => fresh(e) && live(e)) ??
        order.find((e) => up(e) && live(e)) ??
        order.find(live)
      : order.find(live)) ?? this.#soonestBack(order);
    if (!byKey) this.#next = (this.endpoints.indexOf(choice) + 1) % this.endpoints.length;
    return choice;
  }

  /** Skips `endpoint` for the cool-down (it was unreachable). */
  markDown(endpoint: string): void {
    this.#downUntil.set(endpoint, this.#now() + this.#coolDownMs);
    this.#upAt.delete(endpoint);
  }

  /** Ends the cool-down of `endpoint`, which is known to be up from now (it answered). */
  markUp(endpoint: string): void {
    this.#downUntil.delete(endpoint);
    this.#upAt.set(endpoint, this.#now());
  }

  /** Whether `endpoint` is in its cool-down. */
  isDown(endpoint: string): boolean {
    const until = this.#downUntil.get(endpoint);
    if (until === undefined) return false;
    if (this.#now() < until) return true;
    this.#downUntil.delete(endpoint);
    return false;
  }

  /** Whether `endpoint` answered within the last `upWindowMs`. */
  isUp(endpoint: string): boolean {
    const at = this.#upAt.get(endpoint);
    return at !== undefined && this.#now() - at <= this.#upWindowMs;
  }

  /** Of endpoints all cooling down, the one back first. */
  #soonestBack(order: readonly string[]): string {
    let best = order[0]!;
    for (const e of order) {
      if ((this.#downUntil.get(e) ?? 0) < (this.#downUntil.get(best) ?? 0)) best = e;
    }
    return best;
  }

  #rotation(): string[] {
    const n = this.endpoints.length;
    return Array.from({ length: n }, (_, i) => this.endpoints[(this.#next + i) % n]!);
  }
}

/**
 * `endpoints` ordered by their rendezvous (highest random weight) score for `key`, best
 * first: every client computes the same order, and adding an endpoint moves only the keys
 * it wins (about 1/N of them).
 */
export function rendezvousOrder(key: string, endpoints: readonly string[]): string[] {
  return endpoints
    .map((endpoint) => ({ endpoint, score: hash53(`${endpoint}\n${key}`) }))
    .sort((a, b) => b.score - a.score || (a.endpoint < b.endpoint ? -1 : 1))
    .map((s) => s.endpoint);
}

/** A 53-bit string hash with good avalanche (cyrb53). */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The first handle a plan scans, depth first in field order (inputs before the nodes built
 * on them), or undefined when it scans only files.
 */
export function firstHandleId(plan: Plan | undefined): string | undefined {
  const stack: unknown[] = [plan];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== "object" || ArrayBuffer.isView(value)) continue;
    const node = value as { $case?: unknown; value?: unknown };
    if (node.$case === "scan") {
      const source = (node.value as { source?: { $case: string; value: unknown } }).source;
      if (source?.$case === "handle" && typeof source.value === "string") return source.value;
    }
    const children = Object.values(value);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return undefined;
}

/** The handle a read of `source` names: the handle itself, or the first one its plan scans. */
export function sourceHandleId(source: Source): string | undefined {
  return source.$case === "handle" ? source.value : firstHandleId(source.value);
}
