import assert from "node:assert/strict";
import { noAuthentication } from "../../../shared/auth/authenticator.ts";
import { createLogger } from "../../../shared/telemetry/log.ts";
import type { UploadResponse } from "../../../shared/gen/polaroid/v1/dataframe.ts";
import { startBulkServer } from "./bulk_server.ts";
import type { BulkEntry, UploadEntry } from "./offers.ts";
import { BulkTickets } from "./tickets.ts";

function uploadEntry(store: UploadEntry["store"], onDrop: () => void): UploadEntry {
  return {
    kind: "upload",
    tenant: "default",
    maxBytes: 1 << 20,
    ttlSeconds: 0n,
    name: "",
    store,
    drop: onDrop,
  };
}

async function started() {
  const tickets = new BulkTickets<BulkEntry>({ maxSlots: 4, ticketMs: 60_000 });
  const server = await startBulkServer({
    host: "127.0.0.1",
    port: 0,
    auth: noAuthentication(),
    tickets,
    idleMs: 60_000,
    logger: createLogger("test", { write: () => {} }),
  });
  return { tickets, server, url: `http://127.0.0.1:${server.port}/v1/bulk/upload` };
}

// The client's request body is left open on purpose: its connection outlives the test.
const LEAKY = { sanitizeOps: false, sanitizeResources: false } as const;

Deno.test(
  "the bulk port's close() drops waiting tickets and cuts running transfers",
  LEAKY,
  async () => {
    const { tickets, server, url } = await started();
    let dropped = 0;
    const waiting = tickets.issue(
      uploadEntry(() => Promise.reject(new Error("unused")), () => dropped++),
    )!;
    assert.ok(waiting);
    // A transfer whose body never ends: its store reads until the transfer is cut.
    const reading = Promise.withResolvers<void>();
    const running = tickets.issue(uploadEntry(async (chunks) => {
      reading.resolve();
      for await (const _ of chunks) { /* never ends by itself */ }
      return { handle: undefined, bulk: undefined } as UploadResponse;
    }, () => dropped++))!;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(10));
      },
    });
    const put = fetch(url, { method: "PUT", headers: { "x-polaroid-ticket": running }, body })
      .then((r) => r.body?.cancel().then(() => r.status), () => "cut");
    await reading.promise;
    assert.equal(tickets.running, 1);
    await server.close();
    assert.equal(dropped, 2, "the waiting ticket and the transfer let go of what they held");
    assert.equal(tickets.running, 0);
    assert.equal(tickets.pending, 0);
    assert.notEqual(await put, 200);
    assert.equal(
      tickets.issue(uploadEntry(() => Promise.reject(new Error("x")), () => {})),
      undefined,
    );
  },
);
