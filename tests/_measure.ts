/**
 * What one call costs a worker process, measured from outside while it runs: the process's
 * resident memory (VmRSS from /proc/<pid>/status) before, at its highest and after, and how
 * fast the worker answers health checks meanwhile (its event loop's responsiveness).
 *
 * @module
 */

/** Resident memory of a process, in bytes (Linux: /proc/<pid>/status). */
export function residentBytes(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`Cannot read VmRSS of process ${pid}`);
  return Number(kib) * 1024;
}

/** What {@link measure} saw. */
export interface Measured<T> {
  /** The call's value, or what it threw. */
  result: { ok: true; value: T } | { ok: false; error: unknown };
  /** Duration of the call. */
  ms: number;
  rssBefore: number;
  /** The highest resident memory sampled while the call ran. */
  rssMax: number;
  rssAfter: number;
  /** The slowest health answer while the call ran, and how many were asked. */
  healthMaxMs: number;
  healthCalls: number;
}

/**
 * Runs `call` while asking `health` (one health check of the worker) again and again, 20 ms
 * apart, and sampling the worker's resident memory.
 */
export async function measure<T>(
  pid: number,
  health: () => Promise<unknown>,
  call: () => Promise<T>,
): Promise<Measured<T>> {
  const rssBefore = residentBytes(pid);
  let rssMax = rssBefore;
  let healthMaxMs = 0;
  let healthCalls = 0;
  let done = false;
  const started = performance.now();
  const running = call().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  ).finally(() => done = true);
  while (!done) {
    const asked = performance.now();
    await health();
    healthMaxMs = Math.max(healthMaxMs, performance.now() - asked);
    healthCalls++;
    rssMax = Math.max(rssMax, residentBytes(pid));
    await Promise.race([running, new Promise((r) => setTimeout(r, 20))]);
  }
  const result = await running;
  const ms = performance.now() - started;
  return { result, ms, rssBefore, rssMax, rssAfter: residentBytes(pid), healthMaxMs, healthCalls };
}

/** One line of figures, for the test's output. */
export function figures(name: string, m: Measured<unknown>): string {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const outcome = m.result.ok ? "ran" : (m.result.error as Error).name;
  return `${name}: ${outcome} in ${m.ms.toFixed(0)} ms; RSS ${mib(m.rssBefore)} → max ${
    mib(m.rssMax)
  } → ${mib(m.rssAfter)}; slowest of ${m.healthCalls} health checks ${m.healthMaxMs.toFixed(0)} ms`;
}
