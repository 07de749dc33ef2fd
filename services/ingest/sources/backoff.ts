/**
 * The waits of sources between attempts: exponential backoff with full jitter (a wait drawn
 * from 0 to base × 2^failures, at most `maxMs`), cut short when the source stops.
 *
 * @module
 */

/** A wait before attempt `failures` + 1, in whole milliseconds. */
export function backoffMs(failures: number, baseMs = 100, maxMs = 10_000): number {
  return Math.round(Math.random() * Math.min(maxMs, baseMs * 2 ** Math.min(failures, 10)));
}

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Waits for `work`, at most `ms` (a source's close: bounded however its upstream behaves). */
export async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
