/**
 * The WebSocket source against real WebSocket servers: the synthetic tick feed (which drops
 * connections at random), MessagePack frames, bad specs and hosts refused, backpressure.
 */

import assert from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
// @ts-types="npm:@types/ws@8.18.1"
import { WebSocketServer } from "ws";
import { InvalidArgumentError, PermissionDeniedError } from "../shared/errors.ts";
import { col, connect, connectIngest, type SourceInfo } from "../sdk/mod.ts";
import { startTickFeed } from "../examples/ws_feed.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { waitForSource } from "./_ingest.ts";

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-ws-state-" });
const cluster = await testCluster({
  env: { POLAROID_STATE_DIR: stateDir, POLAROID_INGEST_MAX_BATCH_DELAY_MS: "20" },
  serviceEnv: { ingest: { POLAROID_INGEST_ALLOW_HOSTS: "127.0.0.1" } },
});

/** Polls the source until `ok` holds. */
function waitFor(name: string, ok: (info: SourceInfo) => boolean): Promise<SourceInfo> {
  return waitForSource(cluster.endpoints.ingest, name, ok, 60_000);
}

Deno.test({
  name: "a tick feed that drops connections at random: resubscribed, gaps counted, bars queried",
  ...INTEGRATION,
  async fn() {
    await using feed = await startTickFeed({ ratePerSecond: 2000, dropProbability: 0.02 });
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await ingest.addWebSocketSource({
      name: "ticks",
      url: feed.url,
      subscribe: [JSON.stringify({ op: "subscribe", symbols: ["AAPL", "MSFT"] })],
      records: "data[*]",
    });
    const info = await waitFor(
      "ticks",
      (s) => s.committedRows >= 1000n && s.reconnectGaps >= 2n && s.state === "running",
    );
    assert.ok(feed.dropped() >= 2);
    assert.equal(info.rejected, 0n);
    // Only the symbols subscribed to, resubscribed after every reconnect.
    const symbols = await client.scanLive("ticks").select(col("sym").unique().sort())
      .toRecords();
    assert.deepEqual(symbols.map((r) => r.sym), ["AAPL", "MSFT"]);
    // Each tick once at most: a reconnect loses ticks, it never repeats one.
    const counts = await client.scanLive("ticks").select(
      col("seq").count().alias("n"),
      col("seq").nUnique().alias("distinct"),
    ).toRecords();
    assert.equal(counts[0]!.n, counts[0]!.distinct);
    await ingest.removeSource("ticks");
  },
});

Deno.test({
  name: "MessagePack frames with 64-bit integers, and a message whose records are missing rejected",
  ...INTEGRATION,
  async fn() {
    const server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as { port: number }).port;
    server.on("connection", (socket) => {
      socket.on("message", () => {
        socket.send(encode({ data: [{ id: 9007199254740993n, px: 1.25 }] }, { useBigInt64: true }));
        socket.send(encode({ other: 1 }));
        socket.send(encode({ data: [{ id: 2n, px: 2.5 }] }, { useBigInt64: true }));
      });
    });
    try {
      await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
      await using client = await connect({ endpoint: cluster.endpoints.compute });
      await ingest.addWebSocketSource({
        name: "packed",
        url: `ws://127.0.0.1:${port}/v1`,
        subscribe: ["go"],
        format: "msgpack",
        records: "data[*]",
      });
      const info = await waitFor("packed", (s) => s.committedRows === 2n && s.rejected === 1n);
      assert.match(info.recentRejections[0]!.error, /no member "data"/);
      assert.deepEqual(await client.scanLive("packed").sort("px").toRecords(), [
        { id: 9007199254740993n, px: 1.25 },
        { id: 2n, px: 2.5 },
      ]);
      await ingest.removeSource("packed");
    } finally {
      for (const socket of server.clients) socket.terminate();
      await new Promise((r) => server.close(r));
    }
  },
});

Deno.test({
  name: "a WebSocket source: bad URLs, paths and hosts outside the allow-list are refused",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    const cases: [Parameters<typeof ingest.addWebSocketSource>[0], RegExp][] = [
      [{ name: "x", url: "http://127.0.0.1:1" }, /'spec\.websocket\.url'/],
      [{ name: "x", url: "ws://u:secret@127.0.0.1:1" }, /must carry no credentials/],
      [{ name: "x", url: "ws://127.0.0.1:1", records: "data[0]" }, /'spec\.websocket\.records'/],
      [
        { name: "x", url: "ws://127.0.0.1:1", staleAfterMs: 5 },
        /'spec\.websocket\.stale_after_ms'/,
      ],
      [
        { name: "x", url: "ws://127.0.0.1:1", subscribe: Array(65).fill("s") },
        /'spec\.websocket\.subscribe'/,
      ],
    ];
    for (const [options, message] of cases) {
      await assert.rejects(ingest.addWebSocketSource(options), (e) => {
        assert.ok(e instanceof InvalidArgumentError, String(e));
        assert.match(e.message, message);
        assert.doesNotMatch(e.message, /secret/);
        return true;
      });
    }
    await assert.rejects(
      ingest.addWebSocketSource({ name: "x", url: "ws://192.168.7.7:9000" }),
      PermissionDeniedError,
    );
    assert.deepEqual(await ingest.listSources(), []);
  },
});

Deno.test({
  name: "an unreachable feed says retrying with the next attempt, never a crash",
  ...INTEGRATION,
  async fn() {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await ingest.addWebSocketSource({ name: "nowhere", url: `ws://127.0.0.1:${port}` });
    const info = await waitFor("nowhere", (s) => s.state === "retrying");
    assert.ok(info.nextAttemptAtMs > 0n);
    assert.match(info.lastError, /WebSocket 127\.0\.0\.1/);
    assert.equal(info.reconnectGaps, 0n, "never connected: no data was lost");
    await ingest.removeSource("nowhere");
  },
});

Deno.test({
  name: "websocket source cluster stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
    await Deno.remove(stateDir, { recursive: true });
  },
});
