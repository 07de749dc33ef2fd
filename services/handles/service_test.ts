import assert from "node:assert/strict";
import { loadHandlesConfig } from "../../shared/config.ts";
import {
  AlreadyExistsError,
  HandleNotFoundError,
  InvalidArgumentError,
} from "../../shared/errors.ts";
import { HandleEvent, HandleEvent_Kind } from "../../shared/gen/polaroid/v1/handle.ts";
import { HandleServiceService } from "../../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../../shared/grpc/client.ts";
import { connectNats, HANDLE_EVENTS_SUBJECT } from "../../shared/nats.ts";
import { type RunningService, startService } from "../../shared/service.ts";
import { startNatsServer } from "../../tests/_nats_server.ts";
import { waitFor } from "../../scripts/_wait.ts";
import { buildHandlesService } from "./service.ts";

/** A real nats-server, the handles service in process, and a NATS listener for its events. */
async function withHandles(
  fn: (
    tools: {
      client: RpcClient<typeof HandleServiceService>;
      events: HandleEvent[];
      service: RunningService;
      endpoint: string;
    },
  ) => Promise<void>,
): Promise<void> {
  const nats = await startNatsServer();
  try {
    const config = loadHandlesConfig({
      POLAROID_HANDLES_PORT: "0",
      POLAROID_HANDLES_HTTP_PORT: "0",
      POLAROID_NATS_URL: nats.url,
      POLAROID_SWEEP_INTERVAL_MS: "50",
      POLAROID_LOG_LEVEL: "warn",
    });
    const serviceNats = await connectNats(nats.url, { name: "handles-test-service" });
    const listener = await connectNats(nats.url, { name: "handles-test-listener" });
    const events: HandleEvent[] = [];
    const sub = listener.subscribe(`${HANDLE_EVENTS_SUBJECT}.>`, {
      callback: (error, msg) => {
        if (!error) events.push(HandleEvent.decode(msg.data));
      },
    });
    await listener.flush();
    const service = await startService({
      name: "handles",
      config,
      build: buildHandlesService(config, { nats: serviceNats, onClose: () => serviceNats.drain() }),
    });
    const endpoint = `127.0.0.1:${service.grpc.port}`;
    const client = new RpcClient(endpoint, HandleServiceService, {
      tenant: "acme",
      timeoutMs: 5000,
    });
    try {
      await fn({ client, events, service, endpoint });
    } finally {
      client.close();
      await service.stop(1000);
      sub.unsubscribe();
      await listener.close();
    }
  } finally {
    await nats.stop();
  }
}

/** Registers an empty handle under `name` ("" for none). */
function registerNamed(client: RpcClient<typeof HandleServiceService>, name: string) {
  return client.unary("registerHandle", {
    name,
    schema: undefined,
    rows: 0n,
    bytes: 0n,
    ttlSeconds: 0n,
    worker: "",
    metadata: {},
    objectKey: "",
    workerIncarnation: "",
    objectPending: false,
    requestId: "",
  });
}

Deno.test("HandleService: register, resolve, retain, release twice publishes FREED 'released'", async () => {
  await withHandles(async ({ client, events, service }) => {
    const schema = { fields: [{ name: "price", dtype: undefined }] };
    const info = await client.unary("registerHandle", {
      name: "",
      schema,
      rows: 9_007_199_254_740_993n,
      bytes: 4096n,
      ttlSeconds: 0n,
      worker: "compute-7",
      metadata: {},
      objectKey: "",
      workerIncarnation: "",
      objectPending: false,
      requestId: "",
    });
    assert.match(info.id, /^acme\.[a-z2-7]{26}$/);
    assert.equal(info.owner, "acme");
    assert.equal(info.rows, 9_007_199_254_740_993n);
    assert.equal(info.ttlSeconds, 3600n);
    assert.equal(info.refcount, 1);
    assert.deepEqual(info.schema, schema);

    const resolved = await client.unary("resolveHandle", { id: info.id });
    assert.equal(resolved.worker, "compute-7");
    assert.ok(resolved.expiresAtMs >= info.expiresAtMs);
    assert.equal((await client.unary("retainHandle", { id: info.id })).refcount, 2);
    assert.deepEqual(await client.unary("releaseHandle", { id: info.id }), {
      refcount: 1,
      freed: false,
    });
    const listed = await client.unary("listHandles", { limit: 0, after: "", names: [] });
    assert.deepEqual(listed.handles.map((h) => h.id), [info.id]);
    assert.deepEqual(await client.unary("releaseHandle", { id: info.id }), {
      refcount: 0,
      freed: true,
    });

    await waitFor(() => events.some((e) => e.kind === HandleEvent_Kind.KIND_FREED), {
      what: "the FREED event",
    });
    const registered = events.find((e) => e.kind === HandleEvent_Kind.KIND_REGISTERED)!;
    assert.equal(registered.id, info.id);
    const freedEvent = events.find((e) => e.kind === HandleEvent_Kind.KIND_FREED)!;
    assert.equal(freedEvent.id, info.id);
    assert.equal(freedEvent.worker, "compute-7");
    assert.equal(freedEvent.reason, "released");
    assert.ok(freedEvent.atMs > 0n);

    await assert.rejects(client.unary("describeHandle", { id: info.id }), HandleNotFoundError);
    const metrics = await (await fetch(`http://127.0.0.1:${service.http.port}/metrics`)).text();
    assert.match(metrics, /polaroid_handles_freed_total\{reason="released"[^}]*\} 1/);
    assert.match(metrics, /polaroid_handles\{state="live"[^}]*\} 0/);
  });
});

Deno.test("HandleService: a 1 s TTL expires and publishes FREED 'expired'", async () => {
  await withHandles(async ({ client, events }) => {
    const info = await client.unary("registerHandle", {
      name: "",
      schema: undefined,
      rows: 1n,
      bytes: 8n,
      ttlSeconds: 1n,
      worker: "compute-1",
      metadata: {},
      objectKey: "",
      workerIncarnation: "",
      objectPending: false,
      requestId: "",
    });
    assert.equal(info.expiresAtMs - info.createdAtMs, 1000n);
    await waitFor(
      () => events.some((e) => e.kind === HandleEvent_Kind.KIND_FREED && e.id === info.id),
      { timeoutMs: 5000, what: "the expiry event" },
    );
    const freedEvent = events.find((e) => e.kind === HandleEvent_Kind.KIND_FREED)!;
    assert.equal(freedEvent.reason, "expired");
    assert.ok(Number(freedEvent.atMs) >= Number(info.expiresAtMs));
    await assert.rejects(client.unary("resolveHandle", { id: info.id }), HandleNotFoundError);
  });
});

Deno.test("HandleService: other tenants see nothing and bad requests are refused", async () => {
  await withHandles(async ({ client, endpoint }) => {
    const info = await client.unary("registerHandle", {
      name: "",
      schema: undefined,
      rows: 0n,
      bytes: 0n,
      ttlSeconds: 0n,
      worker: "",
      metadata: {},
      objectKey: "",
      workerIncarnation: "",
      objectPending: false,
      requestId: "",
    });
    const other = new RpcClient(endpoint, HandleServiceService, {
      tenant: "other",
      timeoutMs: 5000,
    });
    try {
      await assert.rejects(other.unary("describeHandle", { id: info.id }), HandleNotFoundError);
      await assert.rejects(other.unary("deleteHandle", { id: info.id }), HandleNotFoundError);
      assert.deepEqual(
        (await other.unary("listHandles", { limit: 10, after: "", names: [] })).handles,
        [],
      );
    } finally {
      other.close();
    }
    await assert.rejects(client.unary("describeHandle", { id: "../etc" }), InvalidArgumentError);
    await assert.rejects(
      client.unary("registerHandle", {
        name: "",
        schema: undefined,
        rows: 0n,
        bytes: 0n,
        ttlSeconds: 10n ** 9n,
        worker: "",
        metadata: {},
        objectKey: "",
        workerIncarnation: "",
        objectPending: false,
        requestId: "",
      }),
      (e: unknown) => e instanceof InvalidArgumentError && /ttl_seconds/.test(e.message),
    );
    assert.deepEqual(await client.unary("deleteHandle", { id: info.id }), { freed: true });
  });
});

Deno.test("HandleService: names travel in HandleInfo, a clash is ALREADY_EXISTS, a bad name INVALID_ARGUMENT", async () => {
  await withHandles(async ({ client }) => {
    const register = (name: string) => registerNamed(client, name);
    const info = await register("trades");
    assert.equal(info.name, "trades");
    assert.equal((await client.unary("describeHandle", { id: info.id })).name, "trades");
    const listed = await client.unary("listHandles", { limit: 0, after: "", names: [] });
    assert.deepEqual(listed.handles.map((h) => h.name), ["trades"]);
    await assert.rejects(register("trades"), AlreadyExistsError);
    await assert.rejects(
      register("bad-name"),
      (e: unknown) => e instanceof InvalidArgumentError && /'name' must match/.test(e.message),
    );
    await client.unary("releaseHandle", { id: info.id });
    assert.equal((await register("trades")).name, "trades", "a freed handle frees its name");
  });
});

Deno.test("HandleService: listHandles with names returns only the live handles of those names", async () => {
  await withHandles(async ({ client }) => {
    const register = (name: string) => registerNamed(client, name);
    await register("trades");
    await register("quotes");
    await register("");
    const listed = await client.unary("listHandles", {
      limit: 1,
      after: "",
      names: ["quotes", "trades", "missing", "not a name"],
    });
    assert.deepEqual(listed.handles.map((h) => h.name), ["quotes", "trades"]);
    assert.equal(listed.nextAfter, "");
    await assert.rejects(
      client.unary("listHandles", {
        limit: 0,
        after: "",
        names: Array.from({ length: 1001 }, (_, i) => `n${i}`),
      }),
      InvalidArgumentError,
    );
  });
});
