/**
 * `deno task bench:ingest`: each source kind into a durable live table (an ingest service
 * process with a state directory) against a raw client reading the same source without
 * Polaroid (bench/ingest_raw.ts, its own process), side by side in one run, with each
 * process's peak RSS; then the message-to-queryable latency of a WebSocket feed at a steady
 * rate (a record's send time to the moment a follower sees it committed).
 *
 * Options: --records N (default 500000), --latency-seconds N (default 5).
 * Writes bench/results/ingest-<stamp>.json and prints a markdown table.
 *
 * @module
 */

import { jetstream } from "@nats-io/jetstream";
import { connect as connectNats } from "@nats-io/transport-node";
import { Redis } from "ioredis";
import { connectIngest, type IngestClient, type SourceInfo } from "../sdk/mod.ts";
import { startNatsServer } from "../tests/_nats_server.ts";
import { startRedisServer } from "../tests/_redis_server.ts";
import { createTopic, startKafkaServer } from "../tests/_kafka_server.ts";
import { Producer, stringSerializer } from "@platformatic/kafka";
import { startServiceProcess } from "../tests/_service_process.ts";
import { startTickFeed } from "../examples/ws_feed.ts";
import { intOption } from "./args.ts";
import { peakRssBytes } from "./ingest_raw.ts";

const RECORDS = intOption(Deno.args, "records", 500_000);
const LATENCY_SECONDS = intOption(Deno.args, "latency-seconds", 5);

interface Run {
  source: string;
  records: number;
  polaroidSeconds: number;
  rawSeconds: number;
  polaroidPerSecond: number;
  rawPerSecond: number;
  /** Polaroid's rate over the raw client's. */
  ratio: number;
  polaroidPeakRssMiB: number;
  rawPeakRssMiB: number;
}

async function raw(args: string[]): Promise<{ seconds: number; peakRssBytes: number }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./ingest_raw.ts", import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr: "inherit",
    signal: AbortSignal.timeout(600_000),
  }).output();
  if (!out.success) throw new Error(`raw client ${args[0]} failed`);
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
}

/** Adds a source and waits until its table holds `records` rows; seconds from the add. */
async function polaroid(
  ingest: IngestClient,
  add: () => Promise<SourceInfo>,
  name: string,
  records: number,
): Promise<number> {
  const started = performance.now();
  await add();
  const deadline = Date.now() + 600_000;
  for (;;) {
    const info = (await ingest.listSources()).find((s) => s.spec?.name === name);
    if (info && info.committedRows >= BigInt(records)) break;
    if (info?.state === "failed" || Date.now() > deadline) {
      throw new Error(`source ${name}: ${info?.state} ${info?.committedRows} ${info?.lastError}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await ingest.removeSource(name);
  return seconds;
}

function row(
  source: string,
  records: number,
  ours: number,
  theirs: { seconds: number; peakRssBytes: number },
  ourRss: number,
): Run {
  const mib = (b: number) => Math.round(b / 1024 / 1024);
  return {
    source,
    records,
    polaroidSeconds: ours,
    rawSeconds: theirs.seconds,
    polaroidPerSecond: Math.round(records / ours),
    rawPerSecond: Math.round(records / theirs.seconds),
    ratio: Math.round((theirs.seconds / ours) * 1000) / 1000,
    polaroidPeakRssMiB: mib(ourRss),
    rawPeakRssMiB: mib(theirs.peakRssBytes),
  };
}

/** Starts bench/ws_blast.ts; its port. */
async function blast(records: number, perMessage: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./ws_blast.ts", import.meta.url).pathname,
      String(records),
      String(perMessage),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  return { port: Number(value!.trim()), stop: () => child.kill("SIGKILL") };
}

async function main(): Promise<void> {
  const runs: Run[] = [];
  const stateDir = await Deno.makeTempDir({ prefix: "polaroid-bench-ingest-" });
  await using nats = await startNatsServer({ jetStream: true });
  await using redisServer = await startRedisServer();
  const env = {
    POLAROID_NATS_URL: nats.url,
    POLAROID_STATE_DIR: stateDir,
    POLAROID_INGEST_ALLOW_HOSTS: "127.0.0.1",
    POLAROID_LOG_LEVEL: "warn",
  };
  const service = await startServiceProcess("ingest", env);
  await using ingest = await connectIngest({ endpoint: service.endpoint });
  try {
    // WebSocket: a record per message, and 100 per message (`data[*]`).
    for (const perMessage of [1, 100]) {
      const feed = await blast(RECORDS, perMessage);
      try {
        const url = `ws://127.0.0.1:${feed.port}`;
        const theirs = await raw(["ws", url, String(RECORDS), String(perMessage)]);
        const name = `ws${perMessage}`;
        const ours = await polaroid(
          ingest,
          () =>
            ingest.addWebSocketSource({
              name,
              url,
              ...(perMessage > 1 ? { records: "data[*]" } : {}),
            }),
          name,
          RECORDS,
        );
        runs.push(
          row(`WebSocket, ${perMessage}/message`, RECORDS, ours, theirs, peakRssBytes(service.pid)),
        );
      } finally {
        feed.stop();
      }
      console.error(JSON.stringify(runs.at(-1)));
    }
    // Redis Streams: the stream filled first, read by both (each its own group).
    const redis = new Redis(redisServer.url);
    for (let i = 0; i < RECORDS; i += 10_000) {
      const batch = redis.pipeline();
      for (let j = i; j < Math.min(RECORDS, i + 10_000); j++) {
        batch.xadd("ticks", "*", "data", `{"sym":"AAPL","px":${100 + (j % 97) / 10},"seq":${j}}`);
      }
      await batch.exec();
    }
    redis.disconnect();
    {
      const theirs = await raw(["redis", redisServer.url, "ticks", "raw", String(RECORDS)]);
      const ours = await polaroid(
        ingest,
        () =>
          ingest.addRedisSource({
            name: "redis",
            url: redisServer.url,
            stream: "ticks",
            group: "polaroid",
            field: "data",
          }),
        "redis",
        RECORDS,
      );
      runs.push(row("Redis Streams", RECORDS, ours, theirs, peakRssBytes(service.pid)));
      console.error(JSON.stringify(runs.at(-1)));
    }
    // JetStream: published first (the stream made by a first source), read by both.
    {
      await ingest.addJetStreamSource({ name: "warm", subject: "bench.warm" });
      await ingest.removeSource("warm");
      const nc = await connectNats({ servers: nats.url });
      const js = jetstream(nc);
      for (let i = 0; i < RECORDS; i += 5000) {
        const acks = [];
        for (let j = i; j < Math.min(RECORDS, i + 5000); j++) {
          acks.push(js.publish("polaroid.durable.default.ticks", `{"sym":"AAPL","seq":${j}}`));
        }
        await Promise.all(acks);
      }
      await nc.close();
      const theirs = await raw([
        "jetstream",
        nats.url,
        "polaroid.durable.default.ticks",
        String(RECORDS),
      ]);
      const ours = await polaroid(
        ingest,
        () => ingest.addJetStreamSource({ name: "js", subject: "ticks" }),
        "js",
        RECORDS,
      );
      runs.push(row("JetStream", RECORDS, ours, theirs, peakRssBytes(service.pid)));
      console.error(JSON.stringify(runs.at(-1)));
    }
    // Kafka: a topic of 3 partitions filled first (an idempotent producer), read by both.
    {
      await using kafka = await startKafkaServer();
      await createTopic(kafka.bootstrap, "ticks", 3);
      const producer = new Producer({
        clientId: "bench-producer",
        bootstrapBrokers: [kafka.bootstrap],
        idempotent: true,
        serializers: { key: stringSerializer, value: stringSerializer },
      });
      for (let i = 0; i < RECORDS; i += 5000) {
        await producer.send({
          messages: Array.from({ length: Math.min(5000, RECORDS - i) }, (_, n) => ({
            topic: "ticks",
            key: String((i + n) % 16),
            value: `{"sym":"AAPL","px":${100 + ((i + n) % 97) / 10},"seq":${i + n}}`,
          })),
        });
      }
      await producer.close();
      const theirs = await raw(["kafka", kafka.bootstrap, "ticks", "raw", String(RECORDS)]);
      const ours = await polaroid(
        ingest,
        () => ingest.addKafkaSource({ name: "kafka", brokers: [kafka.bootstrap], topic: "ticks" }),
        "kafka",
        RECORDS,
      );
      runs.push(row("Kafka (3 partitions)", RECORDS, ours, theirs, peakRssBytes(service.pid)));
      console.error(JSON.stringify(runs.at(-1)));
    }
    // Latency: a steady feed; each record's send time to when a follower sees it committed.
    const latency = await measureLatency(ingest);
    const result = { at: new Date().toISOString(), records: RECORDS, runs, latency };
    await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
    const stamp = result.at.replace(/[:.]/g, "-");
    await Deno.writeTextFile(
      new URL(`./results/ingest-${stamp}.json`, import.meta.url),
      JSON.stringify(result, null, 2),
    );
    console.log(table(runs, latency));
  } finally {
    await service.stop();
    await Deno.remove(stateDir, { recursive: true }).catch(() => {});
  }
}

interface Latency {
  ratePerSecond: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

async function measureLatency(ingest: IngestClient): Promise<Latency> {
  const rate = 10_000;
  await using feed = await startTickFeed({ ratePerSecond: rate });
  await ingest.addWebSocketSource({
    name: "latency",
    url: feed.url,
    subscribe: [JSON.stringify({ op: "subscribe", symbols: ["*"] })],
    records: "data[*]",
  });
  const delays: number[] = [];
  const stop = AbortSignal.timeout(LATENCY_SECONDS * 1000);
  for await (const batch of ingest.follow("latency", { fromEnd: true, signal: stop })) {
    const now = Date.now();
    const ts = batch.table.getChild("ts")!;
    for (let i = 0; i < batch.rows; i++) delays.push(now - Number(ts.get(i)));
  }
  await ingest.removeSource("latency");
  delays.sort((a, b) => a - b);
  const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
  return {
    ratePerSecond: rate,
    samples: delays.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: delays.at(-1)!,
  };
}

function table(runs: Run[], latency: Latency): string {
  const lines = [
    "| source | records | Polaroid rec/s | raw client rec/s | ratio | Polaroid peak RSS | raw peak RSS |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...runs.map((r) =>
      `| ${r.source} | ${r.records.toLocaleString("en-US")} | ${
        r.polaroidPerSecond.toLocaleString("en-US")
      } | ${r.rawPerSecond.toLocaleString("en-US")} | ${
        r.ratio.toFixed(2)
      } | ${r.polaroidPeakRssMiB} MiB | ${r.rawPeakRssMiB} MiB |`
    ),
    "",
    `Message to queryable (WebSocket, ${
      latency.ratePerSecond.toLocaleString("en-US")
    } ticks/s, ${latency.samples} samples): p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms, max ${latency.maxMs} ms`,
  ];
  return lines.join("\n");
}

if (import.meta.main) await main();
