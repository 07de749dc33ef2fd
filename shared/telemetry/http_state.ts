/**
 * What the main thread of a service shares with its HTTP thread (http_worker.ts): the time of
 * its last heartbeat and whether it can serve, in a SharedArrayBuffer of two 64-bit slots.
 *
 * @module
 */

/** Slot of the last heartbeat, in milliseconds since the epoch. */
export const HEARTBEAT = 0;
/** Slot of the serving flag (1 serving, 0 not). */
export const SERVING = 1;

/** The shared state, created by the main thread. */
export function createHealthState(): { buffer: SharedArrayBuffer; slots: BigInt64Array } {
  const buffer = new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT);
  return { buffer, slots: new BigInt64Array(buffer) };
}

/** Records a heartbeat of the main thread at `now`, and whether it can serve. */
export function writeHealth(slots: BigInt64Array, now: number, serving: boolean): void {
  Atomics.store(slots, HEARTBEAT, BigInt(now));
  Atomics.store(slots, SERVING, serving ? 1n : 0n);
}

/**
 * The health the state shows at `now`: not serving when the main thread said so, or when its
 * last heartbeat is older than `maxBlockMs` (then `blockedMs` says how old).
 */
export function readHealth(
  slots: BigInt64Array,
  now: number,
  maxBlockMs: number,
): { serving: boolean; blockedMs?: number } {
  const age = now - Number(Atomics.load(slots, HEARTBEAT));
  if (age > maxBlockMs) return { serving: false, blockedMs: age };
  return { serving: Atomics.load(slots, SERVING) === 1n };
}
