/**
 * A real Apache Kafka broker (KRaft: one node that is both broker and controller, no
 * ZooKeeper) on free ports, its data in a temporary directory removed on stop, for tests of
 * Kafka sources and sinks. The jars come from scripts/_kafka.ts (Maven Central, cached).
 *
 * @module
 */

import { Admin } from "@platformatic/kafka";
import { ensureKafka, findJava } from "../scripts/_kafka.ts";
import { freePort } from "../scripts/_ports.ts";
import { tcpOpen, waitFor } from "../scripts/_wait.ts";

/** A running Kafka broker; `await using` stops it. */
export interface KafkaServer extends AsyncDisposable {
  /** "127.0.0.1:<port>", for `bootstrapBrokers`. */
  readonly bootstrap: string;
  readonly port: number;
  /** The broker's log (log4j, stdout and stderr); removed on stop. */
  readonly logFile: string;
  /** The last `lines` lines of the broker's log. */
  logTail(lines?: number): Promise<string>;
  /** Kills the broker, waits for it to exit, removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Options of startKafkaServer(). */
export interface KafkaServerOptions {
  /** Listen on this port (a broker started again where clients reconnect). @default a free one */
  port?: number;
  /** Give up waiting for the broker to serve metadata after this long. @default 60000 */
  timeoutMs?: number;
}

/** A KRaft cluster id: 16 random bytes in unpadded base64url, as `kafka-storage random-uuid`. */
function clusterId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

function serverProperties(port: number, controllerPort: number, dataDir: string): string {
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    `log.dirs=${dataDir}`,
    "num.partitions=1",
    "auto.create.topics.enable=true",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "transaction.state.log.num.partitions=1",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    // The new consumer group protocol (KIP-848, groupProtocol "consumer") heartbeats every 5 s
    // by default, and at least that: rebalances would take seconds.
    "group.consumer.min.heartbeat.interval.ms=500",
    "group.consumer.heartbeat.interval.ms=500",
    "group.consumer.min.session.timeout.ms=6000",
    "group.consumer.session.timeout.ms=10000",
    "",
  ].join("\n");
}

const LOG4J = `status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
`;

async function tail(path: string, lines = 40): Promise<string> {
  const text = await Deno.readTextFile(path).catch(() => "");
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** True when the broker answers a metadata request that lists itself. */
async function servesMetadata(bootstrap: string): Promise<boolean> {
  const admin = new Admin({
    clientId: "polaroid-kafka-probe",
    bootstrapBrokers: [bootstrap],
    retries: 0,
    connectTimeout: 2_000,
    requestTimeout: 2_000,
  });
  try {
    const metadata = await admin.metadata({ topics: [] });
    return metadata.brokers.size > 0;
  } finally {
    await admin.close().catch(() => {});
  }
}

/**
 * Waits until every partition of `topic` answers a ListOffsets on its leader. Right after
 * CreateTopics (or a topic's auto-creation) the broker answers NOT_LEADER_OR_FOLLOWER for some
 * partitions for up to a second, and @platformatic/kafka's non-idempotent Producer then sends
 * its whole request again, duplicating the partitions that had succeeded: wait first.
 */
export async function waitForPartitions(
  bootstrap: string,
  topic: string,
  partitions: number,
  timeoutMs = 30_000,
): Promise<void> {
  const admin = new Admin({
    clientId: "polaroid-kafka-topic-probe",
    bootstrapBrokers: [bootstrap],
    retries: 0,
    connectTimeout: 2_000,
    requestTimeout: 2_000,
  });
  try {
    await waitFor(async () => {
      const [listed] = await admin.listOffsets({
        topics: [{
          name: topic,
          partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({
            partitionIndex,
            timestamp: -1n,
          })),
        }],
      });
      return listed?.partitions.length === partitions;
    }, {
      timeoutMs,
      intervalMs: 50,
      what: `the ${partitions} partitions of ${topic} on ${bootstrap}`,
    });
  } finally {
    await admin.close().catch(() => {});
  }
}

/** Creates `topic` with `partitions` partitions (replication 1) and waits for their leaders. */
export async function createTopic(
  bootstrap: string,
  topic: string,
  partitions = 1,
): Promise<void> {
  const admin = new Admin({ clientId: "polaroid-kafka-topics", bootstrapBrokers: [bootstrap] });
  try {
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  } finally {
    await admin.close().catch(() => {});
  }
  await waitForPartitions(bootstrap, topic, partitions);
}

/**
 * Formats a fresh KRaft log directory and starts `kafka.Kafka` on `port` (a free one by default;
 * the controller listens on another free port), then waits until the broker accepts TCP
 * connections and serves metadata. On failure the broker is stopped and the Error carries its
 * log's tail.
 */
export async function startKafkaServer(options: KafkaServerOptions = {}): Promise<KafkaServer> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const jars = await ensureKafka();
  const java = await findJava();
  const port = options.port ?? freePort();
  let controllerPort = freePort();
  while (controllerPort === port) controllerPort = freePort();
  const dir = await Deno.makeTempDir({ prefix: "polaroid-kafka-" });
  const properties = `${dir}/server.properties`;
  const logFile = `${dir}/kafka.log`;
  await Deno.writeTextFile(properties, serverProperties(port, controllerPort, `${dir}/data`));
  await Deno.writeTextFile(`${dir}/log4j2.properties`, LOG4J);
  const jvm = [
    "-Xms256m",
    "-Xmx512m",
    "-XX:+UseG1GC",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${dir}/log4j2.properties`,
    "-cp",
    `${jars}/*`,
  ];

  const format = await new Deno.Command(java, {
    // "--cluster-id=<id>": an id may start with "-", which the parser would take for an option.
    args: [
      ...jvm,
      "kafka.tools.StorageTool",
      "format",
      `--cluster-id=${clusterId()}`,
      "-c",
      properties,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  if (!format.success) {
    const decoder = new TextDecoder();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw new Error(
      `Cannot format the Kafka log directory (exit ${format.code}):\n` +
        `${decoder.decode(format.stdout)}${decoder.decode(format.stderr)}`.trim(),
    );
  }

  // `exec` so that the child is java itself: killing it kills the broker.
  const child = new Deno.Command("sh", {
    args: ["-c", 'exec "$@" >"$KAFKA_LOG" 2>&1', "sh", java, ...jvm, "kafka.Kafka", properties],
    env: { KAFKA_LOG: logFile },
    cwd: dir,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const exited = new AbortController();
  child.status.then((status) =>
    exited.abort(new Error(`the Kafka broker exited early (code ${status.code})`))
  );
  let stopping: Promise<void> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
      await child.status;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    })();
  const bootstrap = `127.0.0.1:${port}`;
  try {
    await waitFor(async () => await tcpOpen("127.0.0.1", port) && await servesMetadata(bootstrap), {
      timeoutMs,
      intervalMs: 100,
      signal: exited.signal,
      what: `the Kafka broker on ${bootstrap} to serve metadata`,
    });
  } catch (error) {
    const log = await tail(logFile);
    await stop();
    throw new Error(`Cannot start the Kafka broker: ${(error as Error).message}\n${log}`, {
      cause: error,
    });
  }
  return {
    bootstrap,
    port,
    logFile,
    logTail: (lines?: number) => tail(logFile, lines),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
