/**
 * A real nats-server with JetStream on a free port and a temporary store directory, for the
 * tests of the JetStream KV catalog.
 *
 * @module
 */

import { findCommand } from "../../scripts/_debian.ts";
import { freePort } from "../../scripts/_ports.ts";
import { waitForTcp } from "../../scripts/_wait.ts";

/** A nats-server child process with JetStream. */
export interface JetStreamServer extends AsyncDisposable {
  readonly url: string;
  /** Kills the server, waits for it and removes its store; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts `nats-server -js` and waits until it accepts connections. */
export async function startJetStreamServer(): Promise<JetStreamServer> {
  const binary = await findCommand("nats-server");
  if (!binary) throw new Error("nats-server is missing: run `deno task test`, which installs it");
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "polaroid-js-" });
  const child = new Deno.Command(binary, {
    args: ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", dir],
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
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    })();
  try {
    await waitForTcp("127.0.0.1", port, { timeoutMs: 10_000, intervalMs: 20, what: "nats-server" });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `nats://127.0.0.1:${port}`, stop, [Symbol.asyncDispose]: stop };
}
