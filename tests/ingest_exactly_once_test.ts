/**
 * The chaos test: producers publish known sequences to a JetStream subject, a Redis stream and
 * a Kafka topic at once, while the ingest process reading all three into live tables is
 * SIGKILLed over and over (20 times; POLAROID_KILLS sets it) and started again, restoring its
 * sources from the state store. Each live table then holds every message exactly once (count,
 * no duplicate, checksum), in order where the source has one order.
 */

import assert from "node:assert/strict";
import { jetstream } from "@nats-io/jetstream";
import { connect as connectNats } from "@nats-io/transport-node";
import { Producer, stringSerializer } from "@platformatic/kafka";
import { Redis } from "ioredis";
import pl from "nodejs-polars";
import { readConsistentPrefix } from "../shared/live_table.ts";
import { FsStateStore } from "../shared/state_store/fs.ts";
import { connectIngest, type SourceInfo } from "../sdk/mod.ts";
import { INTEGRATION } from "./_harness.ts";
import { createTopic, startKafkaServer } from "./_kafka_server.ts";
import { startNatsServer } from "./_nats_server.ts";
import { startRedisServer } from "./_redis_server.ts";
import { type ServiceProcess, startServiceProcess } from "./_service_process.ts";

const KILLS = Number(Deno.env.get("POLAROID_KILLS") ?? 20);
const MESSAGES = 20_000;

type IngestClient = Awaited<ReturnType<typeof connectIngest>>;

/** The sources' infos from the ingest at `endpoint`, or undefined while it is not up. */
async function sourceInfos(endpoint: string): Promise<SourceInfo[] | undefined> {
  try {
    await using ingest = await connectIngest({ endpoint, connectTimeoutMs: 2000 });
    return await ingest.listSources();
  } catch {
    return undefined;
  }
}

/** One replayable source under the kill loop; its source and table are named `name`. */
interface Case {
  name: string;
  /** Adds the source through the client. */
  add(client: IngestClient): Promise<unknown>;
  /** Publishes messages `from` to `to` - 1, each `{"seq": i}`. */
  publish(from: number, to: number): Promise<void>;
  /** Whether every message is in (and, where the protocol has them, acknowledged). */
  done(info: SourceInfo): boolean | Promise<boolean>;
  /** The table must hold the sequence in order (one partition). @default true */
  ordered?: boolean;
}

async function killLoop(env: Record<string, string>, cases: Case[]): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "polaroid-exactly-once-" });
  const serviceEnv = {
    POLAROID_STATE_DIR: stateDir,
    POLAROID_INGEST_MAX_BATCH_DELAY_MS: "20",
    POLAROID_INGEST_MAX_BATCH_ROWS: "500",
    POLAROID_LOG_LEVEL: "warn",
    ...env,
  };
  let ingest: ServiceProcess = await startServiceProcess("ingest", serviceEnv);
  try {
    {
      await using client = await connectIngest({ endpoint: ingest.endpoint });
      for (const c of cases) await c.add(client);
    }
    let producing = true;
    let kills = 0;
    // The producers publish at once, paced by the kills rather than by the clock (a restart
    // takes longer on a busy machine): chunk c waits for c × KILLS / chunks kills, so the
    // messages are spread over every kill but the last.
    const chunks = Math.ceil(MESSAGES / 100);
    const produced = Promise.all(cases.map(async (c) => {
      for (let chunk = 0; chunk < chunks; chunk++) {
        while (kills < Math.floor((chunk * KILLS) / chunks)) {
          await new Promise((r) => setTimeout(r, 10));
        }
        await c.publish(chunk * 100, Math.min(MESSAGES, (chunk + 1) * 100));
        await new Promise((r) => setTimeout(r, 20));
      }
    })).finally(() => (producing = false));
    // Kill the ingest process at random moments while it reads; start it again each time.
    let midStream = 0;
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 300));
      if (producing) midStream++;
      await ingest.stop(); // SIGKILL
      ingest = await startServiceProcess("ingest", serviceEnv);
      kills++;
    }
    await produced;
    assert.ok(midStream >= KILLS / 2, `kills while the producers published: ${midStream}`);
    // Everything reaches the tables (within a deadline, on a busy machine too).
    const deadline = Date.now() + 90_000;
    let infos: SourceInfo[] | undefined;
    const finished = async () => {
      for (const c of cases) {
        const info = infos?.find((s) => s.spec?.name === c.name);
        if (!info || !(await c.done(info))) return false;
      }
      return true;
    };
    while (Date.now() < deadline) {
      infos = await sourceInfos(ingest.endpoint);
      if (await finished()) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(
      await finished(),
      `the sources: ${
        infos?.map((s) => `${s.spec?.name} ${s.state} ${s.committedRows} ${s.lastError}`)
      }`,
    );
    const store = await FsStateStore.open({ root: stateDir });
    try {
      for (const c of cases) {
        const { values } = await readConsistentPrefix(store, "default", c.name, async (s) => {
          const body = await store.get(s.key);
          return pl.readIPC(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
        });
        const seqs = values.flatMap((f) => f.getColumn("seq").toArray() as (number | bigint)[])
          .map(Number);
        assert.equal(seqs.length, MESSAGES, `${c.name}: rows in the table`);
        assert.equal(new Set(seqs).size, MESSAGES, `${c.name}: distinct messages`);
        assert.equal(seqs.reduce((a, b) => a + b, 0), (MESSAGES * (MESSAGES - 1)) / 2, c.name);
        // In order: each restart resumed where the table ended.
        if (c.ordered ?? true) assert.ok(seqs.every((v, i) => v === i), `${c.name}: in order`);
      }
    } finally {
      await store.close();
    }
  } finally {
    await ingest.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test({
  name:
    `JetStream, Redis Streams and Kafka live tables hold every message exactly once across ${KILLS} SIGKILLs`,
  ...INTEGRATION,
  async fn() {
    await using nats = await startNatsServer({ jetStream: true });
    await using redisServer = await startRedisServer();
    await using kafka = await startKafkaServer();
    await createTopic(kafka.bootstrap, "orders", 3);
    const natsProducer = await connectNats({ servers: nats.url });
    const js = jetstream(natsProducer);
    const redis = new Redis(redisServer.url);
    // Idempotent: the broker drops a batch the producer sends again.
    const kafkaProducer = new Producer({
      clientId: "exactly-once-producer",
      bootstrapBrokers: [kafka.bootstrap],
      idempotent: true,
      serializers: { key: stringSerializer, value: stringSerializer },
    });
    const encoder = new TextEncoder();
    let lastRedisId = "";
    try {
      await killLoop({ POLAROID_NATS_URL: nats.url, POLAROID_INGEST_ALLOW_HOSTS: "127.0.0.1" }, [
        {
          name: "js",
          add: async (client) => {
            const added = await client.addJetStreamSource({ name: "js", subject: "orders" });
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
            info.committedOffsets["jetstream:polaroid.durable.default.orders"] ===
              String(MESSAGES),
        },
        {
          name: "redis",
          add: (client) =>
            client.addRedisSource({
              name: "redis",
              url: redisServer.url,
              stream: "orders",
              field: "data",
            }),
          publish: async (from, to) => {
            const batch = redis.pipeline();
            for (let j = from; j < to; j++) batch.xadd("orders", "*", "data", `{"seq":${j}}`);
            const replies = await batch.exec();
            lastRedisId = String(replies?.at(-1)?.[1] ?? lastRedisId);
          },
          // Everything committed, and acknowledged: nothing left pending in the group.
          done: async (info) =>
            info.committedOffsets["redis:orders"] === lastRedisId &&
            ((await redis.xpending("orders", "polaroid")) as [number])[0] === 0,
        },
        {
          name: "kafka",
          add: (client) =>
            client.addKafkaSource({ name: "kafka", brokers: [kafka.bootstrap], topic: "orders" }),
          publish: async (from, to) => {
            await kafkaProducer.send({
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
        },
      ]);
    } finally {
      await kafkaProducer.close().catch(() => {});
      redis.disconnect();
      await natsProducer.close();
    }
  },
});
