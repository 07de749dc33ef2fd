/**
 * Two handles-service replicas (real processes, POLAROID_CATALOG=jetstream) on one
 * nats-server with JetStream agree on handles, reference counts, expiry, pins and names.
 */

import assert from "node:assert/strict";
import { AlreadyExistsError, HandleNotFoundError } from "../shared/errors.ts";
import { HandleEvent, HandleEvent_Kind } from "../shared/gen/polaroid/v1/handle.ts";
import { HandleServiceService } from "../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { connectNats, HANDLE_EVENTS_SUBJECT } from "../shared/nats.ts";
import { freePorts } from "../scripts/_ports.ts";
import { delay, waitFor, waitForHttp } from "../scripts/_wait.ts";
import { startNatsServer } from "./_nats_server.ts";
import { INTEGRATION } from "./_harness.ts";

type Handles = RpcClient<typeof HandleServiceService>;

/** Starts one handles-service process; returns its client and a stop function. */
async function startReplica(natsUrl: string, name: string) {
  const [grpc, http] = freePorts(2);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "services/handles/main.ts"],
    env: {
      POLAROID_NATS_URL: natsUrl,
      POLAROID_CATALOG: "jetstream",
      POLAROID_HANDLES_PORT: String(grpc),
      POLAROID_HANDLES_HTTP_PORT: String(http),
      POLAROID_SWEEP_INTERVAL_MS: "100",
      POLAROID_LOG_LEVEL: "warn",
    },
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already exited.
    }
    await child.status;
  };
  try {
    await waitForHttp(`http://127.0.0.1:${http}/healthz`, { timeoutMs: 30_000, what: name });
  } catch (error) {
    await stop();
    throw error;
  }
  const client = new RpcClient(`127.0.0.1:${grpc}`, HandleServiceService, {
    tenant: "acme",
    timeoutMs: 10_000,
  });
  return { client, stop: async () => (client.close(), await stop()) };
}

function register(client: Handles, options: { name?: string; ttlSeconds?: bigint } = {}) {
  return client.unary("registerHandle", {
    name: options.name ?? "",
    schema: undefined,
    rows: 3n,
    bytes: 24n,
    ttlSeconds: options.ttlSeconds ?? 0n,
    worker: "compute-1",
    metadata: {},
    objectKey: "",
    workerIncarnation: "",
    objectPending: false,
    requestId: "",
  });
}

Deno.test({
  name: "catalog replicas: two handles services on one JetStream KV bucket agree",
  ...INTEGRATION,
  async fn() {
    await using nats = await startNatsServer({ jetStream: true });
    const listener = await connectNats(nats.url, { name: "catalog-replicas-test" });
    const events: HandleEvent[] = [];
    listener.subscribe(`${HANDLE_EVENTS_SUBJECT}.>`, {
      callback: (error, msg) => {
        if (!error) events.push(HandleEvent.decode(msg.data));
      },
    });
    await listener.flush();
    const one = await startReplica(nats.url, "handles replica 1");
    const two = await startReplica(nats.url, "handles replica 2");
    try {
      // Registered through one, used through the other.
      const info = await register(one.client);
      assert.equal((await two.client.unary("resolveHandle", { id: info.id })).rows, 3n);
      assert.equal((await two.client.unary("retainHandle", { id: info.id })).refcount, 2);
      assert.deepEqual(await two.client.unary("releaseHandle", { id: info.id }), {
        refcount: 1,
        freed: false,
      });

      // Concurrent retains through both end with the exact count.
      await Promise.all(
        Array.from(
          { length: 100 },
          (_, i) => (i % 2 === 0 ? one : two).client.unary("retainHandle", { id: info.id }),
        ),
      );
      assert.equal((await one.client.unary("describeHandle", { id: info.id })).refcount, 101);
      assert.equal((await two.client.unary("describeHandle", { id: info.id })).refcount, 101);

      // A name is unique across replicas, and comes back once its handle is freed.
      const named = await Promise.allSettled(
        [one, two, one, two].map((r) => register(r.client, { name: "trades" })),
      );
      const winners = named.filter((r) => r.status === "fulfilled");
      assert.equal(winners.length, 1);
      assert.ok(
        named.every((r) => r.status === "fulfilled" || r.reason instanceof AlreadyExistsError),
      );
      const trades = (winners[0] as PromiseFulfilledResult<{ id: string }>).value;
      await two.client.unary("deleteHandle", { id: trades.id });
      assert.equal((await register(one.client, { name: "trades" })).name, "trades");

      // A 1 s handle expires once, though both replicas sweep; a pinned one survives.
      const short = await register(two.client, { ttlSeconds: 1n });
      const pinned = await register(one.client, { ttlSeconds: 1n });
      assert.equal((await two.client.unary("pinHandle", { id: pinned.id })).pinned, true);
      await waitFor(
        () => events.some((e) => e.kind === HandleEvent_Kind.KIND_FREED && e.id === short.id),
        { timeoutMs: 10_000, what: "the expiry of the short handle" },
      );
      await delay(1500);
      const freedShort = events.filter((e) =>
        e.kind === HandleEvent_Kind.KIND_FREED && e.id === short.id
      );
      assert.equal(freedShort.length, 1, "exactly one FREED event");
      assert.equal(freedShort[0]!.reason, "expired");
      await assert.rejects(
        one.client.unary("describeHandle", { id: short.id }),
        HandleNotFoundError,
      );
      const kept = await one.client.unary("describeHandle", { id: pinned.id });
      assert.ok(kept.pinned && kept.expiresAtMs < BigInt(Date.now()), "pinned past its TTL");

      // A pinned handle outlives its last release until it is unpinned.
      assert.deepEqual(await two.client.unary("releaseHandle", { id: pinned.id }), {
        refcount: 0,
        freed: false,
      });
      const unpinned = await one.client.unary("unpinHandle", { id: pinned.id });
      assert.equal(unpinned.pinned, false);
      await assert.rejects(
        two.client.unary("describeHandle", { id: pinned.id }),
        HandleNotFoundError,
      );
      await waitFor(
        () => events.some((e) => e.kind === HandleEvent_Kind.KIND_FREED && e.id === pinned.id),
        { timeoutMs: 5000, what: "the FREED event of the unpinned handle" },
      );
      assert.equal(
        events.filter((e) => e.kind === HandleEvent_Kind.KIND_FREED && e.id === pinned.id)[0]!
          .reason,
        "released",
      );
    } finally {
      await one.stop();
      await two.stop();
      await listener.close();
    }
  },
});
