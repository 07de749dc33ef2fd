import assert from "node:assert/strict";
// @ts-types="npm:@types/ws@8.18.1"
import { WebSocketServer } from "ws";
import type { SourceSpec } from "../../../shared/gen/polaroid/v1/ingest.ts";
import { parseAllowHosts } from "../../../shared/outbound.ts";
import { MemoryStateStore } from "../../../shared/state_store/memory.ts";
import type { StateStore } from "../../../shared/state_store/store.ts";
import { LiveWriter } from "../live_writer.ts";
import { createWebSocketSource } from "./websocket.ts";

Deno.test({
  name: "a WebSocket source stops reading its socket while commits lag (bounded memory)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // A store whose writes wait for a gate: commits lag until it opens.
    const memory = new MemoryStateStore();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const store: StateStore = {
      kind: "memory",
      put: async (...args) => {
        await gate;
        return await memory.put(...args);
      },
      get: (key) => memory.get(key),
      head: (key) => memory.head(key),
      delete: (key) => memory.delete(key),
      list: (prefix) => memory.list(prefix),
      close: () => memory.close(),
    };
    // A server that sends as fast as the socket takes it.
    const server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as { port: number }).port;
    let sent = 0;
    let stopSending = false;
    server.on("connection", (socket) => {
      const pump = () => {
        while (!stopSending && socket.bufferedAmount < 1 << 20) {
          socket.send(`{"n":${sent++},"pad":"${"x".repeat(200)}"}`);
        }
        if (!stopSending) setTimeout(pump, 5);
      };
      pump();
    });
    const spec: SourceSpec = {
      name: "flood",
      kind: {
        $case: "websocket",
        value: {
          url: `ws://127.0.0.1:${port}`,
          subscribe: [],
          format: "json",
          records: "",
          staleAfterMs: 60_000,
          pingIntervalMs: 60_000,
        },
      },
      maxBatchRows: 1000,
      maxBatchDelayMs: 20,
      maxBufferBytes: 256n * 1024n,
      table: "flood",
      overflow: "block",
    };
    const writer = await LiveWriter.open({ store, tenant: "acme", table: "flood" });
    const source = createWebSocketSource(spec, {
      tenant: "acme",
      nats: undefined as never,
      outbound: parseAllowHosts("127.0.0.1"),
      live: { writer, store },
    });
    try {
      const messages = () => Number(source.info().messages);
      const deadline = Date.now() + 10_000;
      while (messages() < 1000 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      // Paused: what it took stays put while the commits wait, however much the server sends.
      await new Promise((r) => setTimeout(r, 300));
      const held = messages();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(messages(), held, "no message read while the commits lag");
      const pending = Number(source.info().pendingBytes);
      // The bound, plus the batch that crossed it.
      assert.ok(pending <= 256 * 1024 + 1000 * 260, `pending bytes: ${pending}`);
      assert.ok(sent > held + 1000, `the server had more to send: sent ${sent}, read ${held}`);
      // The store is back: reading resumes and everything read is committed.
      open();
      const later = Date.now() + 10_000;
      while (messages() < held + 5000 && Date.now() < later) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(messages() >= held + 5000, "reading resumed");
      assert.equal(source.info().rejected, 0n);
    } finally {
      stopSending = true;
      await source.close();
      for (const socket of server.clients) socket.terminate();
      await new Promise((r) => server.close(r));
    }
  },
});
