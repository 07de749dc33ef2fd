/**
 * Handles whose worker is gone (issue 10, item 5), with the memory handle store: a worker
 * SIGKILLed and restarted by the supervisor under the same id, one stopped, one killed and
 * never restarted, one hung; each time the catalog marks the handles it held lost, and they
 * answer HandleLostError (DATA_LOSS) instead of NOT_FOUND or a FAILED_PRECONDITION naming a
 * worker that is not there. Leases last 6 s here (30 s by default).
 */

import assert from "node:assert/strict";
import {
  type Client,
  connect,
  FailedPreconditionError,
  HandleLostError,
  HandleNotFoundError,
  type RemoteDataFrame,
  UnimplementedError,
} from "../sdk/mod.ts";
import { GrpcCode } from "../shared/errors.ts";
import {
  HandleServiceService,
  HandleWorkerServiceService,
} from "../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { waitFor } from "../scripts/_wait.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { startServiceProcess } from "./_service_process.ts";

// Longer than a worker's restart (2–3 s here), so that the restart is what loses the handles.
const LEASE_MS = 6000;
const cluster = await testCluster({
  restart: true,
  workers: 2,
  env: { POLAROID_WORKER_LEASE_MS: String(LEASE_MS), POLAROID_SWEEP_INTERVAL_MS: "100" },
});
const [first, second] = cluster.endpoints.computeWorkers as [string, string];
/** What another client sees: the handles service directly. */
const admin = new RpcClient(cluster.endpoints.handles, HandleServiceService, {
  tenant: "default",
  timeoutMs: 5000,
});
const clients: Client[] = [];
Deno.test.afterAll(async () => {
  admin.close();
  for (const client of clients) await client.close();
});

/** Frames made through `endpoint`. */
async function make(endpoint: string, count: number): Promise<RemoteDataFrame[]> {
  const client = await connect({ endpoint });
  clients.push(client);
  const out: RemoteDataFrame[] = [];
  for (let i = 0; i < count; i++) out.push(await client.fromRecords([{ i }]));
  return out;
}

/** Rejects with HandleLostError naming the worker and the reason. */
function lost(worker: string, why: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof HandleLostError, String(error));
    assert.equal(error.code, GrpcCode.DATA_LOSS);
    assert.equal(error.metadata.worker, worker);
    assert.match(error.message, why);
    assert.match(error.message, /Run the plan again.*POLAROID_HANDLE_STORE=external/);
    return true;
  };
}

/** Each handle's `lost` flag in ListHandles, undefined when it is not listed. */
async function lostFlags(ids: string[]): Promise<(boolean | undefined)[]> {
  const { handles } = await admin.unary("listHandles", { limit: 1000, after: "", names: [] });
  const listed = new Map(handles.map((h) => [h.id, h.lost]));
  return ids.map((id) => listed.get(id));
}

Deno.test({
  name:
    "a worker SIGKILLed and restarted under its id: its handles are lost at its first heartbeat",
  ...INTEGRATION,
  async fn() {
    const frames = await make(first, 3);
    const ids = frames.map((f) => f.id);
    const killed = performance.now();
    await cluster.kill("compute", "SIGKILL");
    await cluster.waitReady("compute");
    const ready = performance.now();
    assert.equal(cluster.restarts("compute"), 1);
    // Through the restarted worker and through the other one alike.
    await assert.rejects(frames[0]!.toRecords(), lost("compute", /worker restarted/));
    const lostAt = performance.now();
    await using client = await connect({ endpoint: second });
    await assert.rejects(client.handle(ids[1]!), lost("compute", /worker restarted/));
    assert.deepEqual(await lostFlags(ids), [true, true, true]);
    console.log(
      `SIGKILL → restarted worker ready ${Math.round(ready - killed)} ms → handles lost ${
        Math.round(lostAt - killed)
      } ms after the kill`,
    );
    // Release frees a lost handle; afterwards it is gone like any freed handle.
    await frames[0]!.release();
    await assert.rejects(client.handle(ids[0]!), HandleNotFoundError);
    assert.deepEqual(await lostFlags(ids), [undefined, true, true]);
    await admin.unary("releaseHandle", { id: ids[1]! });
    await admin.unary("deleteHandle", { id: ids[2]! });
    assert.deepEqual(await lostFlags(ids), [undefined, undefined, undefined]);
    // The restarted worker serves new results.
    const [fresh] = await make(first, 1);
    assert.deepEqual(await fresh!.toRecords(), [{ i: 0 }]);
  },
});

Deno.test({
  name: "a worker that stops ends its lease: its handles are lost at once",
  ...INTEGRATION,
  async fn() {
    const frames = await make(second, 2);
    await cluster.restart("compute-2");
    assert.deepEqual(await lostFlags(frames.map((f) => f.id)), [true, true]);
    await assert.rejects(frames[1]!.toRecords(), lost("compute-2", /worker stopped/));
  },
});

Deno.test({
  name: "a worker killed and never restarted: its lease runs out and its handles are lost",
  ...INTEGRATION,
  async fn() {
    await using worker = await startServiceProcess("compute", {
      POLAROID_WORKER_ID: "compute-x",
      POLAROID_NATS_URL: cluster.endpoints.nats,
      POLAROID_HANDLES_ENDPOINT: cluster.endpoints.handles,
      POLAROID_DATA_ROOT: cluster.dataRoot,
    });
    const frames = await make(worker.endpoint, 2);
    const ids = frames.map((f) => f.id);
    await using client = await connect({ endpoint: first });
    const killed = performance.now();
    await worker.stop();
    // Within the lease the catalog still names the worker.
    await assert.rejects(
      (await client.handle(ids[0]!)).toRecords(),
      (e: unknown) => e instanceof FailedPreconditionError && /compute-x/.test(e.message),
    );
    await waitFor(async () => (await lostFlags(ids)).every((f) => f === true), {
      timeoutMs: 10_000,
      intervalMs: 50,
      what: "the lease of the killed worker to run out",
    });
    const lostMs = Math.round(performance.now() - killed);
    console.log(
      `SIGKILL, no restart → handles lost ${lostMs} ms after the kill (lease ${LEASE_MS} ms)`,
    );
    assert.ok(lostMs <= LEASE_MS + 2000, `lost ${lostMs} ms after the kill`);
    await assert.rejects(client.handle(ids[0]!), lost("compute-x", /stopped renewing its lease/));
    assert.deepEqual(await admin.unary("releaseHandle", { id: ids[0]! }), {
      refcount: 0,
      freed: true,
    });
  },
});

Deno.test({
  name: "a hung worker's lease runs out; when it resumes it is told and drops those frames",
  ...INTEGRATION,
  async fn() {
    await using worker = await startServiceProcess("compute", {
      POLAROID_WORKER_ID: "compute-y",
      POLAROID_NATS_URL: cluster.endpoints.nats,
      POLAROID_HANDLES_ENDPOINT: cluster.endpoints.handles,
      POLAROID_DATA_ROOT: cluster.dataRoot,
    });
    const frames = await make(worker.endpoint, 2);
    const held = async () => {
      const text = await (await fetch(`${worker.http}/metrics`)).text();
      return Number(/^polaroid_compute_frames(\{[^}]*\})? (\d+)/m.exec(text)?.[2]);
    };
    assert.equal(await held(), 2);
    worker.kill("SIGSTOP");
    try {
      await waitFor(async () => (await lostFlags(frames.map((f) => f.id))).every((f) => f), {
        timeoutMs: 10_000,
        intervalMs: 50,
        what: "the lease of the hung worker to run out",
      });
    } finally {
      worker.kill("SIGCONT");
    }
    await waitFor(async () => await held() === 0, {
      timeoutMs: 10_000,
      what: "the resumed worker to drop the frames of its lapsed lease",
    });
    assert.match(worker.logs(), /lease had lapsed/);
    await assert.rejects(frames[0]!.toRecords(), lost("compute-y", /lease/));
    // It carries on under its lease, taken again.
    const [fresh] = await make(worker.endpoint, 1);
    assert.deepEqual(await fresh!.toRecords(), [{ i: 0 }]);
  },
});

Deno.test({
  name: "the calls for workers are not reachable through a compute worker",
  ...INTEGRATION,
  async fn() {
    const client = new RpcClient(first, HandleWorkerServiceService, { timeoutMs: 5000 });
    try {
      await assert.rejects(client.unary("checkHandles", { ids: [] }), UnimplementedError);
      await assert.rejects(
        client.unary("heartbeat", { worker: "compute", incarnation: crypto.randomUUID() }),
        UnimplementedError,
      );
    } finally {
      client.close();
    }
  },
});
