/**
 * A real redis-server on a free port (no persistence: its data lives as long as it does), for
 * tests of the Redis Streams source.
 *
 * @module
 */

import { findCommand } from "../scripts/_debian.ts";
import { freePort } from "../scripts/_ports.ts";
import { waitForTcp } from "../scripts/_wait.ts";

/** A running redis-server; `await using` stops it. */
export interface RedisServer extends AsyncDisposable {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server --port <port>` (a free one by default; a given one to start a server
 * again where clients reconnect) and waits until it accepts connections.
 */
export async function startRedisServer(options: { port?: number } = {}): Promise<RedisServer> {
  const binary = await findCommand("redis-server");
  if (!binary) throw new Error("redis-server is missing: run `deno task test`, which installs it");
  const port = options.port ?? freePort();
  const child = new Deno.Command(binary, {
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let stopping: Promise<void> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
      await child.status;
    })();
  try {
    await waitForTcp("127.0.0.1", port, {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: `redis-server on port ${port}`,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop, [Symbol.asyncDispose]: stop };
}
