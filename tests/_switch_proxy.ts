/**
 * A TCP proxy for bulk-port tests, listening on a port chosen before the server starts (the
 * port the server advertises): it forwards each connection, refuses it (closes at once), holds
 * it without an answer, or cuts it after a number of bytes sent downstream, as its mode says
 * when it is accepted.
 *
 * @module
 */

/** What the proxy does with the next connection. */
export type ProxyMode =
  | { kind: "forward" }
  | { kind: "refuse" }
  /** Accept and answer nothing (a port behind a firewall that drops packets). */
  | { kind: "hang" }
  | { kind: "cut"; afterBytes: number };

/** A running proxy; `await using` stops it. */
export interface SwitchProxy extends AsyncDisposable {
  readonly mode: ProxyMode;
  /** Sets the mode of later connections and closes those open (clients keep them alive). */
  switch(mode: ProxyMode): void;
  /** Connections accepted, refused and cut so far. */
  readonly counts: { accepted: number; refused: number; cut: number };
  close(): Promise<void>;
}

/** Starts a proxy on `127.0.0.1:port` to `upstreamPort` on loopback. */
export function startSwitchProxy(port: number, upstreamPort: number): SwitchProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  const open = new Set<Deno.Conn>();
  const counts = { accepted: 0, refused: 0, cut: 0 };
  const proxy: SwitchProxy = {
    mode: { kind: "forward" },
    switch(mode) {
      (proxy as { mode: ProxyMode }).mode = mode;
      closeOpen();
    },
    counts,
    close,
    [Symbol.asyncDispose]: close,
  };

  const pipe = async (from: Deno.Conn, to: Deno.Conn, budget: number, onCut: () => void) => {
    const buffer = new Uint8Array(64 * 1024);
    let left = budget;
    try {
      while (true) {
        const n = await from.read(buffer);
        if (n === null) break;
        const send = Math.min(n, left);
        let at = 0;
        while (at < send) at += await to.write(buffer.subarray(at, send));
        left -= send;
        if (left <= 0) {
          onCut();
          break;
        }
      }
    } catch {
      // Either side closed.
    }
    for (const conn of [from, to]) {
      try {
        conn.close();
      } catch {
        // Closed already.
      }
    }
  };

  const serve = async (client: Deno.Conn, mode: ProxyMode) => {
    if (mode.kind === "refuse") {
      counts.refused++;
      client.close();
      return;
    }
    if (mode.kind === "hang") {
      counts.refused++;
      open.add(client);
      return;
    }
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname: "127.0.0.1", port: upstreamPort });
    } catch {
      client.close();
      return;
    }
    open.add(client);
    open.add(upstream);
    const budget = mode.kind === "cut" ? mode.afterBytes : Number.POSITIVE_INFINITY;
    await Promise.all([
      pipe(upstream, client, budget, () => counts.cut++),
      pipe(client, upstream, Number.POSITIVE_INFINITY, () => {}),
    ]);
    open.delete(client);
    open.delete(upstream);
  };

  const accepting = (async () => {
    try {
      for await (const client of listener) {
        counts.accepted++;
        void serve(client, proxy.mode);
      }
    } catch {
      // The listener closed.
    }
  })();

  function closeOpen(): void {
    for (const conn of open) {
      try {
        conn.close();
      } catch {
        // Closed already.
      }
    }
    open.clear();
  }

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    return closing ??= (async () => {
      listener.close();
      closeOpen();
      await accepting;
    })();
  }
  return proxy;
}
