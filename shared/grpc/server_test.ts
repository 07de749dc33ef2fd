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
