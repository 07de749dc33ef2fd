/**
 * Test helpers: a real nats-server on a free port, and bounded waiting.
 *
 * @module
 */

/** A free TCP port on 127.0.0.1 (bound on port 0, read, closed). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A nats-server child process. */
export interface NatsServer extends AsyncDisposable {
  readonly url: string;
  /** Kills the server and waits for it to exit; safe to call twice. */
  stop(): Promise<void>;
}

/** Options of startNatsServer(). */
export interface NatsServerOptions {
  /** @default "nats-server" on PATH, else "/usr/sbin/nats-server" */
  binary?: string;
  /** Give up waiting for the port after this long. @default 10000 */
  timeoutMs?: number;
}

/** Starts `nats-server -a 127.0.0.1 -p <free port>` and waits until it accepts connections. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const port = freePort();
  const child = spawn(options.binary, ["-a", "127.0.0.1", "-p", String(port)]);
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
    await waitFor(async () => {
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        return true;
      } catch {
        return false;
      }
    }, { timeoutMs: options.timeoutMs ?? 10_000, what: `nats-server on port ${port}` });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `nats://127.0.0.1:${port}`, stop, [Symbol.asyncDispose]: stop };
}

function spawn(binary: string | undefined, args: string[]): Deno.ChildProcess {
  const run = (command: string) =>
    new Deno.Command(command, { args, stdin: "null", stdout: "null", stderr: "null" }).spawn();
  if (binary) return run(binary);
  try {
    return run("nats-server");
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return run("/usr/sbin/nats-server");
    throw error;
  }
}

/** Options of waitFor(). */
export interface WaitForOptions {
  /** @default 5000 */
  timeoutMs?: number;
  /** @default 20 */
  intervalMs?: number;
  /** Named in the timeout error. @default "condition" */
  what?: string;
}

/** Polls `check` until it returns true; throws after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${options.timeoutMs ?? 5000} ms waiting for ${
          options.what ?? "condition"
        }`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}
