/**
 * A source that reads a Kafka topic (@platformatic/kafka), each record's value a JSON object,
 * as the one member of its consumer group.
 *
 * Exactly once: each segment is committed with, per partition, the offset after the last
 * record it holds (`kafka:<topic>:<partition>`); the group's offsets are committed to Kafka
 * only after that. A source that starts (after a crash too) reads each partition from its
 * table's offset, else from the group's committed offset, else from `start` (earliest,
 * latest, or the first record at a timestamp); a record below the table's offset is skipped.
 * Reading pauses while the batches waiting for their commit are past the bound ("block"),
 * and each fetch is bounded in bytes.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { Consumer, stringDeserializer } from "@platformatic/kafka";
import type { SourceSpec } from "../../../shared/gen/polaroid/v1/ingest.ts";
import { checkOutbound } from "../../../shared/outbound.ts";
import { FailedPreconditionError } from "../../../shared/errors.ts";
import { SourceCore } from "../source_core.ts";
import { backoffMs, pause, within } from "./backoff.ts";
import type { Source } from "../source.ts";
import { hostPort, invalidSpec, type SourceContext, type SourceKind } from "./kind.ts";

const MAX_BROKERS = 16;
/** Bytes one fetch may return (all partitions together). */
const FETCH_MAX_BYTES = 4 * 1024 * 1024;
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

/** Kafka sources. */
export const KAFKA_SOURCE: SourceKind<"kafka"> = {
  resolve(value) {
    if (value.brokers.length === 0 || value.brokers.length > MAX_BROKERS) {
      throw invalidSpec(
        "spec.kafka.brokers",
        `list 1 to ${MAX_BROKERS} brokers`,
        String(value.brokers.length),
      );
    }
    value.brokers.forEach((broker, i) => hostPort(broker, `spec.kafka.brokers[${i}]`));
    if (!TOPIC.test(value.topic)) {
      throw invalidSpec(
        "spec.kafka.topic",
        `match ${TOPIC.source}`,
        JSON.stringify(value.topic.slice(0, 80)),
      );
    }
    if (value.group !== "" && !/^[A-Za-z0-9._-]{1,249}$/.test(value.group)) {
      throw invalidSpec(
        "spec.kafka.group",
        "match [A-Za-z0-9._-]{1,249}",
        JSON.stringify(value.group.slice(0, 80)),
      );
    }
    const start = value.start || "earliest";
    if (start !== "earliest" && start !== "latest" && start !== "timestamp") {
      throw invalidSpec(
        "spec.kafka.start",
        'be "earliest", "latest" or "timestamp"',
        JSON.stringify(start.slice(0, 80)),
      );
    }
    if (
      (start === "timestamp") !== (value.startTimestampMs !== 0n) || value.startTimestampMs < 0n
    ) {
      throw invalidSpec(
        "spec.kafka.start_timestamp_ms",
        'be a positive time with start "timestamp" and 0 otherwise',
        String(value.startTimestampMs),
      );
    }
    return { ...value, start };
  },
  canPause: true,
  create: async (spec, context) => {
    if (spec.kind?.$case === "kafka") {
      for (const broker of spec.kind.value.brokers) {
        await checkOutbound(hostPort(broker, "spec.kafka.brokers"), context.outbound);
      }
    }
    return createKafkaSource(spec, context);
  },
};

type Mark = { partition: number; offset: bigint; leaderEpoch: number };

/** Starts the source's consumer. The spec must be validated, defaulted and of the kind. */
export function createKafkaSource(spec: SourceSpec, context: SourceContext): Source {
  if (spec.kind?.$case !== "kafka") {
    throw new TypeError(
      `Cannot create Kafka source as 'spec.kind' must be kafka: current value is ${spec.kind?.$case}`,
    );
  }
  if (!context.live) {
    throw new FailedPreconditionError(
      "Cannot add a Kafka source as the ingest service has no state store (POLAROID_STATE_DIR or POLAROID_S3_BUCKET): its offsets are committed once durable there",
      { metadata: { field: "spec.kind" } },
    );
  }
  const { brokers, topic, start, startTimestampMs } = spec.kind.value;
  const groupId = spec.kind.value.group || `polaroid-${context.tenant}-${spec.name}`;
  const key = (partition: number) => `kafka:${topic}:${partition}`;
  const writer = context.live.writer;
  /** The next offset to take per partition (the table's, then what was taken). */
  const next = new Map<number, bigint>();
  let consumer: Consumer<Buffer, string, Buffer, Buffer> | undefined;
  const core = new SourceCore(spec, context, {
    offsets: (marks, before) => {
      const out = { ...before };
      for (const mark of marks as Mark[]) {
        const after = mark.offset + 1n;
        if (BigInt(out[key(mark.partition)] ?? "0") < after) {
          out[key(mark.partition)] = String(after);
        }
      }
      return out;
    },
    acknowledge: async (marks) => {
      const last = new Map<number, Mark>();
      for (const mark of marks as Mark[]) last.set(mark.partition, mark);
      if (last.size === 0 || !consumer) return;
      // Best effort: the table, not the group, is where a restarted source resumes.
      await consumer.commit({
        offsets: [...last.values()].map((m) => ({
          topic,
          partition: m.partition,
          offset: m.offset + 1n,
          leaderEpoch: m.leaderEpoch,
        })),
      }).catch(() => {});
    },
  });
  const stop = new AbortController();
  const run = (async () => {
    let failures = 0;
    while (!stop.signal.aborted) {
      let stream:
        | Awaited<ReturnType<Consumer<Buffer, string, Buffer, Buffer>["consume"]>>
        | undefined;
      try {
        consumer = new Consumer({
          clientId: `polaroid-ingest-${context.tenant}-${spec.name}`,
          groupId,
          bootstrapBrokers: [...brokers],
          deserializers: { value: stringDeserializer },
          heartbeatInterval: 1000,
          sessionTimeout: 10_000,
          rebalanceTimeout: 10_000,
          maxWaitTime: 500,
          connectTimeout: 5000,
          requestTimeout: 10_000,
          retries: 0,
        });
        const positions = await startPositions(consumer);
        stream = await consumer.consume({
          topics: [topic],
          mode: "manual",
          offsets: positions.map(([partition, offset]) => ({ topic, partition, offset })),
          autocommit: false,
          maxBytes: FETCH_MAX_BYTES,
          maxBytesPerPartition: FETCH_MAX_BYTES,
        });
        for (const [partition, offset] of positions) next.set(partition, offset);
        core.running();
        failures = 0;
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => resolve();
          stop.signal.addEventListener("abort", onAbort, { once: true });
          stream!.on("error", (error: Error) => {
            stop.signal.removeEventListener("abort", onAbort);
            reject(error);
          });
          stream!.on("close", () => resolve());
          let paused = false;
          stream!.on("data", (message) => {
            const want = next.get(message.partition) ?? 0n;
            // Below the table's position: a record read again, already in the table.
            if (message.offset < want) return;
            next.set(message.partition, message.offset + 1n);
            core.push(
              message.value ?? "",
              {
                partition: message.partition,
                offset: message.offset,
                leaderEpoch: message.leaderEpoch,
              } satisfies Mark,
            );
            if (core.output?.full && spec.overflow === "block" && !paused) {
              paused = true;
              stream!.pause();
              void core.room().then(() => {
                paused = false;
                stream!.resume();
              });
            }
          });
        });
      } catch (error) {
        if (stop.signal.aborted) break;
        failures++;
        const delay = backoffMs(failures, 200);
        core.retrying(
          `Cannot read Kafka topic ${JSON.stringify(topic)}: ${
            error instanceof Error ? error.message : String(error)
          }`,
          Date.now() + delay,
        );
        await pause(delay, stop.signal);
      } finally {
        if (stop.signal.aborted || core.state === "retrying") {
          await stream?.close().catch(() => {});
        }
        if (!stop.signal.aborted) {
          await consumer?.close(true).catch(() => {});
          consumer = undefined;
        }
      }
    }
  })();

  /** Each partition's first offset to read: the table's, the group's, or `start`'s. */
  async function startPositions(
    client: Consumer<Buffer, string, Buffer, Buffer>,
  ): Promise<[number, bigint][]> {
    const ends = (await client.listOffsets({ topics: [topic] })).get(topic) ?? [];
    if (ends.length === 0) throw new Error(`topic ${JSON.stringify(topic)} has no partitions`);
    const partitions = ends.map((_, partition) => partition);
    const committed = (await client.listCommittedOffsets({
      topics: [{ topic, partitions }],
    })).get(topic) ?? [];
    const earliest = (await client.listOffsets({ topics: [topic], timestamp: -2n })).get(topic) ??
      [];
    const fallback = start === "latest"
      ? ends
      : start === "timestamp"
      ? (await client.listOffsets({ topics: [topic], timestamp: startTimestampMs })).get(topic) ??
        []
      : earliest;
    return partitions.map((partition) => {
      const end = ends[partition]!;
      const first = earliest[partition] ?? 0n;
      const table = writer.offsets[key(partition)];
      if (table !== undefined) {
        const at = BigInt(table);
        if (at >= first && at <= end) return [partition, at];
        // The log no longer holds the table's position: records went unread (retention), or
        // the topic was made again. Read from its start, and count the gap.
        core.gap(
          `Kafka topic ${
            JSON.stringify(topic)
          } partition ${partition} holds offsets ${first} to ${end}, not the table's ${at}: reading from ${first}`,
        );
        core.running();
        return [partition, first];
      }
      const group = committed[partition];
      if (group !== undefined && group >= first && group <= end) return [partition, group];
      const at = fallback[partition];
      // A timestamp past every record: the partition's end.
      return [partition, at !== undefined && at >= 0n ? at : end];
    });
  }

  return core.source({
    close: async () => {
      stop.abort();
      await within(run, 10_000);
    },
    // After the last commits' acknowledgements.
    closed: () => {
      void consumer?.close(true).catch(() => {});
    },
  });
}
