/**
 * The Redis Streams source against a real redis-server: entries as rows, a dead consumer's
 * pending entries claimed, bad specs and hosts refused, a lost server retried.
 */

import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { InvalidArgumentError, PermissionDeniedError } from "../shared/errors.ts";
import { connect, connectIngest, type SourceInfo } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { waitForSource } from "./_ingest.ts";
import { startRedisServer } from "./_redis_server.ts";

let redisServer = await startRedisServer();
const stateDir = await Deno.makeTempDir({ prefix: "polaroid-redis-state-" });
const cluster = await testCluster({
  env: { POLAROID_STATE_DIR: stateDir, POLAROID_INGEST_MAX_BATCH_DELAY_MS: "20" },
  serviceEnv: { ingest: { POLAROID_INGEST_ALLOW_HOSTS: "127.0.0.1" } },
});

/** Polls the source until `ok` holds. */
function waitFor(name: string, ok: (info: SourceInfo) => boolean): Promise<SourceInfo> {
  return waitForSource(cluster.endpoints.ingest, name, ok, 60_000);
}

Deno.test({
  name: "a Redis stream's entries become rows (fields as string columns), queried while it grows",
  ...INTEGRATION,
  async fn() {
    const redis = new Redis(redisServer.url);
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    try {
      for (let i = 0; i < 10; i++) {
        await redis.xadd("quotes", "*", "sym", `S${i % 2}`, "px", `${i}`);
      }
      const added = await ingest.addRedisSource({
        name: "quotes",
        url: redisServer.url,
        stream: "quotes",
      });
      assert.equal(added.spec?.kind?.$case, "redis");
      await waitFor("quotes", (s) => s.committedRows === 10n);
      assert.deepEqual(
        await client.scanLive("quotes").sort("px").head(3).toRecords(),
        [{ sym: "S0", px: "0" }, { sym: "S1", px: "1" }, { sym: "S0", px: "2" }],
      );
      await redis.xadd("quotes", "*", "sym", "S9", "px", "99");
      await waitFor("quotes", (s) => s.committedRows === 11n);
      assert.equal((await client.scanLive("quotes").collect()).height, 11);
      await ingest.removeSource("quotes");
    } finally {
      redis.disconnect();
    }
  },
});

Deno.test({
  name: "a Redis source claims what a dead consumer of its group left pending",
  ...INTEGRATION,
  async fn() {
    const redis = new Redis(redisServer.url);
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    try {
      await redis.xgroup("CREATE", "fills", "desk", "0", "MKSTREAM");
      for (let i = 0; i < 6; i++) await redis.xadd("fills", "*", "data", `{"n":${i}}`);
      // Another consumer of the group read four entries and died without acknowledging them.
      await redis.xreadgroup("GROUP", "desk", "dead", "COUNT", 4, "STREAMS", "fills", ">");
      await ingest.addRedisSource({
        name: "fills",
        url: redisServer.url,
        stream: "fills",
        group: "desk",
        field: "data",
      });
      const info = await waitFor("fills", (s) => s.committedRows === 6n);
      assert.equal(info.rejected, 0n);
      const deadline = Date.now() + 10_000;
      let pending = -1;
      while (Date.now() < deadline && pending !== 0) {
        pending = ((await redis.xpending("fills", "desk")) as [number])[0];
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(pending, 0, "every entry acknowledged once durable");
      await ingest.removeSource("fills");
    } finally {
      redis.disconnect();
    }
  },
});

Deno.test({
  name: "a Redis source: credentials in the URL and a host outside the allow-list are refused",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await assert.rejects(
      ingest.addRedisSource({ name: "x", url: "redis://user:secret@127.0.0.1:1", stream: "s" }),
      (e) =>
        e instanceof InvalidArgumentError &&
        /'spec\.redis\.url' must carry no credentials/.test(e.message) && !/secret/.test(e.message),
    );
    await assert.rejects(
      ingest.addRedisSource({ name: "x", url: "http://127.0.0.1:1", stream: "s" }),
      /'spec\.redis\.url'/,
    );
    await assert.rejects(
      ingest.addRedisSource({ name: "x", url: "redis://10.1.2.3:6379", stream: "s" }),
      (e) => e instanceof PermissionDeniedError && /10\.1\.2\.3/.test(e.message),
    );
    assert.deepEqual(await ingest.listSources(), []);
  },
});

Deno.test({
  name: "a Redis source whose server goes away says retrying, with the next attempt, and resumes",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    let redis = new Redis(redisServer.url);
    try {
      await redis.xadd("ticks", "*", "data", '{"i":1}');
      await ingest.addRedisSource({
        name: "ticks",
        url: redisServer.url,
        stream: "ticks",
        field: "data",
      });
      await waitFor("ticks", (s) => s.committedRows === 1n);
      redis.disconnect();
      const port = redisServer.port;
      await redisServer.stop();
      const down = await waitFor("ticks", (s) => s.state === "retrying");
      assert.match(down.lastError, /Cannot read Redis stream "ticks"/);
      assert.ok(down.nextAttemptAtMs > 0n);
      // Back (empty: this server keeps nothing): the source makes its group again and reads on.
      redisServer = await startRedisServer({ port });
      redis = new Redis(redisServer.url);
      await waitFor("ticks", (s) => s.state === "running");
      await redis.xadd("ticks", "*", "data", '{"i":2}');
      await waitFor("ticks", (s) => s.committedRows === 2n);
      await ingest.removeSource("ticks");
    } finally {
      redis.disconnect();
    }
  },
});

Deno.test({
  name: "redis source cluster stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
    await redisServer.stop();
    await Deno.remove(stateDir, { recursive: true });
  },
});
