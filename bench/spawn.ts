/**
 * Starts a benchmark's baseline server (bench/streaming_raw.ts, bench/echo_raw.ts,
 * bench/raw_tcp.ts) as its own process, like a compute worker, and waits for its
 * "port <n>" line.
 *
 * @module
 */

/** A baseline server process. */
export interface ServerProcess {
  port: number;
  /** `127.0.0.1:<port>`. */
  endpoint: string;
  /** Kills it (no graceful shutdown) and waits for its exit. */
  stop(): Promise<void>;
}

/** Runs `deno run -A <entry> ...args`; resolves once it printed "port <n>". */
export async function spawnServer(entry: URL, args: string[] = []): Promise<ServerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", entry.pathname, ...args],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/port \d+\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${entry.pathname} exited before it listened: ${text}`);
    text += value;
  }
  reader.releaseLock();
  const port = Number(/port (\d+)/.exec(text)![1]);
  return {
    port,
    endpoint: `127.0.0.1:${port}`,
    async stop() {
      // No graceful shutdown: a closing grpc-js server under Deno can abort on a GOAWAY.
      try {
        child.kill("SIGKILL");
      } catch {
        // It already exited; its status says how.
      }
      await child.status;
      await child.stdout.cancel().catch(() => {});
    },
  };
}
