import assert from "node:assert/strict";
import { HealthService } from "../gen/grpc/health/v1/health.ts";
import { NotFoundError } from "../errors.ts";
import { createLogger } from "../telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../telemetry/metrics.ts";
import { RpcClient } from "./client.ts";
import { ServingStatus } from "./health.ts";
import { startGrpcServer } from "./server.ts";

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

Deno.test("a malformed tenant header is refused with INVALID_ARGUMENT", async () => {
  const registry = createRegistry("test");
  await using server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [],
    maxMessageBytes: 1024 * 1024,
    logger: createLogger("test", { write: () => {} }),
    metrics: createRpcMetrics(registry),
  });
  const client = new RpcClient(`127.0.0.1:${server.port}`, HealthService, { tenant: "../x" });
  try {
    await assert.rejects(client.unary("check", { service: "" }), /tenant/);
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
        execute: none, schema: none, explain: none,
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
          Array.from({ length: 30 }, () => ({ arrowIpc: chunk, ttlSeconds: 0n, name: "" })),
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
