/**
 * The Kafka source against a real broker (KRaft, from Maven Central jars): records into a live
 * table with the group's offsets committed after, a start at a timestamp, bad specs refused,
 * a lost broker retried.
 */

import assert from "node:assert/strict";
import { Admin, Producer, stringSerializer } from "@platformatic/kafka";
import { InvalidArgumentError, PermissionDeniedError } from "../shared/errors.ts";
import { connect, connectIngest, type SourceInfo } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { waitForSource } from "./_ingest.ts";
import { createTopic, startKafkaServer } from "./_kafka_server.ts";

let kafka = await startKafkaServer();
const stateDir = await Deno.makeTempDir({ prefix: "polaroid-kafka-state-" });
const cluster = await testCluster({
  env: { POLAROID_STATE_DIR: stateDir, POLAROID_INGEST_MAX_BATCH_DELAY_MS: "20" },
  serviceEnv: { ingest: { POLAROID_INGEST_ALLOW_HOSTS: "127.0.0.1" } },
});

/** Polls the source until `ok` holds. */
function waitFor(name: string, ok: (info: SourceInfo) => boolean): Promise<SourceInfo> {
  return waitForSource(cluster.endpoints.ingest, name, ok, 60_000);
}

async function produce(topic: string, values: string[]): Promise<void> {
  const producer = new Producer({
    clientId: "kafka-source-test",
    bootstrapBrokers: [kafka.bootstrap],
    idempotent: true,
    serializers: { key: stringSerializer, value: stringSerializer },
  });
  try {
    await producer.send({
      messages: values.map((value, i) => ({ topic, key: String(i % 4), value })),
    });
  } finally {
    await producer.close();
  }
}

Deno.test({
  name: "a Kafka topic's records become a live table; the group's offsets are committed after",
  ...INTEGRATION,
  async fn() {
    await createTopic(kafka.bootstrap, "trades", 2);
    await produce("trades", Array.from({ length: 50 }, (_, i) => `{"i":${i},"px":${100 + i}}`));
    await produce("trades", ["not json"]);
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await ingest.addKafkaSource({ name: "trades", brokers: [kafka.bootstrap], topic: "trades" });
    const info = await waitFor("trades", (s) => s.committedRows === 50n && s.rejected === 1n);
    const rows = await client.scanLive("trades").select("i").sort("i").toRecords();
    assert.deepEqual(rows.map((r) => Number(r.i)), Array.from({ length: 50 }, (_, i) => i));
    // The group's committed offsets reach the table's (every record, the rejected one too).
    const admin = new Admin({
      clientId: "kafka-source-test-admin",
      bootstrapBrokers: [kafka.bootstrap],
    });
    try {
      const deadline = Date.now() + 10_000;
      let total = 0n;
      while (Date.now() < deadline && total < 51n) {
        const [group] = await admin.listConsumerGroupOffsets({
          groups: ["polaroid-default-trades"],
        });
        total = (group?.topics.find((t) => t.name === "trades")?.partitions ?? [])
          .reduce((sum, p) => sum + (p.committedOffset > 0n ? p.committedOffset : 0n), 0n);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(total, 51n);
    } finally {
      await admin.close();
    }
    assert.equal(
      Object.entries(info.committedOffsets).filter(([k]) => k.startsWith("kafka:trades:")).length,
      2,
    );
    await ingest.removeSource("trades");
  },
});

Deno.test({
  name: "a Kafka source starting at a timestamp reads only the records from it",
  ...INTEGRATION,
  async fn() {
    await createTopic(kafka.bootstrap, "quotes", 1);
    await produce("quotes", ['{"n":1}', '{"n":2}']);
    await new Promise((r) => setTimeout(r, 50));
    const from = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    await produce("quotes", ['{"n":3}', '{"n":4}']);
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await ingest.addKafkaSource({
      name: "quotes",
      brokers: [kafka.bootstrap],
      topic: "quotes",
      start: new Date(from),
    });
    await waitFor("quotes", (s) => s.committedRows === 2n);
    assert.deepEqual((await client.scanLive("quotes").toRecords()).map((r) => Number(r.n)), [3, 4]);
    await ingest.removeSource("quotes");
  },
});

Deno.test({
  name:
    "a Kafka source: bad brokers, topics and starts are refused; a host outside the allow-list too",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    const bad: [Parameters<typeof ingest.addKafkaSource>[0], RegExp][] = [
      [{ name: "x", brokers: ["no-port"], topic: "t" }, /'spec\.kafka\.brokers\[0\]'/],
      [{ name: "x", brokers: ["a:1/path"], topic: "t" }, /'spec\.kafka\.brokers\[0\]'/],
      [{ name: "x", brokers: ["127.0.0.1:9"], topic: "bad topic" }, /'spec\.kafka\.topic'/],
    ];
    for (const [options, message] of bad) {
      await assert.rejects(ingest.addKafkaSource(options), (e) => {
        assert.ok(e instanceof InvalidArgumentError, String(e));
        assert.match(e.message, message);
        return true;
      });
    }
    await assert.rejects(
      ingest.addKafkaSource({ name: "x", brokers: ["10.9.9.9:9092"], topic: "t" }),
      PermissionDeniedError,
    );
    assert.deepEqual(await ingest.listSources(), []);
  },
});

Deno.test({
  name: "a Kafka source whose broker goes away says retrying, then reads on when it is back",
  ...INTEGRATION,
  async fn() {
    await createTopic(kafka.bootstrap, "ticks", 1);
    await produce("ticks", ['{"n":1}']);
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    await ingest.addKafkaSource({ name: "ticks", brokers: [kafka.bootstrap], topic: "ticks" });
    await waitFor("ticks", (s) => s.committedRows === 1n);
    const port = kafka.port;
    await kafka.stop();
    const down = await waitFor("ticks", (s) => s.state === "retrying");
    assert.ok(down.nextAttemptAtMs > 0n);
    assert.match(down.lastError, /Cannot read Kafka topic "ticks"/);
    // A new broker on the same port, empty: the topic made again is behind the table's
    // position, so the source reads it from its start and counts the gap.
    kafka = await startKafkaServer({ port });
    await createTopic(kafka.bootstrap, "ticks", 1);
    const back = await waitFor("ticks", (s) => s.reconnectGaps >= 1n && s.state === "running");
    assert.match(back.lastError, /not the table's 1: reading from 0/);
    await produce("ticks", ['{"n":2}']);
    await waitFor("ticks", (s) => s.committedRows === 2n);
    await ingest.removeSource("ticks");
  },
});

Deno.test({
  name: "kafka source cluster stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
    await kafka.stop();
    await Deno.remove(stateDir, { recursive: true });
  },
});
