import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { HealthService } from "../gen/grpc/health/v1/health.ts";
import {
  CollectRequest,
  DataFrameServiceService,
  ExecuteRequest,
  ExecuteResponse,
  UploadRequest,
} from "../gen/polaroid/v1/dataframe.ts";
import { HandleInfo } from "../gen/polaroid/v1/handle.ts";
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from "../config_limits.ts";
import { ApiKeyStore, newApiKey } from "../auth/api_keys.ts";
import { type Authenticator, tokenAuthentication } from "../auth/authenticator.ts";
import { CancelledError, DeadlineExceededError, LimitExceededError } from "../errors.ts";
import { createLogger } from "../telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../telemetry/metrics.ts";
import { RpcClient } from "./client.ts";
import { ServingStatus } from "./health.ts";
import { startGrpcServer } from "./server.ts";
import { bind } from "./types.ts";

/**
 * A server whose handlers run until the test lets them end (`finish()`), so calls can be
 * cancelled, timed out and abandoned while their handlers still run.
 */
async function heldServer(
  limits: Partial<ServerLimits> = {},
  maxConcurrentCalls = 0,
  auth?: Authenticator,
) {
  const gates: Array<() => void> = [];
  const held = () => new Promise<void>((resolve) => gates.push(resolve));
  let settled = 0;
  const lines: string[] = [];
  const binding = bind(DataFrameServiceService, {
    execute: async () => {
      try {
        await held();
        return ExecuteResponse.fromPartial({ cached: true });
      } finally {
        settled++;
      }
    },
    schema: () => Promise.resolve({ schema: undefined, rows: 0n }),
    explain: () => Promise.resolve({ logical: "", optimized: "" }),
    sink: () => Promise.resolve({ path: "", bytes: 0n }),
    async *collect(request) {
      try {
        await held();
        for (let i = 0; i < request.batchSize; i++) {
          yield { arrowIpc: Buffer.alloc(64 * 1024), rows: 1n, batchIndex: BigInt(i) };
        }
      } finally {
        settled++;
      }
    },
    async upload(requests) {
      let n = 0;
      try {
        for await (const r of requests) n += r.arrowIpc.byteLength;
      } finally {
        settled++;
      }
      return { handle: HandleInfo.fromPartial({ id: String(n) }) };
    },
  });
  const server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [binding],
    maxMessageBytes: 4 * 1024 * 1024,
    maxConcurrentCalls,
    ...(auth ? { auth } : {}),
    limits: { ...DEFAULT_SERVER_LIMITS, ...limits },
    logger: createLogger("test", { write: (l) => lines.push(l) }),
    metrics: createRpcMetrics(createRegistry("test")),
  });
  const endpoint = `127.0.0.1:${server.port}`;
  const frames = new RpcClient(endpoint, DataFrameServiceService, { timeoutMs: 10_000 });
  const health = new RpcClient(endpoint, HealthService, { timeoutMs: 10_000 });
  return {
    server,
    endpoint,
    frames,
    health,
    lines,
    /** Handlers that returned or threw so far. */
    get settled() {
      return settled;
    },
    /** Lets every held handler go on. */
    finish: () => {
      for (const open of gates.splice(0)) open();
    },
    async [Symbol.asyncDispose]() {
      for (const open of gates.splice(0)) open();
      frames.close();
      health.close();
      await server.close(1000);
    },
  };
}

/** Waits for `check` to hold, within `ms`. */
async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("a call ended by its deadline gives its slot back while its handler still runs", async () => {
  await using t = await heldServer({}, 2);
  // A deadline long enough for the call to reach its handler on a busy machine.
  const call = t.frames.unary("execute", ExecuteRequest.fromPartial({}), { timeoutMs: 3000 });
  call.catch(() => {}); // awaited below; a failed wait must not leave it unhandled
  await until("the call starting", () => t.server.activeCalls === 1);
  await assert.rejects(call, (e: unknown) => e instanceof DeadlineExceededError);
  await until("the slot coming back", () => t.server.activeCalls === 0);
  assert.equal(t.server.abandonedCalls, 1, "the handler runs on, counted as abandoned");
  t.finish();
  await until("the handler settling", () => t.settled === 1);
  assert.equal(t.server.abandonedCalls, 0);
});

Deno.test("a cancelled stream gives its slot back before its handler yields anything", async () => {
  await using t = await heldServer({}, 2);
  const controller = new AbortController();
  const stream = t.frames.serverStream(
    "collect",
    CollectRequest.fromPartial({ batchSize: 3 }),
    { signal: controller.signal },
  );
  const head = stream.next();
  await until("the call starting", () => t.server.activeCalls === 1);
  controller.abort();
  await assert.rejects(head, (e: unknown) => e instanceof CancelledError);
  await until("the slot coming back", () => t.server.activeCalls === 0);
  t.finish();
  await until("the handler settling", () => t.settled === 1);
  assert.equal(t.server.abandonedCalls, 0);
  const line = t.lines.map((l) => JSON.parse(l)).find((l) =>
    l.msg === "rpc" && l.method?.endsWith("/Collect")
  );
  assert.equal(line.code, "CANCELLED");
});

Deno.test("abandoned handlers have a budget: past it, calls are refused as a busy server's", async () => {
  await using t = await heldServer({}, 2);
  const calls = [0, 1].map(() =>
    t.frames.unary("execute", ExecuteRequest.fromPartial({}), { timeoutMs: 3000 })
  );
  for (const call of calls) call.catch(() => {}); // awaited below
  await until("the calls starting", () => t.server.activeCalls === 2);
  for (const call of calls) {
    await assert.rejects(call, (e: unknown) => e instanceof DeadlineExceededError);
  }
  await until("two abandoned handlers", () => t.server.abandonedCalls === 2);
  await assert.rejects(
    t.frames.unary("execute", ExecuteRequest.fromPartial({}), { timeoutMs: 5000 }),
    (e: unknown) => {
      assert.ok(e instanceof LimitExceededError, String(e));
      assert.match(e.message, /2 calls that ended early still run on this server/);
      assert.equal(e.metadata.retryable, "true");
      return true;
    },
  );
  t.finish();
  await until("the handlers settling", () => t.server.abandonedCalls === 0);
  const taken = t.frames.unary("execute", ExecuteRequest.fromPartial({}));
  await until("the call starting", () => t.server.activeCalls === 1);
  t.finish();
  assert.equal((await taken).cached, true);
});

Deno.test("a response stream the client does not read is cut after the idle timeout", async () => {
  await using t = await heldServer({ streamIdleTimeoutMs: 300 }, 2);
  const queued = setInterval(() => t.finish(), 20);
  // A raw call that reads one message and then nothing (its buffers fill up).
  const client = new grpc.Client(t.endpoint, grpc.credentials.createInsecure());
  const def = DataFrameServiceService.collect;
  const call = client.makeServerStreamRequest(
    def.path,
    def.requestSerialize,
    def.responseDeserialize,
    CollectRequest.fromPartial({ batchSize: 10_000 }),
  );
  const ended = new Promise<grpc.ServiceError | undefined>((resolve) => {
    call.on("error", (e: grpc.ServiceError) => resolve(e));
    call.on("end", () => resolve(undefined));
  });
  try {
    await new Promise<void>((resolve) => call.once("data", () => resolve()));
    call.pause();
    await until("the idle stream's slot coming back", () => t.server.activeCalls === 0);
    await until("the handler settling", () => t.settled >= 1);
  } finally {
    clearInterval(queued);
  }
  call.resume();
  // The stream was cut (RST_STREAM): the client sees it end within a bound, not as complete.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const error = await Promise.race([
    ended,
    new Promise<never>((_, reject) =>
      timer = setTimeout(() => reject(new Error("the idle stream was not cut")), 10_000)
    ),
  ]);
  clearTimeout(timer);
  assert.ok(error, "the stream does not end as complete");
  const line = t.lines.map((l) => JSON.parse(l)).find((l) =>
    l.msg === "rpc" && l.method?.endsWith("/Collect")
  );
  assert.equal(line.code, "DEADLINE_EXCEEDED");
  assert.match(line.error, /read nothing for 300 ms \(POLAROID_STREAM_IDLE_TIMEOUT_MS\)/);
  client.close();
});

Deno.test("an upload that stops sending is ended after the idle timeout", async () => {
  await using t = await heldServer({ streamIdleTimeoutMs: 300 }, 2);
  const stop = new AbortController();
  async function* stalled() {
    yield UploadRequest.fromPartial({ arrowIpc: Buffer.alloc(10) });
    await new Promise((resolve) => stop.signal.addEventListener("abort", resolve));
  }
  try {
    await assert.rejects(t.frames.clientStream("upload", stalled()), (e: unknown) => {
      assert.ok(e instanceof DeadlineExceededError, String(e));
      assert.match(e.message, /sent nothing for 300 ms \(POLAROID_STREAM_IDLE_TIMEOUT_MS\)/);
      return true;
    });
  } finally {
    stop.abort();
  }
  await until("the slot coming back", () => t.server.activeCalls === 0);
});

Deno.test("an upload that trickles past the upload timeout is ended", async () => {
  await using t = await heldServer({ streamIdleTimeoutMs: 1000, uploadTimeoutMs: 400 }, 2);
  const stop = new AbortController();
  async function* trickle() {
    while (!stop.signal.aborted) {
      yield UploadRequest.fromPartial({ arrowIpc: Buffer.alloc(10) });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    await assert.rejects(t.frames.clientStream("upload", trickle()), (e: unknown) => {
      assert.ok(e instanceof DeadlineExceededError, String(e));
      assert.match(e.message, /at most 400 ms \(POLAROID_UPLOAD_TIMEOUT_MS\)/);
      return true;
    });
  } finally {
    stop.abort();
  }
  await until("the slot coming back", () => t.server.activeCalls === 0);
});

Deno.test("health turns NOT_SERVING while every slot is stuck, and back once one returns", async () => {
  await using t = await heldServer({ stuckAfterMs: 300 }, 1);
  const call = t.frames.unary("execute", ExecuteRequest.fromPartial({}));
  await until("the call starting", () => t.server.activeCalls === 1);
  await until("health saying NOT_SERVING", () => !t.server.health.serving, 5000);
  assert.equal(
    (await t.health.unary("check", { service: "" })).status,
    ServingStatus.NOT_SERVING,
  );
  t.finish();
  assert.equal((await call).cached, true);
  await until("health saying SERVING", () => t.server.health.serving, 5000);
});

Deno.test("a client process killed in the middle of a stream it does not read frees its slot", async () => {
  await using t = await heldServer({}, 4);
  const pump = setInterval(() => t.finish(), 20);
  const script = `
    import * as grpc from "@grpc/grpc-js";
    import { CollectRequest, DataFrameServiceService as S } from "${new URL(
    "../gen/polaroid/v1/dataframe.ts",
    import.meta.url,
  )}";
    const client = new grpc.Client(${
    JSON.stringify(t.endpoint)
  }, grpc.credentials.createInsecure());
    const call = client.makeServerStreamRequest(S.collect.path, S.collect.requestSerialize,
      (b) => b, CollectRequest.fromPartial({ batchSize: 10000 }));
    call.once("data", () => { call.pause(); console.log("reading"); });
    await new Promise(() => {});`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  try {
    await reader.read();
    await until("the stream starting", () => t.server.activeCalls === 1);
    child.kill("SIGKILL");
    await child.status;
    await until("the killed client's slot coming back", () => t.server.activeCalls === 0);
  } finally {
    clearInterval(pump);
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
});

Deno.test("bytes that are not a request are INVALID_ARGUMENT, not INTERNAL", async () => {
  await using t = await heldServer({}, 2);
  const client = new grpc.Client(t.endpoint, grpc.credentials.createInsecure());
  const raw = (body: Uint8Array) =>
    new Promise<grpc.ServiceError | null>((resolve) => {
      client.makeUnaryRequest(
        DataFrameServiceService.execute.path,
        (b: Uint8Array) => Buffer.from(b),
        (b: Buffer) => b,
        body,
        (error) => resolve(error),
      );
    });
  try {
    // A truncated length-delimited field, an unknown wire type, a varint that never ends.
    for (const body of [[0x0a, 0x05, 0x01], [0x0f], [0x08, 0xff, 0xff, 0xff, 0xff, 0xff]]) {
      const error = await raw(new Uint8Array(body));
      assert.equal(error?.code, grpc.status.INVALID_ARGUMENT, `${body}: ${error?.details}`);
      assert.match(error!.details, /Cannot decode the Execute request/);
    }
  } finally {
    client.close();
  }
  assert.equal(t.server.activeCalls, 0);
  const refused = t.lines.map((l) => JSON.parse(l)).filter((l) =>
    l.msg === "rpc" && l.code === "INVALID_ARGUMENT"
  );
  assert.equal(refused.length, 3, "each refusal is logged as a call");
});

Deno.test("a tenant over its quota of calls in flight is refused; other tenants are not", async () => {
  await using t = await heldServer({ tenantMaxCalls: 2 }, 0);
  const as = (tenant: string) =>
    new RpcClient(t.endpoint, DataFrameServiceService, { tenant, timeoutMs: 10_000 });
  const acme = as("acme");
  const globex = as("globex");
  try {
    const held = [
      acme.unary("execute", ExecuteRequest.fromPartial({})),
      acme.unary("execute", ExecuteRequest.fromPartial({})),
    ];
    await until("acme's two calls running", () => t.server.activeCalls === 2);
    await assert.rejects(
      acme.unary("execute", ExecuteRequest.fromPartial({})),
      (e) =>
        e instanceof LimitExceededError && /POLAROID_TENANT_MAX_CALLS/.test(e.message) &&
        e.metadata.limit === "tenant_max_calls" && Number(e.metadata.retryAfterMs) > 0,
    );
    const other = globex.unary("execute", ExecuteRequest.fromPartial({}));
    await until("globex's call running beside them", () => t.server.activeCalls === 3);
    t.finish();
    await Promise.all([...held, other]);
    // Their quota is back once the calls ended.
    const again = acme.unary("execute", ExecuteRequest.fromPartial({}));
    await until("acme's next call running", () => t.server.activeCalls === 1);
    t.finish();
    await again;
  } finally {
    acme.close();
    globex.close();
  }
});

Deno.test("a service's calls for a tenant are not counted against the tenant's quota", async () => {
  const acmeKey = newApiKey("acme", ["write"]);
  const serviceKey = newApiKey("polaroid", ["service"]);
  const keys = ApiKeyStore.parse(JSON.stringify([acmeKey.record, serviceKey.record]), "keys");
  await using t = await heldServer(
    { tenantMaxCalls: 1 },
    0,
    tokenAuthentication({ apiKeys: keys }),
  );
  const acme = new RpcClient(t.endpoint, DataFrameServiceService, {
    token: acmeKey.key,
    timeoutMs: 10_000,
  });
  const worker = new RpcClient(t.endpoint, DataFrameServiceService, {
    token: serviceKey.key,
    tenant: "acme",
    timeoutMs: 10_000,
  });
  try {
    const held = acme.unary("execute", ExecuteRequest.fromPartial({}));
    await until("acme's call running", () => t.server.activeCalls === 1);
    await assert.rejects(
      acme.unary("execute", ExecuteRequest.fromPartial({})),
      (e) => e instanceof LimitExceededError && e.metadata.limit === "tenant_max_calls",
    );
    // The service acting for acme (a worker registering acme's result) is admitted.
    const forAcme = worker.unary("execute", ExecuteRequest.fromPartial({}));
    await until("the service's call running beside it", () => t.server.activeCalls === 2);
    t.finish();
    await Promise.all([held, forAcme]);
  } finally {
    acme.close();
    worker.close();
  }
});

Deno.test("a call that ends by its deadline gives its tenant's quota back while its handler runs", async () => {
  await using t = await heldServer({ tenantMaxCalls: 1 }, 0);
  const acme = new RpcClient(t.endpoint, DataFrameServiceService, { tenant: "acme" });
  try {
    const expiring = acme.unary("execute", ExecuteRequest.fromPartial({}), { timeoutMs: 3000 });
    expiring.catch(() => {}); // awaited below
    await until("the call starting", () => t.server.activeCalls === 1);
    await assert.rejects(expiring, DeadlineExceededError);
    await until("its handler running on, abandoned", () => t.server.abandonedCalls === 1);
    // The quota came back with the call's end, not with its handler's.
    const next = acme.unary("execute", ExecuteRequest.fromPartial({}), { timeoutMs: 10_000 });
    await until("acme's next call running", () => t.server.activeCalls === 1);
    t.finish();
    await next;
  } finally {
    acme.close();
  }
});
