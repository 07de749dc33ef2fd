/**
 * A real Kafka broker (KRaft, from tests/_kafka_server.ts) serves the npm client
 * @platformatic/kafka under Deno: topics created, keyed JSON produced, a consumer group read
 * from the earliest offset with manual commits that the group's committed offsets then show,
 * starts at latest and at a timestamp, paused fetching, rebalances, a broker started again on
 * the same port.
 */

import assert from "node:assert/strict";
import {
  Admin,
  Consumer,
  jsonDeserializer,
  jsonSerializer,
  type Message,
  type MessagesStream,
  Producer,
  stringDeserializer,
  stringSerializer,
} from "@platformatic/kafka";
import { delay, waitFor } from "../scripts/_wait.ts";
import { INTEGRATION } from "./_harness.ts";
import {
  createTopic,
  type KafkaServer,
  startKafkaServer,
  waitForPartitions,
} from "./_kafka_server.ts";

interface Event {
  i: number;
  text: string;
}
type EventMessage = Message<string, Event, Buffer, Buffer>;
type EventStream = MessagesStream<string, Event, Buffer, Buffer>;

function producer(kafka: KafkaServer): Producer<string, Event, Buffer, Buffer> {
  return new Producer({
    clientId: "kafka-test-producer",
    bootstrapBrokers: [kafka.bootstrap],
    serializers: { key: stringSerializer, value: jsonSerializer<Event> },
  });
}

function consumer(
  kafka: KafkaServer,
  groupId: string,
  clientId = `${groupId}-member`,
): Consumer<string, Event, Buffer, Buffer> {
  return new Consumer({
    clientId,
    groupId,
    bootstrapBrokers: [kafka.bootstrap],
    deserializers: { key: stringDeserializer, value: jsonDeserializer<Event> },
    // Short heartbeats so that rebalances (and leaving) take a second, not the default 3 s.
    heartbeatInterval: 300,
    sessionTimeout: 6_000,
    rebalanceTimeout: 6_000,
    maxWaitTime: 200,
  });
}

function events(from: number, count: number, topic: string) {
  return Array.from({ length: count }, (_, n) => {
    const i = from + n;
    return { topic, key: `key-${i % 10}`, value: { i, text: `event ${i}` } };
  });
}

/** The next `count` messages of `stream` (paused after them); rejects after `timeoutMs`. */
function take(stream: EventStream, count: number, timeoutMs = 20_000): Promise<EventMessage[]> {
  return new Promise((resolve, reject) => {
    const got: EventMessage[] = [];
    const done = () => {
      clearTimeout(timer);
      stream.pause();
      stream.off("data", onData);
      stream.off("error", onError);
    };
    const onData = (message: EventMessage) => {
      got.push(message);
      if (got.length < count) return;
      done();
      resolve(got);
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`Timed out with ${got.length} of ${count} messages`));
    }, timeoutMs);
    stream.on("data", onData);
    stream.on("error", onError);
    stream.resume();
  });
}

/** The last message of each partition, as the offsets to commit (the next one to read). */
function nextOffsets(messages: EventMessage[]) {
  const last = new Map<number, EventMessage>();
  for (const m of messages) {
    if ((last.get(m.partition)?.offset ?? -1n) < m.offset) last.set(m.partition, m);
  }
  return [...last.values()].map((m) => ({
    topic: m.topic,
    partition: m.partition,
    offset: m.offset + 1n,
    leaderEpoch: m.leaderEpoch,
  }));
}

/** The group's committed offsets of `topic` by partition, as the Admin lists them. */
async function committed(admin: Admin, groupId: string, topic: string) {
  const [group] = await admin.listConsumerGroupOffsets({ groups: [groupId] });
  const partitions = group?.topics.find((t) => t.name === topic)?.partitions ?? [];
  return new Map(partitions.map((p) => [p.partitionIndex, p.committedOffset]));
}

Deno.test({
  name: "a KRaft broker serves @platformatic/kafka under Deno",
  ...INTEGRATION,
  fn: async (t) => {
    const started = performance.now();
    let kafka = await startKafkaServer();
    console.log(
      `kafka broker on ${kafka.bootstrap} in ${Math.round(performance.now() - started)} ms`,
    );
    const admin = new Admin({ clientId: "kafka-test-admin", bootstrapBrokers: [kafka.bootstrap] });
    const send = producer(kafka);
    // What a step opened, closed (newest first) when it ends, passed or failed: a client left
    // open would fail later steps (and the broker restart) with its errors.
    const closers: (() => Promise<unknown>)[] = [];
    const closeAll = async () => {
      for (let close = closers.pop(); close; close = closers.pop()) await close().catch(() => {});
    };
    const step = (name: string, fn: () => Promise<void>) =>
      t.step({
        name,
        ...INTEGRATION,
        fn: async () => {
          try {
            await fn();
          } finally {
            await closeAll();
          }
        },
      });
    try {
      await step(
        "100 keyed JSON messages in 3 partitions, read by a group with manual commits",
        async () => {
          const created = await admin.createTopics({
            topics: ["events"],
            partitions: 3,
            replicas: 1,
          });
          assert.deepEqual(created.map((c) => [c.name, c.partitions]), [["events", 3]]);
          await waitForPartitions(kafka.bootstrap, "events", 3);
          assert.ok((await admin.listTopics()).includes("events"));

          const result = await send.send({ messages: events(0, 100, "events") });
          assert.deepEqual(
            result.offsets?.map((o) => o.offset),
            [0n, 0n, 0n],
            "one batch per partition, each at offset 0",
          );

          const group = consumer(kafka, "readers");
          closers.push(() => group.close(true));
          const stream = await group.consume({
            topics: ["events"],
            // From the group's committed offsets, the earliest where it has none.
            mode: "committed",
            fallbackMode: "earliest",
            autocommit: false,
          });
          closers.push(() => stream.close());
          const messages = await take(stream, 100);

          assert.deepEqual(messages.map((m) => m.value.i).sort((a, b) => a - b), [
            ...Array(100).keys(),
          ]);
          for (const m of messages) {
            assert.equal(m.topic, "events");
            assert.equal(m.key, `key-${m.value.i % 10}`);
            assert.equal(m.value.text, `event ${m.value.i}`);
            assert.equal(typeof m.offset, "bigint");
            assert.ok(m.partition >= 0 && m.partition < 3);
            assert.ok(Math.abs(Number(m.timestamp) - Date.now()) < 60_000, `${m.timestamp}`);
          }
          // One key, one partition; offsets dense from 0 within each partition.
          const partitionOfKey = new Map<string, number>();
          const perPartition = new Map<number, bigint[]>();
          for (const m of messages) {
            assert.equal(partitionOfKey.get(m.key) ?? m.partition, m.partition);
            partitionOfKey.set(m.key, m.partition);
            perPartition.set(m.partition, [...(perPartition.get(m.partition) ?? []), m.offset]);
          }
          for (const offsets of perPartition.values()) {
            assert.deepEqual(offsets, offsets.map((_, n) => BigInt(n)), "in order, no gaps");
          }
          // The log holds exactly the 100: no producer retry duplicated a batch.
          const ends = await group.listOffsets({ topics: ["events"] });
          assert.equal(ends.get("events")!.reduce((a, b) => a + b, 0n), 100n);

          assert.equal((await committed(admin, "readers", "events")).size, 0, "nothing yet");
          const offsets = nextOffsets(messages);
          await group.commit({ offsets });
          const expected = new Map(offsets.map((o) => [o.partition, o.offset]));
          assert.deepEqual(await committed(admin, "readers", "events"), expected);
          assert.equal([...expected.values()].reduce((a, b) => a + b, 0n), 100n);
          const listed = await group.listCommittedOffsets({
            topics: [{ topic: "events", partitions: [0, 1, 2] }],
          });
          assert.deepEqual(listed.get("events"), [0, 1, 2].map((p) => expected.get(p) ?? -1n));

          // Another member of the group starts where the group committed: only the new ones.
          await stream.close();
          await group.close();
          const again = consumer(kafka, "readers", "readers-again");
          closers.push(() => again.close(true));
          const more = await again.consume({
            topics: ["events"],
            mode: "committed",
            fallbackMode: "earliest",
            autocommit: false,
          });
          closers.push(() => more.close());
          await send.send({ messages: events(100, 5, "events") });
          const fresh = await take(more, 5);
          assert.deepEqual(fresh.map((m) => m.value.i).sort((a, b) => a - b), [
            100,
            101,
            102,
            103,
            104,
          ]);
          // message.commit() commits that message's offset + 1 of its partition.
          await Promise.all(fresh.map((m) => m.commit()));
          const after = await committed(admin, "readers", "events");
          for (const o of nextOffsets(fresh)) assert.equal(after.get(o.partition), o.offset);
          assert.equal([...after.values()].reduce((a, b) => a + b, 0n), 105n);
          await more.close();
          await again.close();
        },
      );

      await step("starts at the latest offset and at a timestamp", async () => {
        await createTopic(kafka.bootstrap, "starts", 3);
        await send.send({ messages: events(0, 30, "starts") });
        await delay(5);
        const mark = BigInt(Date.now());
        await delay(5);
        await send.send({ messages: events(30, 30, "starts") });

        const byTime = consumer(kafka, "by-time");
        closers.push(() => byTime.close(true));
        const at = await byTime.listOffsets({ topics: ["starts"], timestamp: mark });
        const offsets = at.get("starts")!.map((offset, partition) => ({
          topic: "starts",
          partition,
          offset,
        }));
        const fromTime = await byTime.consume({
          topics: ["starts"],
          mode: "manual",
          offsets,
          autocommit: false,
        });
        closers.push(() => fromTime.close());
        const later = await take(fromTime, 30);
        assert.deepEqual(
          later.map((m) => m.value.i).sort((a, b) => a - b),
          Array.from({ length: 30 }, (_, n) => 30 + n),
        );
        assert.ok(later.every((m) => m.timestamp >= mark));
        await fromTime.close();
        await byTime.close();

        const latest = consumer(kafka, "latest");
        closers.push(() => latest.close(true));
        const tail = await latest.consume({
          topics: ["starts"],
          mode: "latest",
          autocommit: false,
        });
        closers.push(() => tail.close());
        await waitFor(
          () => latest.assignments?.[0]?.partitions.length === 3 && tail.offsetsToFetch.size === 3,
          { what: "the latest consumer's assignment" },
        );
        const next = take(tail, 1);
        await send.send({ messages: events(60, 1, "starts") });
        assert.equal((await next)[0]!.value.i, 60);
        await tail.close();
        await latest.close();
      });

      await step(
        "pause() stops fetching, resume() goes on; members joining and leaving rebalance",
        async () => {
          await createTopic(kafka.bootstrap, "flow", 3);
          for (let batch = 0; batch < 6; batch++) {
            await send.send({ messages: events(batch * 10, 10, "flow") });
          }
          const first = consumer(kafka, "flow", "flow-a");
          closers.push(() => first.close(true));
          const seen: string[] = [];
          first.on("consumer:group:join", (p) => seen.push(`join ${p.generationId}`));
          first.on("consumer:group:rebalance", () => seen.push("rebalance"));
          const a = await first.consume({
            topics: ["flow"],
            mode: "committed",
            fallbackMode: "earliest",
            autocommit: false,
            // Bounds what one fetch brings (the broker still sends at least one batch).
            maxBytes: 1024,
            highWaterMark: 5,
          });
          closers.push(() => a.close());
          let fetches = 0;
          a.on("fetch", () => fetches++);
          const head = await take(a, 5);
          assert.equal(head.length, 5);
          await delay(300);
          const paused = { fetches, buffered: a.readableLength };
          await delay(700);
          assert.equal(fetches, paused.fetches, "no fetch while paused");
          assert.equal(a.readableLength, paused.buffered);
          assert.ok(5 + a.readableLength < 60, `buffered ${a.readableLength}`);
          const rest = await take(a, 55);
          assert.deepEqual(
            [...head, ...rest].map((m) => m.value.i).sort((x, y) => x - y),
            [...Array(60).keys()],
          );

          const second = consumer(kafka, "flow", "flow-b");
          closers.push(() => second.close(true));
          const b = await second.consume({
            topics: ["flow"],
            mode: "committed",
            fallbackMode: "earliest",
            autocommit: false,
          });
          closers.push(() => b.close());
          const owned = (c: Consumer<string, Event, Buffer, Buffer>) =>
            c.assignments?.flatMap((x) => x.partitions) ?? [];
          // Each member applies its SyncGroup answer on its own: wait until both did.
          await waitFor(
            () =>
              owned(first).length > 0 && owned(second).length > 0 &&
              [...owned(first), ...owned(second)].sort().join() === "0,1,2",
            { timeoutMs: 20_000, what: "both members to own partitions, none twice" },
          );
          assert.ok(seen.includes("rebalance"), seen.join(", "));
          await b.close();
          await second.close();
          await waitFor(() => owned(first).length === 3, {
            timeoutMs: 20_000,
            what: "the remaining member to own every partition",
          });
          // Each rebalance shows as 'consumer:group:rebalance' then a 'consumer:group:join' of a
          // newer generation carrying the new assignment.
          const generations = seen.filter((s) => s.startsWith("join")).map((s) =>
            Number(s.slice(5))
          );
          assert.ok(generations.length >= 3, seen.join(", "));
          assert.deepEqual(generations, [...generations].sort((x, y) => x - y), seen.join(", "));
          assert.ok(seen.filter((s) => s === "rebalance").length >= 2, seen.join(", "));
          await a.close();
          await first.close();
        },
      );

      await step("a broker started again on the same port serves new clients", async () => {
        const port = kafka.port;
        await kafka.stop();
        kafka = await startKafkaServer({ port });
        assert.equal(kafka.bootstrap, `127.0.0.1:${port}`);
        const fresh = new Admin({
          clientId: "kafka-test-again",
          bootstrapBrokers: [kafka.bootstrap],
        });
        try {
          await fresh.createTopics({ topics: ["again"], partitions: 1, replicas: 1 });
          assert.deepEqual(await fresh.listTopics(), ["again"], "a fresh log directory");
        } finally {
          await fresh.close();
        }
      });
    } finally {
      await closeAll();
      await send.close().catch(() => {});
      await admin.close().catch(() => {});
      await kafka.stop();
      await kafka.stop();
    }
  },
});
