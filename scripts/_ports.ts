/**
 * Free TCP ports for local clusters and tests: listen on port 0, read the port the kernel
 * chose, close.
 *
 * @module
 */

/** Options of freePort() and freePorts(). */
export interface FreePortOptions {
  /** Interface to probe. @default "127.0.0.1" */
  hostname?: string;
}

/** Returns a TCP port that was free a moment ago. */
export function freePort(options: FreePortOptions = {}): number {
  const listener = Deno.listen({ hostname: options.hostname ?? "127.0.0.1", port: 0 });
  try {
    return (listener.addr as Deno.NetAddr).port;
  } finally {
    listener.close();
  }
}

/** Returns `count` distinct TCP ports that were free a moment ago. */
export function freePorts(count: number, options: FreePortOptions = {}): number[] {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(
      `Cannot pick free ports as 'count' must be a non-negative integer: current value is ${count}`,
    );
  }
  const hostname = options.hostname ?? "127.0.0.1";
  // Hold every listener open until all are picked so the kernel never hands out one twice.
  const listeners = Array.from({ length: count }, () => Deno.listen({ hostname, port: 0 }));
  try {
    return listeners.map((l) => (l.addr as Deno.NetAddr).port);
  } finally {
    for (const l of listeners) l.close();
  }
}

/** `count` distinct free ports, none of `taken` (ports already picked but not yet bound). */
export function freePortsBesides(
  count: number,
  taken: readonly number[],
  options: FreePortOptions = {},
): number[] {
  const avoid = new Set(taken);
  for (let attempt = 0; attempt < 20; attempt++) {
    const picked = freePorts(count + avoid.size, options).filter((p) => !avoid.has(p));
    if (picked.length >= count) return picked.slice(0, count);
  }
  throw new Error(`Cannot pick ${count} free ports besides ${taken.length} taken ones`);
}

/** True when a TCP port of `hostname` can be bound now. */
export function portIsFree(port: number, options: FreePortOptions = {}): boolean {
  try {
    Deno.listen({ hostname: options.hostname ?? "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}
