import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { loadHandlesConfig } from "../../shared/config.ts";
import {
  HandleServiceService,
  HandleWorkerServiceService,
} from "../../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../../shared/grpc/client.ts";
import { connectNats } from "../../shared/nats.ts";
import { startService } from "../../shared/service.ts";
import { createLogger } from "../../shared/telemetry/log.ts";
import { waitFor } from "../../scripts/_wait.ts";
import { startNatsServer } from "../../tests/_nats_server.ts";
import { buildHandlesService } from "../handles/service.ts";
import { HeldFrames } from "./held_frames.ts";
import { HandleSync } from "./handle_sync.ts";
import { PlanCache } from "./plan_cache.ts";

Deno.test("HandleSync: reconciling drops the frames whose handles were freed though no event came", async () => {
  // The handles service announces frees on one nats-server, the worker listens on another:
  // every freed event is missed, as during an outage.
  await using announced = await startNatsServer();
  await using deaf = await startNatsServer();
  const config = loadHandlesConfig({
    POLAROID_HANDLES_PORT: "0",
    POLAROID_HANDLES_HTTP_PORT: "0",
    POLAROID_LOG_LEVEL: "error",
  });
  const serviceNats = await connectNats(announced.url, { name: "handle-sync-handles" });
  await using service = await startService({
    name: "handles",
    config,
    build: buildHandlesService(config, { nats: serviceNats, onClose: () => serviceNats.drain() }),
  });
  const endpoint = `127.0.0.1:${service.grpc.port}`;
  const handles = new RpcClient(endpoint, HandleServiceService, { tenant: "acme" });
  const workers = new RpcClient(endpoint, HandleWorkerServiceService, {});
  const nats = await connectNats(deaf.url, { name: "handle-sync-worker" });
  const planCache = new PlanCache();
  const frames = new HeldFrames({ maxBytes: 1 << 30, onForget: (id) => planCache.forget(id) });
  const sync = HandleSync.start({
    nats,
    workers,
    frames,
    logger: createLogger("compute", { level: "error" }),
    intervalMs: 300,
    pageSize: 2,
  });
  try {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const info = await handles.unary("registerHandle", {
        schema: undefined,
        rows: 1n,
        bytes: 8n,
        ttlSeconds: 0n,
        worker: "w",
        name: "",
        metadata: {},
        objectKey: "",
        workerIncarnation: "",
        objectPending: false,
        requestId: "",
      });
      frames.reserve(8).add(info.id, pl.DataFrame({ x: [i] }), "acme");
      ids.push(info.id);
    }
    assert.equal(sync.trusted, true);
    await handles.unary("releaseHandle", { id: ids[1]! });
    await handles.unary("deleteHandle", { id: ids[4]! });
    // Every 300 ms, in pages of 2 ids.
    await waitFor(() => frames.size === 3, {
      timeoutMs: 5000,
      what: "the periodic reconciliation",
    });
    assert.deepEqual(frames.ids().sort(), [ids[0], ids[2], ids[3]].sort());
    await handles.unary("releaseHandle", { id: ids[0]! });
    sync.reconcileSoon();
    await waitFor(() => frames.size === 2, { timeoutMs: 5000, what: "the reconciliation asked" });
    assert.equal(sync.stats.dropped, 3);
    assert.equal(sync.stats.failures, 0);
  } finally {
    await sync.close();
    await nats.close();
    handles.close();
    workers.close();
  }
});
