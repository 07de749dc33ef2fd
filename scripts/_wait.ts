/**
 * Bounded waiting: poll a probe until it holds, a deadline passes, or the wait is aborted.
 *
 * @module
 */

/** Options of waitFor() and the probes built on it. */
export interface WaitOptions {
  /** Give up after this long. @default 30000 */
  timeoutMs?: number;
  /** Pause between probes. @default 100 */
  intervalMs?: number;
  /** Stops waiting early; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Names what is awaited in the timeout message. @default "the condition" */
  what?: string;
}

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Calls `probe` until it returns true, then resolves. A probe that throws counts as false.
 * Rejects with an Error naming `what` after `timeoutMs`.
 */
export async function waitFor(
  probe: () => boolean | Promise<boolean>,
  options: WaitOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    let ok = false;
    try {
      ok = await probe();
    } catch {
      ok = false;
    }
    if (ok) return;
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${options.what ?? "the condition"}`,
      );
    }
    await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())), options.signal);
  }
}

/** True when a GET of `url` answers 200 within `timeoutMs`. */
export async function httpOk(url: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Waits until a GET of `url` answers 200. */
export function waitForHttp(url: string, options: WaitOptions = {}): Promise<void> {
  return waitFor(() => httpOk(url), { what: `200 from ${url}`, ...options });
}

/** True when a TCP connection to `hostname:port` opens. */
export async function tcpOpen(hostname: string, port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname, port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/** Waits until `hostname:port` accepts TCP connections. */
export function waitForTcp(
  hostname: string,
  port: number,
  options: WaitOptions = {},
): Promise<void> {
  return waitFor(() => tcpOpen(hostname, port), { what: `${hostname}:${port}`, ...options });
}
