import assert from "node:assert/strict";
import { loadHandlesConfig } from "../../shared/config.ts";
import {
  GrpcCode,
  HandleLostError,
  InvalidArgumentError,
  type PolaroidError,
} from "../../shared/errors.ts";
import {
  HandleServiceService,
  HandleWorkerServiceService,
} from "../../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../../shared/grpc/client.ts";
import { newHandleId } from "../../shared/ids.ts";
import { connectNats } from "../../shared/nats.ts";
import { startService } from "../../shared/service.ts";
import { startNatsServer } from "../../tests/_nats_server.ts";
import { waitFor } from "../../scripts/_wait.ts";
import { buildHandlesService } from "./service.ts";

/** The handles service in process (lease of 600 ms), with a client of each of its services. */
async function withHandles(
  fn: (tools: {
    handles: RpcClient<typeof HandleServiceService>;
    workers: RpcClient<typeof HandleWorkerServiceService>;
    metrics: () => Promise<string>;
  }) => Promise<void>,
): Promise<void> {
  await using nats = await startNatsServer();
  const config = loadHandlesConfig({
    POLAROID_HANDLES_PORT: "0",
    POLAROID_HANDLES_HTTP_PORT: "0",
    POLAROID_NATS_URL: nats.url,
    POLAROID_SWEEP_INTERVAL_MS: "50",
    POLAROID_WORKER_LEASE_MS: "600",
    POLAROID_LOG_LEVEL: "error",
  });
  const connection = await connectNats(nats.url, { name: "worker-server-test" });
  await using service = await startService({
    name: "handles",
    config,
    build: buildHandlesService(config, { nats: connection, onClose: () => connection.drain() }),
  });
  const endpoint = `127.0.0.1:${service.grpc.port}`;
  const options = { tenant: "acme", timeoutMs: 5000 };
  const handles = new RpcClient(endpoint, HandleServiceService, options);
  const workers = new RpcClient(endpoint, HandleWorkerServiceService, options);
  const metrics = async () =>
    await (await fetch(`http://127.0.0.1:${service.http.port}/metrics`)).text();
  try {
    await fn({ handles, workers, metrics });
  } finally {
    handles.close();
    workers.close();
  }
}

function register(
  handles: RpcClient<typeof HandleServiceService>,
  worker: string,
  workerIncarnation: string,
  objectPending = false,
) {
  return handles.unary("registerHandle", {
    schema: undefined,
    rows: 1n,
    bytes: 8n,
    ttlSeconds: 0n,
    worker,
    name: "",
    metadata: {},
    requestId: "",
    objectKey: "",
    objectPending,
    workerIncarnation,
  });
}

function invalid(pattern: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof InvalidArgumentError, String(e));
    assert.equal((e as PolaroidError).code, GrpcCode.INVALID_ARGUMENT);
    assert.match((e as Error).message, pattern);
    return true;
  };
}

Deno.test("HandleWorkerService: a restarted worker's handles answer DATA_LOSS; CheckHandles lists them gone", async () => {
  await withHandles(async ({ handles, workers, metrics }) => {
    const [one, two] = [crypto.randomUUID(), crypto.randomUUID()];
    const first = await workers.unary("heartbeat", { worker: "compute-9", incarnation: one });
    assert.deepEqual(first, { leaseMs: 600, lapsed: false, lost: 0, newLease: true });
    const held = await register(handles, "compute-9", one);
    const kept = await register(handles, "compute-8", one);
    const second = await workers.unary("heartbeat", { worker: "compute-9", incarnation: two });
    assert.deepEqual(second, { leaseMs: 600, lapsed: false, lost: 1, newLease: false });
    await assert.rejects(handles.unary("resolveHandle", { id: held.id }), (e: unknown) => {
      assert.ok(e instanceof HandleLostError, String(e));
      assert.equal(e.code, GrpcCode.DATA_LOSS);
      assert.match(e.message, /worker 'compute-9'.*restarted.*Run the plan again/);
      assert.equal(e.metadata.worker, "compute-9");
      return true;
    });
    const listed = await handles.unary("listHandles", { limit: 0, after: "", names: [] });
    assert.deepEqual(
      listed.handles.map((h) => [h.id, h.lost]).sort(),
      [[held.id, true], [kept.id, false]].sort(),
    );
    const unknown = newHandleId("other");
    const { gone } = await workers.unary("checkHandles", { ids: [kept.id, held.id, unknown] });
    assert.deepEqual(gone, [held.id, unknown]);
    assert.match(await metrics(), /polaroid_handles_lost_total\{reason="restarted"[^}]*\} 1\n/);
    assert.match(await metrics(), /polaroid_handles\{state="lost"[^}]*\} 1\n/);
    assert.deepEqual(await handles.unary("releaseHandle", { id: held.id }), {
      refcount: 0,
      freed: true,
    });
  });
});

Deno.test("HandleWorkerService: a lease that runs out loses the handles; the next heartbeat lapsed", async () => {
  await withHandles(async ({ handles, workers }) => {
    const inc = crypto.randomUUID();
    await workers.unary("heartbeat", { worker: "compute-9", incarnation: inc });
    const held = await register(handles, "compute-9", inc);
    const started = Date.now();
    await waitFor(async () => {
      const { gone } = await workers.unary("checkHandles", { ids: [held.id] });
      return gone.length === 1;
    }, { timeoutMs: 5000, intervalMs: 20, what: "the lease to run out" });
    assert.ok(Date.now() - started >= 500, "not before the lease of 600 ms");
    await assert.rejects(handles.unary("describeHandle", { id: held.id }), HandleLostError);
    const again = await workers.unary("heartbeat", { worker: "compute-9", incarnation: inc });
    assert.deepEqual(again, { leaseMs: 600, lapsed: true, lost: 0, newLease: false });
    // A stopping worker ends its lease: what it registered since is lost at once.
    const later = await register(handles, "compute-9", inc);
    assert.deepEqual(await workers.unary("endLease", { worker: "compute-9", incarnation: inc }), {
      lost: 1,
    });
    await assert.rejects(handles.unary("retainHandle", { id: later.id }), /worker stopped/);
  });
});

Deno.test("HandleWorkerService: requests out of bounds or malformed are INVALID_ARGUMENT", async () => {
  await withHandles(async ({ handles, workers }) => {
    const inc = crypto.randomUUID();
    const ids = Array.from({ length: 1001 }, () => newHandleId("acme"));
    await assert.rejects(workers.unary("checkHandles", { ids }), invalid(/at most 1000 ids/));
    await assert.rejects(
      workers.unary("checkHandles", { ids: [ids[0]!, "acme/../x"] }),
      invalid(/handle id as it is malformed/),
    );
    for (const worker of ["", "a b", "w.>", "x".repeat(129)]) {
      await assert.rejects(
        workers.unary("heartbeat", { worker, incarnation: inc }),
        invalid(/worker id/),
      );
    }
    for (const incarnation of ["", "1", "../../x"]) {
      await assert.rejects(
        workers.unary("heartbeat", { worker: "w", incarnation }),
        invalid(/incarnation/),
      );
      await assert.rejects(register(handles, "w", incarnation + "x"), invalid(/incarnation/));
    }
    await assert.rejects(register(handles, "w/1", inc), invalid(/worker id/));
    assert.deepEqual(
      (await workers.unary("checkHandles", { ids: ids.slice(0, 1000) })).gone,
      ids.slice(0, 1000),
    );
  });
});

Deno.test("HandleWorkerService.SetHandleObject ends a write behind: once, by its worker, not after a loss", async () => {
  await withHandles(async ({ handles, workers }) => {
    const inc = crypto.randomUUID();
    await workers.unary("heartbeat", { worker: "compute-9", incarnation: inc });
    const pending = await register(handles, "compute-9", inc, true);
    assert.equal(pending.objectPending, true);
    assert.equal(pending.objectKey, "");
    const set = (id: string, worker: string, objectKey: string, failed = false) =>
      workers.unary("setHandleObject", { id, worker, objectKey, failed });
    const precondition = (pattern: RegExp) => (e: unknown) => {
      assert.equal((e as PolaroidError).code, GrpcCode.FAILED_PRECONDITION, String(e));
      assert.match((e as Error).message, pattern);
      return true;
    };
    // Only the worker that registered it, and exactly one of a key and a failure.
    await assert.rejects(
      set(pending.id, "compute-8", "handles/acme/a.arrow"),
      precondition(/did not register/),
    );
    await assert.rejects(set(pending.id, "compute-9", ""), invalid(/exactly one of/));
    await assert.rejects(set(pending.id, "compute-9", "x", true), invalid(/exactly one of/));
    await assert.rejects(set(pending.id, "compute-9", "../escape"), invalid(/key/));
    const named = await set(pending.id, "compute-9", "handles/acme/a.arrow");
    assert.equal(named.objectPending, false);
    assert.equal(named.objectKey, "handles/acme/a.arrow");
    assert.equal(
      (await handles.unary("describeHandle", { id: pending.id })).objectKey,
      "handles/acme/a.arrow",
    );
    // A repeat (a retry after a broken connection) is answered the same; another key is not.
    assert.equal(
      (await set(pending.id, "compute-9", "handles/acme/a.arrow")).objectKey,
      "handles/acme/a.arrow",
    );
    await assert.rejects(
      set(pending.id, "compute-9", "handles/acme/b.arrow"),
      precondition(/not waiting/),
    );
    // With its object the handle outlives its worker's lease; a failed write does not.
    const failed = await register(handles, "compute-9", inc, true);
    assert.equal((await set(failed.id, "compute-9", "", true)).objectPending, false);
    const lostOne = await register(handles, "compute-9", inc, true);
    assert.deepEqual(await workers.unary("endLease", { worker: "compute-9", incarnation: inc }), {
      lost: 2,
    });
    await assert.rejects(
      set(lostOne.id, "compute-9", "handles/acme/c.arrow"),
      precondition(/lost/),
    );
    assert.equal((await handles.unary("describeHandle", { id: pending.id })).lost, false);
    await assert.rejects(handles.unary("describeHandle", { id: failed.id }), HandleLostError);
    // Gone: NOT_FOUND, and a pending register needs a worker and no key.
    await handles.unary("deleteHandle", { id: pending.id });
    await assert.rejects(set(pending.id, "compute-9", "handles/acme/a.arrow"), (e: unknown) => {
      assert.equal((e as PolaroidError).code, GrpcCode.NOT_FOUND);
      return true;
    });
    await assert.rejects(register(handles, "", inc, true), invalid(/object_pending/));
  });
});
