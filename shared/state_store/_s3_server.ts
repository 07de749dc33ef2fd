/**
 * Real S3-protocol servers for tests, on free loopback ports.
 *
 * - `startS3rver()`: s3rver 3.7.1 (npm), in this process (it runs under Deno), with a
 *   temporary directory and one bucket. It does NOT enforce conditional writes: a PUT with
 *   `If-None-Match: *` over an existing key succeeds and replaces it.
 * - `startMotoServer()`: moto's `moto_server` (Python) as a child process, when it is
 *   installed. It enforces `If-None-Match: *` on PUT (412 PreconditionFailed), as AWS S3 does.
 *
 * @module
 */

import S3rver from "s3rver";
import { CreateBucketCommand, type CreateBucketCommandOutput, S3Client } from "@aws-sdk/client-s3";

/** A running server and the bucket made on it. */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  bucket: string;
  /** Credentials the server accepts. */
  accessKeyId: string;
  secretAccessKey: string;
  /** Where the server keeps its files (s3rver only). */
  directory?: string;
  /** Stops the server and removes what it stored; calling it twice is harmless. */
  close(): Promise<void>;
}

/** Options of the test servers. */
export interface S3TestServerOptions {
  /** @default "polaroid-test" */
  bucket?: string;
  /** How long to wait for the server to start. @default 20_000 */
  startTimeoutMs?: number;
}

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}

type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

/**
 * Starts s3rver in this process with a fresh directory and one bucket. A listing that needs
 * a second page fails on it with HTTP 500, under Deno and under node 20 alike: its
 * continuation tokens use the DES cipher, which neither runtime's crypto provides.
 */
export async function startS3rver(options: S3TestServerOptions = {}): Promise<S3TestServer> {
  const bucket = options.bucket ?? "polaroid-test";
  const directory = await Deno.makeTempDir({ prefix: "polaroid-s3rver-" });
  const server = new (S3rver as unknown as S3rverClass)({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  let port: number;
  try {
    ({ port } = await withTimeout(server.run(), options.startTimeoutMs ?? 20_000, "s3rver"));
  } catch (error) {
    await Deno.remove(directory, { recursive: true }).catch(() => {});
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    directory,
    close() {
      closed ??= (async () => {
        await withTimeout(server.close(), 10_000, "s3rver close").catch(() => {});
        await Deno.remove(directory, { recursive: true }).catch(() => {});
      })();
      return closed;
    },
  };
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the child has exited. */
async function stopChild(child: Deno.ChildProcess): Promise<void> {
  const kill = (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch {
      // already exited
    }
  };
  kill("SIGTERM");
  const timer = setTimeout(() => kill("SIGKILL"), 5_000);
  await child.status;
  clearTimeout(timer);
}

/** Whether `moto_server` is on the PATH. */
export async function hasMotoServer(): Promise<boolean> {
  try {
    const out = await new Deno.Command("moto_server", {
      args: ["--help"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return out.success;
  } catch {
    return false;
  }
}

/** Starts `moto_server` as a child process on a free port and makes one bucket. */
export async function startMotoServer(options: S3TestServerOptions = {}): Promise<S3TestServer> {
  const bucket = options.bucket ?? "polaroid-test";
  const port = freePort();
  const child = new Deno.Command("moto_server", {
    args: ["-H", "127.0.0.1", "-p", String(port)],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let closed: Promise<void> | undefined;
  const close = () => closed ??= stopChild(child);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForPort(port, options.startTimeoutMs ?? 20_000);
    const client = new S3Client({
      endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    try {
      await withTimeout<CreateBucketCommandOutput>(
        client.send(new CreateBucketCommand({ Bucket: bucket })),
        10_000,
        "moto CreateBucket",
      );
    } finally {
      client.destroy();
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, bucket, accessKeyId: "test", secretAccessKey: "test", close };
}

/** A loopback port that was free a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`server on port ${port} did not start within ${timeoutMs} ms`, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
