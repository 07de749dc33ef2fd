/**
 * A TCP proxy for tests that break connections for real: it forwards every connection to an
 * upstream address and cuts a connection (closing both sockets) once it has carried a given
 * number of bytes downstream.
 *
 * @module
 */

/** Options of startCutProxy(). */
export interface CutProxyOptions {
  /** "host:port" to forward to. */
  upstream: string;
  /**
   * Bytes sent downstream (upstream → client) after which a connection is cut; one entry per
   * connection in accept order, later connections are never cut.
   */
  cutAfterBytes: readonly number[];
}

/** A running proxy; `await using` stops it. */
export interface CutProxy extends AsyncDisposable {
  /** "127.0.0.1:port" to dial instead of the upstream. */
  readonly endpoint: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections cut so far. */
  readonly cuts: number;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port. */
export function startCutProxy(options: CutProxyOptions): CutProxy {
  const [host, port] = splitEndpoint(options.upstream);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const tasks = new Set<Promise<void>>();
  let connections = 0;
  let cuts = 0;

  const serve = async (client: Deno.Conn, budget: number) => {
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname: host, port });
    } catch {
      close(client);
      return;
    }
    open.add(client);
    open.add(upstream);
    let sent = 0;
    const pump = async (from: Deno.Conn, to: Deno.Conn, down: boolean) => {
      const buffer = new Uint8Array(64 * 1024);
      try {
        while (true) {
          const n = await from.read(buffer);
          if (n === null) break;
          let chunk = buffer.subarray(0, n);
          if (down && sent + n >= budget) {
            chunk = chunk.subarray(0, budget - sent);
            await writeAll(to, chunk);
            sent = budget;
            cuts++;
            break;
          }
          await writeAll(to, chunk);
          if (down) sent += n;
        }
      } catch {
        // A socket closed under us: the other pump ends as well.
      }
      close(client);
      close(upstream);
    };
    await Promise.all([pump(client, upstream, false), pump(upstream, client, true)]);
    open.delete(client);
    open.delete(upstream);
  };

  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        const budget = options.cutAfterBytes[connections++] ?? Infinity;
        const task = serve(conn, budget);
        tasks.add(task);
        task.finally(() => tasks.delete(task));
      }
    } catch {
      // The listener was closed.
    }
  })();

  const addr = listener.addr as Deno.NetAddr;
  let closing: Promise<void> | undefined;
  const stop = () =>
    closing ??= (async () => {
      try {
        listener.close();
      } catch {
        // Already closed.
      }
      for (const conn of open) close(conn);
      await accepting;
      await Promise.all([...tasks]);
    })();
  return {
    endpoint: `127.0.0.1:${addr.port}`,
    get connections() {
      return connections;
    },
    get cuts() {
      return cuts;
    },
    close: stop,
    [Symbol.asyncDispose]: stop,
  };
}

function splitEndpoint(endpoint: string): [string, number] {
  const at = endpoint.lastIndexOf(":");
  return [endpoint.slice(0, at), Number(endpoint.slice(at + 1))];
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) offset += await conn.write(bytes.subarray(offset));
}

function close(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}
