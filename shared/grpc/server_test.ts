import assert from "node:assert/strict";
import { HealthService } from "../gen/grpc/health/v1/health.ts";
import {
  CollectRequest,
  DataFrameServiceService,
  ExecuteRequest,
  ExecuteResponse,
} from "../gen/polaroid/v1/dataframe.ts";
import { LimitExceededError, NotFoundError, UnavailableError } from "../errors.ts";
import { createLogger } from "../telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../telemetry/metrics.ts";
import { RpcClient } from "./client.ts";
import { ServingStatus } from "./health.ts";
import { type GrpcServer, startGrpcServer } from "./server.ts";
import { bind } from "./types.ts";
import { noAuthentication } from "../auth/authenticator.ts";

async function withServer(
  fn: (client: RpcClient<typeof HealthService>, lines: string[]) => Promise<void>,
) {
  const lines: string[] = [];
  const registry = createRegistry("test");
  await using server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [],
    maxMessageBytes: 1024 * 1024,
    logger: createLogger("test", { level: "debug", write: (l) => lines.push(l) }),
    metrics: createRpcMetrics(registry),
  });
  const client = new RpcClient(`127.0.0.1:${server.port}`, HealthService, { timeoutMs: 5000 });
  try {
    await fn(client, lines);
  } finally {
    client.close();
  }
}

Deno.test("startGrpcServer() answers grpc.health.v1 Check with SERVING", async () => {
  await withServer(async (client, lines) => {
    const response = await client.unary("check", { service: "" });
    assert.equal(response.status, ServingStatus.SERVING);
    const line = JSON.parse(lines.at(-1)!);
    assert.equal(line.method, "/grpc.health.v1.Health/Check");
    assert.equal(line.code, "OK");
  });
});

Deno.test("a handler's PolaroidError reaches the client as the same class", async () => {
  await withServer(async (client) => {
    await assert.rejects(client.unary("check", { service: "nope.Service" }), (e: unknown) => {
      assert.ok(e instanceof NotFoundError);
      assert.match(e.message, /unknown service nope.Service/);
      return true;
    });
  });
});

Deno.test("health checks need no credentials and ignore the tenant header", async () => {
  const registry = createRegistry("test");
  await using server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [],
    maxMessageBytes: 1024 * 1024,
    logger: createLogger("test", { write: () => {} }),
    metrics: createRpcMetrics(registry),
  });
  // (Other calls with a malformed tenant are INVALID_ARGUMENT: shared/auth/authenticator_test.ts.)
  const client = new RpcClient(`127.0.0.1:${server.port}`, HealthService, { tenant: "../x" });
  try {
    const answer = await client.unary("check", { service: "" });
    assert.equal(answer.status, ServingStatus.SERVING);
  } finally {
    client.close();
  }
});

Deno.test("Watch streams status changes until the client stops", async () => {
  const registry = createRegistry("test");
  await using server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [],
    maxMessageBytes: 1024 * 1024,
    logger: createLogger("test", { write: () => {} }),
    metrics: createRpcMetrics(registry),
  });
  const client = new RpcClient(`127.0.0.1:${server.port}`, HealthService);
  try {
    const seen: number[] = [];
    for await (const update of client.serverStream("watch", { service: "" })) {
      seen.push(update.status);
      if (seen.length === 1) server.health.setAll(ServingStatus.NOT_SERVING);
      if (seen.length === 2) break;
    }
    assert.deepEqual(seen, [ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
  } finally {
    client.close();
  }
});

Deno.test({
  name: "a client closing after a large upload does not kill the server (GOAWAY filter)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // A server in a child process, so that a crash shows as its exit rather than ours.
    const script = `
      import { startGrpcServer } from "${new URL("./server.ts", import.meta.url)}";
      import { bind } from "${new URL("./types.ts", import.meta.url)}";
      import { DataFrameServiceService } from "${new URL(
      "../gen/polaroid/v1/dataframe.ts",
      import.meta.url,
    )}";
      import { HandleInfo } from "${new URL("../gen/polaroid/v1/handle.ts", import.meta.url)}";
      import { createLogger } from "${new URL("../telemetry/log.ts", import.meta.url)}";
      import { createRegistry, createRpcMetrics } from "${new URL(
      "../telemetry/metrics.ts",
      import.meta.url,
    )}";
      const none = () => Promise.reject(new Error("unused"));
      const binding = bind(DataFrameServiceService, {
        execute: none, schema: none, explain: none, sink: none,
        async *collect() {},
        async upload(requests) { let n = 0; for await (const r of requests) n += r.arrowIpc.length; return { handle: HandleInfo.fromPartial({ id: String(n) }) }; },
      });
      const server = await startGrpcServer({ host: "127.0.0.1", port: 0, services: [binding],
        maxMessageBytes: 64 << 20, logger: createLogger("t", { write: () => {} }),
        metrics: createRpcMetrics(createRegistry("t")) });
      console.log(server.port);
      await new Promise(() => {});`;
    const file = await Deno.makeTempFile({
      suffix: ".ts",
      dir: new URL("./", import.meta.url).pathname,
    });
    await Deno.writeTextFile(file, script);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", file],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    try {
      const reader = child.stdout.getReader();
      const { value } = await reader.read();
      reader.releaseLock();
      const port = Number(new TextDecoder().decode(value).trim());
      const { DataFrameServiceService } = await import("../gen/polaroid/v1/dataframe.ts");
      const chunk = Buffer.alloc(1 << 20);
      for (let round = 0; round < 4; round++) {
        const client = new RpcClient(`127.0.0.1:${port}`, DataFrameServiceService, {
          timeoutMs: 30_000,
        });
        const response = await client.clientStream(
          "upload",
          Array.from(
            { length: 30 },
            () => ({ arrowIpc: chunk, ttlSeconds: 0n, name: "", bulkBytes: 0n }),
          ),
        );
        assert.equal(response.handle?.id, String(30 << 20));
        client.close();
        await new Promise((r) => setTimeout(r, 300));
      }
      const exited = await Promise.race([
        child.status.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 500)),
      ]);
      assert.equal(exited, false, "the server process died after a client closed");
    } finally {
      child.kill("SIGKILL");
      await child.status;
      await child.stdout.cancel().catch(() => {});
      await Deno.remove(file);
    }
  },
});

/**
 * A server whose Collect streams `batches` messages, each only once the test lets it
 * (`release()`), and whose other calls answer at once.
 */
async function gatedServer(maxConcurrentCalls: number) {
  const gates: Array<() => void> = [];
  const released = () => new Promise<void>((resolve) => gates.push(resolve));
  const binding = bind(DataFrameServiceService, {
    execute: () => Promise.resolve(ExecuteResponse.fromPartial({ cached: true })),
    schema: () => Promise.reject(new NotFoundError("no schema here")),
    explain: () => Promise.reject(new NotFoundError("no plan here")),
    sink: () => Promise.reject(new NotFoundError("no output here")),
    async *collect(request) {
      for (let i = 0; i < request.batchSize; i++) {
        await released();
        yield { arrowIpc: Buffer.alloc(8), rows: 1n, batchIndex: BigInt(i) };
      }
    },
    upload: () => Promise.reject(new NotFoundError("no upload here")),
  });
  const server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [binding],
    maxMessageBytes: 1024 * 1024,
    maxConcurrentCalls,
    logger: createLogger("test", { write: () => {} }),
    metrics: createRpcMetrics(createRegistry("test")),
  });
  const endpoint = `127.0.0.1:${server.port}`;
  // Both clients have the same channel options, so grpc-js runs them over one connection.
  const frames = new RpcClient(endpoint, DataFrameServiceService, { timeoutMs: 10_000 });
  const health = new RpcClient(endpoint, HealthService, { timeoutMs: 10_000 });
  const releaseAll = () => {
    for (const open of gates.splice(0)) open();
  };
  return {
    server,
    frames,
    health,
    /** Lets every waiting Collect send one more message. */
    release: releaseAll,
    /** Reads the rest of a Collect, releasing its messages as they are awaited. */
    async drainCollect(stream: AsyncGenerator<{ batchIndex: bigint }>): Promise<number[]> {
      const seen: number[] = [];
      const pump = setInterval(releaseAll, 5);
      try {
        for await (const message of stream) seen.push(Number(message.batchIndex));
      } finally {
        clearInterval(pump);
      }
      return seen;
    },
    async [Symbol.asyncDispose]() {
      releaseAll();
      frames.close();
      health.close();
      await server.close(1000);
    },
  };
}

async function until(server: GrpcServer, calls: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (server.activeCalls < calls) {
    if (Date.now() > deadline) throw new Error(`${calls} calls did not start within 5 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("a call beyond maxConcurrentCalls is refused at once with RESOURCE_EXHAUSTED", async () => {
  await using t = await gatedServer(2);
  const first = t.frames.serverStream("collect", CollectRequest.fromPartial({ batchSize: 3 }));
  const second = t.frames.serverStream("collect", CollectRequest.fromPartial({ batchSize: 3 }));
  // Both calls start and wait for their first message.
  const heads = [first.next(), second.next()];
  await until(t.server, 2);
  const started = performance.now();
  await assert.rejects(t.frames.unary("execute", ExecuteRequest.fromPartial({})), (e: unknown) => {
    assert.ok(e instanceof LimitExceededError, String(e));
    assert.match(e.message, /at most 2 calls at once \(POLAROID_MAX_CONCURRENT_CALLS\)/);
    assert.equal(e.metadata.limit, "2");
    return true;
  });
  assert.ok(performance.now() - started < 2000, "refused, not queued");
  // Health checks are neither refused nor counted.
  assert.equal((await t.health.unary("check", { service: "" })).status, ServingStatus.SERVING);
  t.release();
  assert.deepEqual((await Promise.all(heads)).map((h) => h.value?.batchIndex), [0n, 0n]);
  const rests = await Promise.all([t.drainCollect(first), t.drainCollect(second)]);
  assert.deepEqual(rests, [[1, 2], [1, 2]]);
  assert.equal(t.server.activeCalls, 0);
  const after = await t.frames.unary("execute", ExecuteRequest.fromPartial({}));
  assert.equal(after.cached, true, "a call is taken again once the others ended");
});

Deno.test("close() sends GOAWAY at once: the stream in flight finishes, a new call is not taken", async () => {
  await using t = await gatedServer(0);
  const stream = t.frames.serverStream("collect", CollectRequest.fromPartial({ batchSize: 5 }));
  const head = stream.next();
  await until(t.server, 1);
  t.release();
  const first = await head;
  assert.equal(first.value?.batchIndex, 0n);
  const closed = t.server.close(10_000);
  assert.equal(t.server.draining, true);
  assert.equal(t.server.health.serving, false);
  // The open connection takes no new call (GOAWAY) and the listener is closed: a client
  // learns at once that the call must go elsewhere.
  const started = performance.now();
  await assert.rejects(t.frames.unary("execute", ExecuteRequest.fromPartial({})), (e: unknown) => {
    assert.ok(e instanceof UnavailableError, String(e));
    return true;
  });
  assert.ok(performance.now() - started < 2000, "refused, not queued");
  const rest = await t.drainCollect(stream);
  assert.deepEqual(rest, [1, 2, 3, 4], "the stream in flight is served to its end");
  await closed;
  assert.ok(performance.now() - started < 5000, "close() returns once the stream is done");
});

Deno.test("polaroid_grpc_queue_seconds counts a call's wait for its credentials, per method", async () => {
  const registry = createRegistry("test");
  const none = noAuthentication();
  const unused = () => Promise.reject(new NotFoundError("unused"));
  await using server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [bind(DataFrameServiceService, {
      execute: () => Promise.resolve(ExecuteResponse.fromPartial({ cached: true })),
      schema: unused,
      explain: unused,
      sink: unused,
      async *collect() {},
      upload: unused,
    })],
    maxMessageBytes: 1024 * 1024,
    logger: createLogger("test", { write: () => {} }),
    metrics: createRpcMetrics(registry),
    // Verifying credentials takes 50 ms (health checks skip it).
    auth: {
      mode: "none",
      authorize: async (method, metadata) => {
        await new Promise((r) => setTimeout(r, 50));
        return await none.authorize(method, metadata);
      },
    },
  });
  const endpoint = `127.0.0.1:${server.port}`;
  const frames = new RpcClient(endpoint, DataFrameServiceService, { timeoutMs: 5000 });
  const health = new RpcClient(endpoint, HealthService, { timeoutMs: 5000 });
  try {
    await frames.unary("execute", ExecuteRequest.fromPartial({}));
    await health.unary("check", { service: "" });
  } finally {
    frames.close();
    health.close();
  }
  const text = await registry.getSingleMetricAsString("polaroid_grpc_queue_seconds");
  const value = (suffix: string, method: string) => {
    const line = text.split("\n").find((l) =>
      l.startsWith(`polaroid_grpc_queue_seconds_${suffix}{`) && l.includes(`method="${method}"`)
    );
    return Number(line?.split(" ").at(-1));
  };
  const execute = "/polaroid.v1.DataFrameService/Execute";
  const check = "/grpc.health.v1.Health/Check";
  assert.equal(value("count", execute), 1);
  assert.ok(value("sum", execute) >= 0.045, `queued ${value("sum", execute)} s`);
  assert.equal(value("count", check), 1);
  assert.ok(value("sum", check) < 0.045, `queued ${value("sum", check)} s`);
});
