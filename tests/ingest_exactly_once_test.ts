/**
 * Exactly once across crashes: a producer publishes a known sequence to a replayable source
 * (JetStream, a Redis stream) while the ingest process is SIGKILLed over and over (20 times;
 * POLAROID_KILLS sets it) and started again, restoring its sources from the state store. The
 * live table then holds every message exactly once (count, no duplicate, checksum), in order.
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
import { startRedisServer } from "./_redis_server.ts";
import { Redis } from "ioredis";
import { Producer, stringSerializer } from "@platformatic/kafka";
import { createTopic, startKafkaServer } from "./_kafka_server.ts";
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

/** One replayable source kind under the kill loop. */
interface Case {
  /** The ingest service's extra environment. */
  env: Record<string, string>;
  /** Adds the source (named "orders") through the client. */
  add(client: Awaited<ReturnType<typeof connectIngest>>): Promise<unknown>;
  /** Publishes messages `from` to `to` - 1, each `{"seq": i}`. */
  publish(from: number, to: number): Promise<void>;
  /** Whether every message is in (and, where the protocol has them, acknowledged). */
  done(info: SourceInfo): boolean | Promise<boolean>;
  /** The table must hold the sequence in order (one partition). @default true */
  ordered?: boolean;
}

async function killLoop(name: string, kind: Case): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: `polaroid-exactly-once-${name}-` });
  const env = {
    POLAROID_STATE_DIR: stateDir,
    POLAROID_INGEST_MAX_BATCH_DELAY_MS: "20",
    POLAROID_INGEST_MAX_BATCH_ROWS: "500",
    POLAROID_LOG_LEVEL: "warn",
    ...kind.env,
  };
  let ingest: ServiceProcess = await startServiceProcess("ingest", env);
  try {
    {
      await using client = await connectIngest({ endpoint: ingest.endpoint });
      await kind.add(client);
    }
    let producing = true;
    const produced = (async () => {
      // Spread over about as long as the kills take.
      for (let i = 0; i < MESSAGES; i += 100) {
        await kind.publish(i, Math.min(MESSAGES, i + 100));
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
      if (info && await kind.done(info)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(
      info && await kind.done(info),
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
      // In order: each restart resumed where the table ended.
      if (kind.ordered ?? true) assert.ok(seqs.every((v, i) => v === i));
    } finally {
      await store.close();
    }
  } finally {
    await ingest.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test({
  name: `a JetStream source's live table holds every message exactly once across ${KILLS} SIGKILLs`,
  ...INTEGRATION,
  async fn() {
    await using nats = await startNatsServer({ jetStream: true });
    const producer = await connectNats({ servers: nats.url });
    const js = jetstream(producer);
    const encoder = new TextEncoder();
    try {
      await killLoop("jetstream", {
        env: { POLAROID_NATS_URL: nats.url },
        add: async (client) => {
          const added = await client.addJetStreamSource({ name: "orders", subject: "orders" });
          assert.equal(added.natsSubject, "polaroid.durable.default.orders");
        },
        // Each with its Nats-Msg-Id, acknowledged by the stream.
        publish: async (from, to) => {
          const acks = [];
          for (let j = from; j < to; j++) {
            acks.push(
              js.publish("polaroid.durable.default.orders", encoder.encode(`{"seq":${j}}`), {
                msgID: `order-${j}`,
              }),
            );
          }
          await Promise.all(acks);
        },
        done: (info) =>
          info.committedOffsets["jetstream:polaroid.durable.default.orders"] === String(MESSAGES),
      });
    } finally {
      await producer.close();
    }
  },
});

Deno.test({
  name:
    `a Redis Streams source's live table holds every entry exactly once across ${KILLS} SIGKILLs`,
  ...INTEGRATION,
  async fn() {
    await using redisServer = await startRedisServer();
    await using nats = await startNatsServer();
    const redis = new Redis(redisServer.url);
    let last = "";
    try {
      await killLoop("redis", {
        env: { POLAROID_NATS_URL: nats.url, POLAROID_INGEST_ALLOW_HOSTS: "127.0.0.1" },
        add: (client) =>
          client.addRedisSource({
            name: "orders",
            url: redisServer.url,
            stream: "orders",
            field: "data",
          }),
        publish: async (from, to) => {
          const batch = redis.pipeline();
          for (let j = from; j < to; j++) batch.xadd("orders", "*", "data", `{"seq":${j}}`);
          const replies = await batch.exec();
          last = String(replies?.at(-1)?.[1] ?? last);
        },
        // Everything committed, and acknowledged: nothing left pending in the group.
        done: async (info) =>
          info.committedOffsets["redis:orders"] === last &&
          ((await redis.xpending("orders", "polaroid")) as [number])[0] === 0,
      });
    } finally {
      redis.disconnect();
    }
  },
});

Deno.test({
  name: `a Kafka source's live table holds every record exactly once across ${KILLS} SIGKILLs`,
  ...INTEGRATION,
  async fn() {
    await using kafka = await startKafkaServer();
    await using nats = await startNatsServer();
    await createTopic(kafka.bootstrap, "orders", 3);
    // Idempotent: the broker drops a batch the producer sends again.
    const producer = new Producer({
      clientId: "exactly-once-producer",
      bootstrapBrokers: [kafka.bootstrap],
      idempotent: true,
      serializers: { key: stringSerializer, value: stringSerializer },
    });
    try {
      await killLoop("kafka", {
        env: { POLAROID_NATS_URL: nats.url, POLAROID_INGEST_ALLOW_HOSTS: "127.0.0.1" },
        add: (client) =>
          client.addKafkaSource({ name: "orders", brokers: [kafka.bootstrap], topic: "orders" }),
        publish: async (from, to) => {
          await producer.send({
            messages: Array.from({ length: to - from }, (_, n) => ({
              topic: "orders",
              key: String((from + n) % 10),
              value: `{"seq":${from + n}}`,
            })),
          });
        },
        // Each partition's offset is the count of its records: together, every record.
        done: (info) =>
          Object.entries(info.committedOffsets)
            .filter(([key]) => key.startsWith("kafka:orders:"))
            .reduce((sum, [, offset]) => sum + Number(offset), 0) === MESSAGES,
        ordered: false,
      });
    } finally {
      await producer.close().catch(() => {});
    }
  },
});
