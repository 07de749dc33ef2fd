/**
 * One Polaroid service as a child process outside any supervisor, on free ports, for tests
 * that wire processes their own way (two handles replicas, a worker nothing restarts). Its
 * output goes to a log file; `kill` signals it, `stop` ends it.
 *
 * @module
 */

import { freePorts } from "../scripts/_ports.ts";
import { waitForHttp } from "../scripts/_wait.ts";
import { SERVICE_ENTRY_POINTS, type ServiceKind } from "../scripts/cluster.ts";

/** A running service process. */
export interface ServiceProcess extends AsyncDisposable {
  /** host:port of its gRPC server. */
  readonly endpoint: string;
  /** http://host:port of its /healthz and /metrics. */
  readonly http: string;
  readonly pid: number;
  /** Its output so far. */
  logs(): string;
  /** Sends a signal; does not wait for an exit. */
  kill(signal: Deno.Signal): void;
  /** SIGKILL and wait for the exit; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a service with `env` over the defaults and waits until its /healthz answers. */
export async function startServiceProcess(
  kind: ServiceKind,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const [grpc, http] = freePorts(2);
  const prefix = `POLAROID_${kind.toUpperCase()}`;
  const logFile = await Deno.makeTempFile({ prefix: `polaroid-${kind}-`, suffix: ".log" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", SERVICE_ENTRY_POINTS[kind]],
    env: {
      NO_COLOR: "1",
      [`${prefix}_PORT`]: String(grpc),
      [`${prefix}_HTTP_PORT`]: String(http),
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const append = async (stream: ReadableStream<Uint8Array>) => {
    using file = await Deno.open(logFile, { write: true, append: true });
    // Chunk by chunk, so that logs() sees each line as soon as it is written.
    for await (const chunk of stream) {
      for (let n = 0; n < chunk.length;) n += file.writeSync(chunk.subarray(n));
    }
  };
  const pumps = Promise.all([append(child.stdout), append(child.stderr)]).catch(() => {});
  let stopping: Promise<void> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      try {
        child.kill("SIGKILL");
      } catch {
        // Exited already.
      }
      await child.status;
      await pumps;
    })();
  const url = `http://127.0.0.1:${http}`;
  try {
    await waitForHttp(`${url}/healthz`, { timeoutMs: 60_000, what: `${kind} on port ${grpc}` });
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\n${await Deno.readTextFile(logFile)}`);
  }
  return {
    endpoint: `127.0.0.1:${grpc}`,
    http: url,
    pid: child.pid,
    logs: () => Deno.readTextFileSync(logFile),
    kill: (signal) => child.kill(signal),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
