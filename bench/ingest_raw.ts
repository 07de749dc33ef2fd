/**
 * The raw clients of `deno task bench:ingest`, one process per run: each reads the same source
 * as Polaroid's ingest service would (JSON-parsing every record, acknowledging as it goes)
 * without Polaroid, then prints one JSON line: `{ "records", "seconds", "peakRssBytes" }`.
 *
 *   deno run -A bench/ingest_raw.ts ws <url> <records> <records-per-message>
 *   deno run -A bench/ingest_raw.ts redis <url> <stream> <group> <records>
 *   deno run -A bench/ingest_raw.ts jetstream <nats-url> <subject> <records>
 *   deno run -A bench/ingest_raw.ts kafka <bootstrap> <topic> <group> <records>
 *
 * @module
 */

import { jetstream } from "@nats-io/jetstream";
import { connect as connectNats } from "@nats-io/transport-node";
import { Redis } from "ioredis";
import { Consumer, stringDeserializer } from "@platformatic/kafka";
// @ts-types="npm:@types/ws@8.18.1"
import { WebSocket } from "ws";

/** Peak resident memory of this process (VmHWM). */
export function peakRssBytes(pid: number | "self" = "self"): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

async function ws(url: string, records: number, perMessage: number): Promise<number> {
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.on("message", (data: Buffer) => {
      const message = JSON.parse(data.toString("utf8"));
      seen += perMessage > 1 ? (message.data as unknown[]).length : 1;
      if (seen >= records) {
        socket.terminate();
        resolve();
      }
    });
    socket.on("error", reject);
  });
  return seen;
}

async function redis(url: string, stream: string, group: string, records: number): Promise<number> {
  const client = new Redis(url);
  const acks = new Redis(url);
  await client.xgroup("CREATE", stream, group, "0", "MKSTREAM").catch(() => {});
  let seen = 0;
  while (seen < records) {
    const reply = await client.xreadgroup(
      "GROUP",
      group,
      "raw",
      "COUNT",
      1000,
      "BLOCK",
      1000,
      "STREAMS",
      stream,
      ">",
    ) as [string, [string, string[]][]][] | null;
    const entries = reply?.[0]?.[1] ?? [];
    for (const [, fields] of entries) JSON.parse(fields[1]!);
    seen += entries.length;
    if (entries.length > 0) void acks.xack(stream, group, ...entries.map(([id]) => id));
  }
  client.disconnect();
  acks.disconnect();
  return seen;
}

async function js(url: string, subject: string, records: number): Promise<number> {
  const nc = await connectNats({ servers: url });
  const consumer = await jetstream(nc).consumers.get("POLAROID_INGEST", {
    filter_subjects: subject,
  });
  let seen = 0;
  while (seen < records) {
    const messages = await consumer.fetch({ max_messages: 1000, expires: 1000 });
    for await (const m of messages) {
      JSON.parse(new TextDecoder().decode(m.data));
      seen++;
    }
  }
  await nc.close();
  return seen;
}

async function kafka(bootstrap: string, topic: string, group: string, records: number) {
  const consumer = new Consumer({
    clientId: "bench-raw",
    groupId: group,
    bootstrapBrokers: [bootstrap],
    deserializers: { value: stringDeserializer },
    maxWaitTime: 200,
  });
  const stream = await consumer.consume({
    topics: [topic],
    mode: "earliest",
    autocommit: false,
    maxBytes: 4 * 1024 * 1024,
  });
  let seen = 0;
  for await (const message of stream) {
    JSON.parse(message.value as string);
    if (++seen % 10_000 === 0 || seen >= records) {
      await message.commit();
      if (seen >= records) break;
    }
  }
  await consumer.close(true);
  return seen;
}

if (import.meta.main) {
  const [kind, ...args] = Deno.args;
  const started = performance.now();
  const records = kind === "ws"
    ? await ws(args[0]!, Number(args[1]), Number(args[2]))
    : kind === "redis"
    ? await redis(args[0]!, args[1]!, args[2]!, Number(args[3]))
    : kind === "jetstream"
    ? await js(args[0]!, args[1]!, Number(args[2]))
    : kind === "kafka"
    ? await kafka(args[0]!, args[1]!, args[2]!, Number(args[3]))
    : NaN;
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ records, seconds, peakRssBytes: peakRssBytes() }));
  Deno.exit(0);
}
