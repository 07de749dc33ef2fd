/**
 * Worker leases with the shared catalog (POLAROID_CATALOG=jetstream) and two handles-service
 * replicas as processes (issue 10, item 5): a worker heartbeats to one replica, its restart
 * heartbeats to the other, and both agree on what is lost; a lease that runs out is ended by
 * one replica's sweep and each handle is marked lost once.
 */

import assert from "node:assert/strict";
import { type Client, connect, HandleLostError } from "../sdk/mod.ts";
import { HandleServiceService } from "../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { waitFor } from "../scripts/_wait.ts";
import { INTEGRATION } from "./_harness.ts";
import { startNatsServer } from "./_nats_server.ts";
import { type ServiceProcess, startServiceProcess } from "./_service_process.ts";

Deno.test({
  name: "two handles replicas on JetStream KV share worker leases and mark each lost handle once",
  ...INTEGRATION,
  async fn() {
    await using nats = await startNatsServer({ jetStream: true });
    const dataRoot = await Deno.makeTempDir({ prefix: "polaroid-data-" });
    const shared = {
      POLAROID_NATS_URL: nats.url,
      POLAROID_CATALOG: "jetstream",
      POLAROID_WORKER_LEASE_MS: "6000",
      POLAROID_SWEEP_INTERVAL_MS: "100",
    };
    await using one = await startServiceProcess("handles", shared);
    await using two = await startServiceProcess("handles", shared);
    const admins = [one, two].map((r) =>
      new RpcClient(r.endpoint, HandleServiceService, { tenant: "default", timeoutMs: 5000 })
    );
    const clients: Client[] = [];
    const worker = (handles: ServiceProcess) =>
      startServiceProcess("compute", {
        POLAROID_WORKER_ID: "w",
        POLAROID_NATS_URL: nats.url,
        POLAROID_HANDLES_ENDPOINT: handles.endpoint,
        POLAROID_DATA_ROOT: dataRoot,
      });
    const make = async (endpoint: string, count: number) => {
      const client = await connect({ endpoint });
      clients.push(client);
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push((await client.fromRecords([{ i }])).id);
      return ids;
    };
    /** Each id's `lost` flag as each replica lists it. */
    const flags = async (ids: string[]) =>
      await Promise.all(admins.map(async (admin) => {
        const page = await admin.unary("listHandles", { limit: 1000, after: "", names: [] });
        const listed = new Map(page.handles.map((h) => [h.id, h.lost]));
        return ids.map((id) => listed.get(id));
      }));
    const lostTotal = async (reason: string) => {
      let sum = 0;
      for (const replica of [one, two]) {
        const text = await (await fetch(`${replica.http}/metrics`)).text();
        const line = text.split("\n").find((l) =>
          l.startsWith(`polaroid_handles_lost_total{reason="${reason}"`)
        );
        sum += line ? Number(line.split(" ").at(-1)) : 0;
      }
      return sum;
    };
    try {
      // Made through a worker whose lease is with replica one; it restarts against replica two.
      const first = await worker(one);
      const ids = await make(first.endpoint, 3);
      await first.stop();
      await using again = await worker(two);
      assert.deepEqual(await flags(ids), [[true, true, true], [true, true, true]]);
      for (const admin of admins) {
        await assert.rejects(
          admin.unary("describeHandle", { id: ids[0]! }),
          (e: unknown) => e instanceof HandleLostError && /worker 'w'.*restarted/.test(e.message),
        );
      }
      assert.equal(await lostTotal("restarted"), 3, "each marked once, by replica two");

      // Killed for good: whichever replica's sweep wins ends the lease.
      const more = await make(again.endpoint, 2);
      await again.stop();
      await waitFor(async () => (await flags(more)).flat().every((f) => f === true), {
        timeoutMs: 15_000,
        what: "the lease of the killed worker to run out on both replicas",
      });
      assert.equal(await lostTotal("lease_expired"), 2, "each marked once, by one replica");
      // Either replica frees them.
      await admins[0]!.unary("releaseHandle", { id: more[0]! });
      await admins[1]!.unary("deleteHandle", { id: more[1]! });
      assert.deepEqual(await flags(more), [[undefined, undefined], [undefined, undefined]]);
    } finally {
      for (const client of clients) await client.close();
      for (const admin of admins) admin.close();
      await Deno.remove(dataRoot, { recursive: true });
    }
  },
});
