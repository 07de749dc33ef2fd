/**
 * The chunks of a request body, cut when nothing arrives for `idleMs` or when `signal`
 * aborts: a slow or stalled upload cannot hold its slot and memory for ever.
 *
 * @module
 */

/** Options of {@link idleBody}. */
export interface IdleBodyOptions {
  idleMs: number;
  signal: AbortSignal;
  /** Called when the wait for a chunk passed `idleMs` (before the read is cancelled). */
  onIdle: () => void;
}

/** The chunks of `body`, each waited for at most `idleMs`. */
export async function* idleBody(
  body: ReadableStream<Uint8Array>,
  options: IdleBodyOptions,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  const stop = () => reader.cancel(options.signal.reason).catch(() => {});
  options.signal.addEventListener("abort", stop, { once: true });
  try {
    while (true) {
      options.signal.throwIfAborted();
      const timer = setTimeout(() => {
        options.onIdle();
      }, options.idleMs);
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } finally {
        clearTimeout(timer);
      }
      options.signal.throwIfAborted();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    options.signal.removeEventListener("abort", stop);
    reader.releaseLock();
  }
}
