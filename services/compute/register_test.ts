import assert from "node:assert/strict";
import { InvalidArgumentError, UnavailableError } from "../../shared/errors.ts";
import { HandleServiceService } from "../../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../../shared/grpc/client.ts";
import { startGrpcServer } from "../../shared/grpc/server.ts";
import { createLogger } from "../../shared/telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../../shared/telemetry/metrics.ts";
import { MemoryCatalog } from "../handles/memory_catalog.ts";
import { handleServiceBinding } from "../handles/server.ts";
import { registerResult } from "./register.ts";
import { unaryRegistrar } from "./register_stream.ts";

/**
 * A real handles service whose first `lost` register responses are lost after the catalog
 * registered (the caller sees UNAVAILABLE, as when the connection broke under the call).
 */
async function handlesLosingResponses(lost: number) {
  const catalog = new MemoryCatalog();
  const binding = handleServiceBinding(catalog);
  const register = binding.handlers.registerHandle!;
  let calls = 0;
  binding.handlers.registerHandle = async (...args: unknown[]) => {
    const response = await register(...args);
    if (++calls <= lost) throw new UnavailableError("the connection broke under the call");
    return response;
  };
  const server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [binding],
    maxMessageBytes: 1 << 20,
    logger: createLogger("test", { write: () => {} }),
    metrics: createRpcMetrics(createRegistry("test")),
  });
  const client = new RpcClient(`127.0.0.1:${server.port}`, HandleServiceService, {
    timeoutMs: 5000,
  });
  return {
    catalog,
    client,
    calls: () => calls,
    async [Symbol.asyncDispose]() {
      client.close();
      await server.close(1000);
      catalog.close();
    },
  };
}

const REQUEST = {
  schema: undefined,
  rows: 10n,
  bytes: 80n,
  ttlSeconds: 0n,
  worker: "compute-1",
  name: "result",
  metadata: {},
  objectKey: "handles/acme/x",
  workerIncarnation: "",
  objectPending: false,
};

Deno.test("registerResult() repeats a register whose answer was lost, and gets one handle", async () => {
  await using t = await handlesLosingResponses(2);
  const info = await registerResult(unaryRegistrar(t.client), REQUEST, {
    tenant: "acme",
    backoffMs: 1,
  });
  assert.equal(t.calls(), 3, "two answers lost, the third arrived");
  const { handles } = await t.catalog.list("acme");
  assert.deepEqual(handles.map((h) => h.id), [info.id], "one handle, not three");
  assert.equal(handles[0]!.refcount, 1);
  assert.equal(handles[0]!.name, "result", "its own name did not refuse the repeats");
});

Deno.test("registerResult() gives up after its attempts and does not repeat other errors", async () => {
  await using t = await handlesLosingResponses(5);
  await assert.rejects(
    registerResult(unaryRegistrar(t.client), REQUEST, {
      tenant: "acme",
      attempts: 2,
      backoffMs: 1,
    }),
    UnavailableError,
  );
  assert.equal(t.calls(), 2);
  await assert.rejects(
    registerResult(unaryRegistrar(t.client), { ...REQUEST, ttlSeconds: 10n ** 9n }, {
      tenant: "acme",
    }),
    InvalidArgumentError,
  );
  assert.equal(t.calls(), 2, "a refused register is not repeated");
});
