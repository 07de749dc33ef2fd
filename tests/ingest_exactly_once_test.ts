/**
 * Exactly once across crashes: a producer publishes a known sequence to a JetStream source
 * while the ingest process is SIGKILLed over and over (20 times; POLAROID_KILLS sets it) and
 * started again, restoring its sources from the state store. The live table then holds every
 * message exactly once (count, no duplicate, checksum).
 */

import assert from "node:assert/strict";
import { jetstream } from "@nats-io/jetstream";
import { connect as connectNats } from "@nats-io/transport-node";
import { readConsistentPrefix } from "../shared/live_table.ts";
import { FsStateStore } from "../shared/state_store/fs.ts";
import { connectIngest, type SourceInfo } from "../sdk/mod.ts";
import pl from "nodejs-polars";
import { INTEGRATION } from "./_harness.ts";
import { startNatsServer } from "./_nats_server.ts";
import { type ServiceProcess, startServiceProcess } from "./_service_process.ts";

const KILLS = Number(Deno.env.get("POLAROID_KILLS") ?? 20);
const MESSAGES = 20_000;

/** The source's info from the ingest at `endpoint`, or undefined while it is not up. */
async function sourceInfo(endpoint: string, name: string): Promise<SourceInfo | undefined> {
  try {
    await using ingest = await connectIngest({ endpoint, connectTimeoutMs: 2000 });
    return (await ingest.listSources()).find((s) => s.spec?.name === name);
  } catch {
    return undefined;
  }
}

Deno.test({
  name: `a JetStream source's live table holds every message exactly once across ${KILLS} SIGKILLs`,
  ...INTEGRATION,
  async fn() {
    await using nats = await startNatsServer({ jetStream: true });
    const stateDir = await Deno.makeTempDir({ prefix: "polaroid-exactly-once-" });
    const env = {
      POLAROID_NATS_URL: nats.url,
      POLAROID_STATE_DIR: stateDir,
      POLAROID_INGEST_MAX_BATCH_DELAY_MS: "20",
      POLAROID_INGEST_MAX_BATCH_ROWS: "500",
      POLAROID_LOG_LEVEL: "warn",
    };
    let ingest: ServiceProcess = await startServiceProcess("ingest", env);
    const producer = await connectNats({ servers: nats.url });
    try {
      {
        await using client = await connectIngest({ endpoint: ingest.endpoint });
        const added = await client.addJetStreamSource({ name: "orders", subject: "orders" });
        assert.equal(added.natsSubject, "polaroid.durable.default.orders");
      }
      // The producer: the sequence 0..MESSAGES-1, each with its Nats-Msg-Id, acknowledged by
      // the stream (a retried publication would be dropped as a duplicate).
      const js = jetstream(producer);
      const encoder = new TextEncoder();
      let producing = true;
      const produced = (async () => {
        // Spread over about as long as the kills take.
        for (let i = 0; i < MESSAGES; i += 100) {
          const acks = [];
          for (let j = i; j < Math.min(MESSAGES, i + 100); j++) {
            acks.push(
              js.publish("polaroid.durable.default.orders", encoder.encode(`{"seq":${j}}`), {
                msgID: `order-${j}`,
              }),
            );
          }
          await Promise.all(acks);
          await new Promise((r) => setTimeout(r, (KILLS * 400) / (MESSAGES / 100)));
        }
      })().finally(() => (producing = false));
      // Kill the ingest process at random moments while it reads; start it again each time.
      let midStream = 0;
      for (let k = 0; k < KILLS; k++) {
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 300));
        if (producing) midStream++;
        await ingest.stop(); // SIGKILL
        ingest = await startServiceProcess("ingest", env);
      }
      await produced;
      assert.ok(midStream >= KILLS / 2, `kills while the producer published: ${midStream}`);
      // Everything reaches the table (within a deadline, on a busy machine too).
      const deadline = Date.now() + 60_000;
      let info: SourceInfo | undefined;
      while (Date.now() < deadline) {
        info = await sourceInfo(ingest.endpoint, "orders");
        if (
          info?.committedOffsets["jetstream:polaroid.durable.default.orders"] === String(MESSAGES)
        ) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(
        info?.committedOffsets["jetstream:polaroid.durable.default.orders"],
        String(MESSAGES),
        `the source's state: ${info?.state} ${info?.lastError}`,
      );
      const store = await FsStateStore.open({ root: stateDir });
      try {
        const { values } = await readConsistentPrefix(store, "default", "orders", async (s) => {
          const body = await store.get(s.key);
          return pl.readIPC(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
        });
        const seqs = values.flatMap((f) => f.getColumn("seq").toArray() as (number | bigint)[])
          .map(Number);
        assert.equal(seqs.length, MESSAGES, "rows in the table");
        assert.equal(new Set(seqs).size, MESSAGES, "distinct messages");
        assert.equal(seqs.reduce((a, b) => a + b, 0), (MESSAGES * (MESSAGES - 1)) / 2, "checksum");
        // In stream order: each restart resumed where the table ended.
        assert.ok(seqs.every((v, i) => v === i));
      } finally {
        await store.close();
      }
    } finally {
      await producer.close();
      await ingest.stop();
      await Deno.remove(stateDir, { recursive: true });
    }
  },
});
