/**
 * Registering results over the RegisterHandles stream: the handles service's side
 * (services/handles/register_stream.ts) and the worker's (register_stream.ts), through real
 * gRPC servers on loopback. Faults (a stream that breaks after registering, replies that never
 * come) are made by wrapping the real handler, as register_test.ts does for RegisterHandle.
 */

import assert from "node:assert/strict";
import {
  DeadlineExceededError,
  InvalidArgumentError,
  UnavailableError,
} from "../../shared/errors.ts";
import {
  HandleServiceService,
  HandleWorkerServiceService,
  type RegisterHandleRequest,
  type RegisterHandlesReply,
  type RegisterHandlesRequest,
} from "../../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../../shared/grpc/client.ts";
import { startGrpcServer } from "../../shared/grpc/server.ts";
import type { CallContext, ServiceBinding } from "../../shared/grpc/types.ts";
import { createLogger } from "../../shared/telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../../shared/telemetry/metrics.ts";
import { waitFor } from "../../scripts/_wait.ts";
import { MemoryLeaseStore } from "../handles/lease_store.ts";
import { WorkerLeases } from "../handles/leases.ts";
import { MemoryCatalog } from "../handles/memory_catalog.ts";
import { handleServiceBinding } from "../handles/server.ts";
import { handleWorkerBinding } from "../handles/worker_server.ts";
import { registerResult } from "./register.ts";
import { RegisterStream } from "./register_stream.ts";

type Replies = (
  requests: AsyncIterable<RegisterHandlesRequest>,
  ctx: CallContext,
) => AsyncIterable<RegisterHandlesReply>;

/**
 * A handles service on loopback: the real HandleService and HandleWorkerService over one
 * memory catalog; `wrap` may stand between RegisterHandles and its real handler; `worker`
 * false serves HandleService alone (a handles service without the stream).
 */
async function handlesService(
  options: { wrap?: (real: Replies) => Replies; worker?: boolean } = {},
) {
  const catalog = new MemoryCatalog();
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("handles", {
    write: (line: string) => lines.push(JSON.parse(line)),
  });
  const services: ServiceBinding[] = [handleServiceBinding(catalog)];
  let streams = 0;
  if (options.worker !== false) {
    const binding = handleWorkerBinding(
      new WorkerLeases(new MemoryLeaseStore(), catalog),
      catalog,
      logger,
    );
    const real = binding.handlers.registerHandles as unknown as Replies;
    const counted: Replies = (requests, ctx) => {
      streams++;
      return real(requests, ctx);
    };
    binding.handlers.registerHandles = (options.wrap ? options.wrap(counted) : counted) as never;
    services.push(binding);
  }
  const server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services,
    maxMessageBytes: 1 << 20,
    logger: createLogger("test", { write: () => {} }),
    metrics: createRpcMetrics(createRegistry("test")),
  });
  const endpoint = `127.0.0.1:${server.port}`;
  const handles = new RpcClient(endpoint, HandleServiceService, { timeoutMs: 5000 });
  const workers = new RpcClient(endpoint, HandleWorkerServiceService, { timeoutMs: 5000 });
  return {
    catalog,
    handles,
    workers,
    lines,
    server,
    streams: () => streams,
    async [Symbol.asyncDispose]() {
      handles.close();
      workers.close();
      await server.close(1000);
      catalog.close();
    },
  };
}

function request(requestId: string, extra: Partial<RegisterHandleRequest> = {}) {
  return {
    schema: undefined,
    rows: 10n,
    bytes: 80n,
    ttlSeconds: 0n,
    worker: "compute-1",
    name: "",
    metadata: {},
    objectKey: "",
    workerIncarnation: "",
    objectPending: false,
    requestId,
    ...extra,
  };
}

/** Sends `requests` on one stream and collects every reply, by request id. */
async function exchange(
  workers: RpcClient<typeof HandleWorkerServiceService>,
  requests: RegisterHandlesRequest[],
): Promise<Map<string, RegisterHandlesReply>> {
  const replies = new Map<string, RegisterHandlesReply>();
  await new Promise<void>((resolve, reject) => {
    const call = workers.duplex("registerHandles");
    call.on("data", (reply: RegisterHandlesReply) => replies.set(reply.requestId, reply));
    call.on("error", reject);
    call.on("end", () => resolve());
    for (const r of requests) call.write(r);
    call.end();
  });
  return replies;
}

Deno.test("RegisterHandles registers each request for its tenant and answers each, errors too", async () => {
  await using t = await handlesService();
  const ids = Array.from({ length: 100 }, () => crypto.randomUUID());
  const good = ids.map((id, i) => ({
    tenant: i % 2 === 0 ? "acme" : "globex",
    register: request(id),
    traceContext: {},
  }));
  const bad: RegisterHandlesRequest[] = [
    {
      tenant: "../etc",
      register: request("11111111-1111-4111-8111-111111111111"),
      traceContext: {},
    },
    { tenant: "acme", register: request(""), traceContext: {} },
    { tenant: "acme", register: request("not-a-uuid"), traceContext: {} },
    {
      tenant: "acme",
      register: request("22222222-2222-4222-8222-222222222222", { ttlSeconds: 10n ** 9n }),
      traceContext: {},
    },
  ];
  // The same request id again: the same handle (idempotent, as RegisterHandle).
  const repeat = { ...good[0]! };
  const replies = await exchange(t.workers, [
    ...good.slice(0, 20),
    ...bad,
    ...good.slice(20),
    repeat,
  ]);
  for (const [i, id] of ids.entries()) {
    const reply = replies.get(id);
    assert.equal(reply?.outcome?.$case, "handle", `${id}: ${reply?.outcome?.$case}`);
    const info = reply.outcome.value;
    const tenant = i % 2 === 0 ? "acme" : "globex";
    assert.ok(info.id.startsWith(`${tenant}.`), info.id);
    // The catalog knows it, for its tenant only.
    const resolved = await t.handles.unary("resolveHandle", { id: info.id }, { tenant });
    assert.equal(resolved.rows, 10n);
  }
  assert.equal((await t.catalog.list("acme")).handles.length, 50, "the repeat made no handle");
  const errorOf = (id: string) => {
    const outcome = replies.get(id)?.outcome;
    assert.equal(outcome?.$case, "error", id);
    return outcome.value;
  };
  const badTenant = errorOf("11111111-1111-4111-8111-111111111111");
  assert.equal(badTenant.code, 3, "INVALID_ARGUMENT");
  assert.match(badTenant.message, /tenant/);
  assert.match(errorOf("").message, /'register.request_id' must be set/);
  assert.equal(errorOf("not-a-uuid").code, 3);
  assert.match(errorOf("22222222-2222-4222-8222-222222222222").message, /ttl/i);
  // Each registration left an audit line, as a RegisterHandle call does.
  const audits = t.lines.filter((l) =>
    l.msg === "audit" && l.method === "/polaroid.v1.HandleWorkerService/RegisterHandles"
  );
  assert.equal(audits.length, good.length + bad.length + 1);
  assert.equal(audits.filter((l) => l.code === "OK").length, good.length + 1);
});

Deno.test("RegisterStream registers over one stream, many at once, and closes it when idle", async () => {
  await using t = await handlesService();
  const stream = new RegisterStream(t.workers, t.handles, { idleMs: 200 });
  try {
    const infos = await Promise.all(
      Array.from(
        { length: 50 },
        (_, i) => stream.register(request(crypto.randomUUID(), { rows: BigInt(i) }), "acme"),
      ),
    );
    assert.equal(new Set(infos.map((i) => i.id)).size, 50);
    assert.deepEqual(infos.map((i) => i.rows), Array.from({ length: 50 }, (_, i) => BigInt(i)));
    assert.equal(t.streams(), 1, "one stream for all of them");
    assert.ok(stream.streaming);
    // Idle, the stream ends; the next registration opens another.
    assert.ok(stream.open);
    await waitFor(() => !stream.open, { timeoutMs: 5000 });
    await stream.register(request(crypto.randomUUID()), "globex");
    assert.equal(t.streams(), 2);
    // A refusal fails that registration alone, as RegisterHandle would.
    await assert.rejects(
      stream.register(request(crypto.randomUUID(), { ttlSeconds: 10n ** 9n }), "acme"),
      InvalidArgumentError,
    );
    await stream.register(request(crypto.randomUUID()), "acme");
    assert.equal(t.streams(), 2);
  } finally {
    stream.close();
  }
  // Closed: what comes later goes by RegisterHandle.
  const later = await stream.register(request(crypto.randomUUID()), "acme");
  assert.ok(later.id.startsWith("acme."));
  assert.equal(t.streams(), 2);
});

Deno.test("a stream that breaks after registering: the repeat gets the same handle", async () => {
  let broken = 0;
  await using t = await handlesService({
    // The first stream registers what it reads, then fails before any reply leaves.
    wrap: (real) =>
      async function* (requests, ctx) {
        if (broken++ > 0) return yield* real(requests, ctx);
        for await (const _ of real(requests, ctx)) {
          throw new UnavailableError("the connection broke under the stream");
        }
      },
  });
  const stream = new RegisterStream(t.workers, t.handles);
  try {
    // registerResult sets the request id.
    const info = await registerResult(stream, request(""), { tenant: "acme", backoffMs: 1 });
    assert.equal(t.streams(), 2, "the registration went again on a new stream");
    const { handles } = await t.catalog.list("acme");
    assert.deepEqual(handles.map((h) => h.id), [info.id], "one handle, not two");
  } finally {
    stream.close();
  }
});

Deno.test("a registration not answered in time fails DEADLINE_EXCEEDED; others go on", async () => {
  await using t = await handlesService({
    // Replies to requests for tenant "slow" are never sent.
    wrap: (real) =>
      async function* (requests, ctx) {
        const slow = new Set<string>();
        async function* noted() {
          for await (const r of requests) {
            if (r.tenant === "slow") slow.add(r.register!.requestId);
            yield r;
          }
        }
        for await (const reply of real(noted(), ctx)) {
          if (!slow.has(reply.requestId)) yield reply;
        }
      },
  });
  const stream = new RegisterStream(t.workers, t.handles, { timeoutMs: 300 });
  try {
    const started = performance.now();
    const [late, ok] = await Promise.allSettled([
      stream.register(request(crypto.randomUUID()), "slow"),
      stream.register(request(crypto.randomUUID()), "acme"),
    ]);
    assert.equal(ok.status, "fulfilled");
    assert.equal(late.status, "rejected");
    assert.ok(late.reason instanceof DeadlineExceededError, String(late.reason));
    assert.ok(performance.now() - started < 5000);
    assert.ok(stream.streaming, "the stream goes on");
    await stream.register(request(crypto.randomUUID()), "acme");
  } finally {
    stream.close();
  }
});

Deno.test("a handles service without the stream is called with RegisterHandle", async () => {
  await using t = await handlesService({ worker: false });
  const stream = new RegisterStream(t.workers, t.handles);
  try {
    const info = await registerResult(stream, request(""), { tenant: "acme", backoffMs: 1 });
    assert.ok(info.id.startsWith("acme."));
    assert.equal(stream.streaming, false);
    assert.equal((await t.catalog.list("acme")).handles.length, 1);
    await stream.register(request(crypto.randomUUID()), "acme");
    assert.equal((await t.catalog.list("acme")).handles.length, 2);
  } finally {
    stream.close();
  }
});

Deno.test("RegisterStream refuses a registration without a request id", async () => {
  await using t = await handlesService();
  const stream = new RegisterStream(t.workers, t.handles);
  try {
    await assert.rejects(stream.register(request(""), "acme"), /needs a request id/);
  } finally {
    stream.close();
  }
});

Deno.test("a stopping handles service ends the stream at once rather than wait out its grace", async () => {
  await using t = await handlesService();
  const stream = new RegisterStream(t.workers, t.handles);
  try {
    await stream.register(request(crypto.randomUUID()), "acme");
    assert.ok(stream.open);
    const started = performance.now();
    await t.server.close(10_000);
    const took = performance.now() - started;
    assert.ok(took < 5000, `the stop took ${Math.round(took)} ms of its 10 s grace`);
    await waitFor(() => !stream.open, { timeoutMs: 5000, what: "the stream to end" });
  } finally {
    stream.close();
  }
});

Deno.test("a worker that cancels its stream mid-way gives the handles service its slot back", async () => {
  await using t = await handlesService();
  const call = t.workers.duplex("registerHandles");
  const ended = new Promise<void>((resolve) => {
    call.on("error", () => resolve());
    call.on("end", () => resolve());
  });
  call.on("data", () => {});
  for (let i = 0; i < 200; i++) {
    call.write({ tenant: "acme", register: request(crypto.randomUUID()), traceContext: {} });
  }
  await waitFor(() => t.server.activeCalls === 1, { timeoutMs: 5000, what: "the stream served" });
  call.cancel();
  await ended;
  await waitFor(() => t.server.activeCalls === 0, {
    timeoutMs: 5000,
    what: "the cancelled stream's slot given back",
  });
  // The service goes on: a new stream registers.
  const stream = new RegisterStream(t.workers, t.handles);
  try {
    assert.ok((await stream.register(request(crypto.randomUUID()), "acme")).id.startsWith("acme."));
  } finally {
    stream.close();
  }
});
