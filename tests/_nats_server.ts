/**
 * A real nats-server on a free port, for tests of one service started in-process.
 *
 * @module
 */

import { findCommand } from "../scripts/_debian.ts";
import { freePort } from "../scripts/_ports.ts";
import { waitForTcp } from "../scripts/_wait.ts";

/** A nats-server child process. */
export interface NatsServer extends AsyncDisposable {
  readonly url: string;
  /** Kills the server and waits for it to exit; safe to call twice. */
  stop(): Promise<void>;
}

/** Options of startNatsServer(). */
export interface NatsServerOptions {
  /** Give up waiting for the port after this long. @default 10000 */
  timeoutMs?: number;
  /** Run JetStream (`-js`), its store in a temporary directory removed on stop. @default false */
  jetStream?: boolean;
  /** Listen on this port (a server started again where clients reconnect). @default a free one */
  port?: number;
}

/**
 * Starts `nats-server -a 127.0.0.1 -p <free port>` (with `-js` for JetStream) and waits until
 * it accepts connections.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const binary = await findCommand("nats-server");
  if (!binary) throw new Error("nats-server is missing: run `deno task test`, which installs it");
  const port = options.port ?? freePort();
  const store = options.jetStream ? await Deno.makeTempDir({ prefix: "polaroid-js-" }) : "";
  const child = new Deno.Command(binary, {
    args: ["-a", "127.0.0.1", "-p", String(port), ...(store ? ["-js", "-sd", store] : [])],
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
      if (store) await Deno.remove(store, { recursive: true }).catch(() => {});
    })();
  try {
    await waitForTcp("127.0.0.1", port, {
      timeoutMs: options.timeoutMs ?? 10_000,
      intervalMs: 20,
      what: `nats-server on port ${port}`,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `nats://127.0.0.1:${port}`, stop, [Symbol.asyncDispose]: stop };
}
