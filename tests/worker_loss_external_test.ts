/**
 * With the external handle store (a shared directory) a worker's death loses nothing
 * (issue 10, item 5): its handles have object keys, so neither its restart nor its lease
 * running out marks them lost, and any other worker serves them from the store.
 */

import assert from "node:assert/strict";
import { type Client, connect, type RemoteDataFrame } from "../sdk/mod.ts";
import { HandleServiceService } from "../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { waitFor } from "../scripts/_wait.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { startServiceProcess } from "./_service_process.ts";

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-state-" });
const env = {
  POLAROID_HANDLE_STORE: "external",
  POLAROID_STATE_DIR: stateDir,
  POLAROID_WORKER_LEASE_MS: "1500",
  POLAROID_SWEEP_INTERVAL_MS: "100",
};
const cluster = await testCluster({ restart: true, workers: 2, env });
const [first, second] = cluster.endpoints.computeWorkers as [string, string];
const admin = new RpcClient(cluster.endpoints.handles, HandleServiceService, {
  tenant: "default",
  timeoutMs: 5000,
});
const clients: Client[] = [];
Deno.test.afterAll(async () => {
  admin.close();
  for (const client of clients) await client.close();
});
globalThis.addEventListener("unload", () => {
  Deno.removeSync(stateDir, { recursive: true });
});

async function make(endpoint: string, count: number): Promise<RemoteDataFrame[]> {
  const client = await connect({ endpoint });
  clients.push(client);
  const out: RemoteDataFrame[] = [];
  for (let i = 0; i < count; i++) out.push(await client.fromRecords([{ i, x: i * 1.5 }]));
  return out;
}

/** Reads every frame through `endpoint`. */
async function readAll(endpoint: string, ids: string[]): Promise<unknown[]> {
  await using client = await connect({ endpoint });
  return await Promise.all(ids.map(async (id) => await (await client.handle(id)).toRecords()));
}

async function handlesMetric(pattern: RegExp): Promise<string | undefined> {
  const text = await (await fetch(`${cluster.endpoints.handlesHttp}/metrics`)).text();
  return text.split("\n").find((line) => pattern.test(line));
}

Deno.test({
  name: "external store: a worker SIGKILLed, restarted or gone for good loses no handle",
  ...INTEGRATION,
  async fn() {
    const expected = [0, 1, 2].map((i) => [{ i, x: i * 1.5 }]);
    const ids = (await make(first, 3)).map((f) => f.id);
    await cluster.kill("compute", "SIGKILL");
    // Readable through the other worker while the first one is down...
    assert.deepEqual(await readAll(second, ids), expected);
    await cluster.waitReady("compute");
    // ...and through the restarted one, which loads them from the store.
    assert.deepEqual(await readAll(first, ids), expected);

    // A worker killed for good: its lease runs out, nothing of it is lost.
    const gone = await startServiceProcess("compute", {
      ...env,
      POLAROID_WORKER_ID: "compute-x",
      POLAROID_NATS_URL: cluster.endpoints.nats,
      POLAROID_HANDLES_ENDPOINT: cluster.endpoints.handles,
      POLAROID_DATA_ROOT: cluster.dataRoot,
    });
    const its = (await make(gone.endpoint, 3)).map((f) => f.id);
    await gone.stop();
    await waitFor(
      async () =>
        (await handlesMetric(/^polaroid_worker_leases\{state="ended"/))?.endsWith(" 1") === true,
      { timeoutMs: 10_000, what: "the lease of the killed worker to run out" },
    );
    const { handles } = await admin.unary("listHandles", { limit: 1000, after: "", names: [] });
    const listed = handles.filter((h) => [...ids, ...its].includes(h.id));
    assert.equal(listed.length, 6);
    assert.ok(listed.every((h) => !h.lost && h.objectKey !== ""), "none lost");
    assert.equal(await handlesMetric(/^polaroid_handles_lost_total/), undefined);
    assert.deepEqual(await readAll(second, its), expected);
    assert.deepEqual(await readAll(first, its), expected);
  },
});
