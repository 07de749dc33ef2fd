/**
 * The ingest client: adds, lists and removes live sources of the IngestService, and
 * snapshots what a source has buffered into a stored frame. Open a snapshot with
 * `client.handle(id)` of a compute Client.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { type Table, tableFromIPC, tableToIPC } from "apache-arrow";
import { InternalError, UnavailableError } from "../shared/errors.ts";
import {
  type AppendRequest,
  IngestServiceService,
  type SourceInfo,
  type SourceSpec,
} from "../shared/gen/polaroid/v1/ingest.ts";
import type { RpcClient } from "../shared/grpc/client.ts";
import {
  type ChannelOptions,
  checkCount,
  openChannel,
  resolveEndpoint,
} from "./transport/connection.ts";

export type { SourceInfo } from "../shared/gen/polaroid/v1/ingest.ts";

/** The ingest endpoint used when neither the option nor POLAROID_INGEST_ENDPOINT names one. */
export const DEFAULT_INGEST_ENDPOINT = "127.0.0.1:50053";

/** Options of `connectIngest()`. */
export interface IngestConnectOptions extends ChannelOptions {
  /** "host:port" of the ingest service. @default POLAROID_INGEST_ENDPOINT, else "127.0.0.1:50053" */
  endpoint?: string;
}

/** What a live table keeps (each unset: unbounded); its newest segment always stays. */
export interface RetentionOptions {
  maxRows?: number;
  maxBytes?: number;
  maxAgeSeconds?: number;
}

/** The options every kind of source takes. */
export interface SourceOptions {
  /** The source's name: [a-z0-9][a-z0-9_-]{0,63}. */
  name: string;
  /** A micro-batch closes at this many rows. @default the server's */
  maxBatchRows?: number;
  /** ...or this long after its first row. @default the server's */
  maxBatchDelayMs?: number;
  /**
   * Bytes of closed batches waiting for their commit to the live table (without a state
   * store: the memory buffer, whose oldest batches are dropped past it). @default the server's
   */
  maxBufferBytes?: number;
  /** The live table it appends to; scan it with `client.scanLive(table)`. @default `name` */
  table?: string;
  /** What the live table keeps. @default everything */
  retention?: RetentionOptions;
  /**
   * Past `maxBufferBytes`: "block" stops reading the upstream, "drop" drops new messages
   * (counted in `droppedRows`). @default "block" where the protocol can pause, else "drop"
   */
  overflow?: "block" | "drop";
}

/** A source of JSON objects published on a NATS subject. */
export interface NatsSourceOptions extends SourceOptions {
  /**
   * The NATS subject (wildcards allowed), in the tenant's namespace: the source reads
   * `polaroid.ingest.<tenant>.<subject>`, where publishers publish (its `natsSubject`).
   */
  subject: string;
  /** Shares the subject between ingest replicas. @default none */
  queueGroup?: string;
}

/**
 * A source of JSON objects published on a subject kept by JetStream, read through a durable
 * consumer and acknowledged once durable in the live table: exactly once across crashes.
 */
export interface JetStreamSourceOptions extends SourceOptions {
  /**
   * The subject (wildcards allowed) in the tenant's durable namespace: the source reads
   * `polaroid.durable.<tenant>.<subject>` (its `natsSubject`), where publishers publish.
   */
  subject: string;
  /** Where a new consumer starts: everything the stream holds, or new messages. @default "all" */
  deliver?: "all" | "new";
}

/**
 * A source of the entries of a Redis stream, read through a consumer group and acknowledged
 * (XACK) once durable in the live table: exactly once across crashes.
 */
export interface RedisSourceOptions extends SourceOptions {
  /** `redis://host[:port][/db]` or `rediss://` (TLS); no credentials in it. */
  url: string;
  /** The stream's key. */
  stream: string;
  /** The consumer group, made when missing. @default "polaroid" */
  group?: string;
  /** Where a new group starts. @default "earliest" */
  start?: "earliest" | "latest";
  /** The field holding a JSON object; unset: the entry's fields become string columns. */
  field?: string;
}

/**
 * A source of a WebSocket feed: reconnected with backoff and resubscribed when it drops or
 * goes stale; what the feed sends meanwhile is lost (counted in `reconnectGaps`).
 */
export interface WebSocketSourceOptions extends SourceOptions {
  /** `ws://` or `wss://`; no credentials in it. */
  url: string;
  /** Text messages sent after each connection (subscriptions). @default none */
  subscribe?: readonly string[];
  /** @default "json" */
  format?: "json" | "msgpack";
  /** Where the records are in a message, e.g. `data[*]`. @default the message is one */
  records?: string;
  /** No message for this long: the connection is made again. @default 30000 */
  staleAfterMs?: number;
  /** @default 10000 */
  pingIntervalMs?: number;
}

/**
 * A source of a Kafka topic's records (each value a JSON object), read as the one member of a
 * consumer group whose offsets are committed once durable in the live table: exactly once
 * across crashes.
 */
export interface KafkaSourceOptions extends SourceOptions {
  /** Bootstrap brokers, "host:port" each. */
  brokers: readonly string[];
  topic: string;
  /** @default "polaroid-<tenant>-<source>" */
  group?: string;
  /**
   * Where a new table starts in a partition the group has no offset for: "earliest",
   * "latest", or a time (ms since the epoch, or a Date): the first record at or after it.
   * @default "earliest"
   */
  start?: "earliest" | "latest" | number | Date;
}

/** A source of a paginated JSON API over HTTP, loaded once or polled. */
export interface RestSourceOptions extends SourceOptions {
  /** `http://` or `https://`; no credentials in it (name one in `credential`). */
  url: string;
  /** @default "none" */
  pagination?: "none" | "offset" | "page" | "cursor" | "link";
  /** Where the records are in a body, e.g. `data[*]`. @default the body is one record */
  records?: string;
  /** Records per page, sent as the limit. @default 100 */
  pageSize?: number;
  /** Query parameter names. @default "offset", "limit", "page", "cursor" */
  offsetParam?: string;
  limitParam?: string;
  pageParam?: string;
  cursorParam?: string;
  /** Where the next cursor is in a body (cursor pagination), e.g. `meta.next`. */
  cursorPath?: string;
  /** Pages per pass at most. @default until the last */
  maxPages?: number;
  /** @default 10 */
  requestsPerSecond?: number;
  /** Pages loaded at once (offset and page pagination). @default 1 */
  concurrency?: number;
  /** Read again this often. @default load once */
  pollIntervalMs?: number;
  /** Polling: the field whose greatest committed value is sent as `watermarkParam`. */
  watermarkField?: string;
  watermarkParam?: string;
  /** A credential of the tenant in the service's POLAROID_INGEST_CREDENTIALS_FILE. */
  credential?: string;
  /** Column types overriding the inferred ones. */
  schema?: Record<string, "Int64" | "Float64" | "String" | "Boolean" | "Datetime">;
}

/**
 * A source of a server-streaming gRPC method of another service, described by its .proto
 * text: each response message is a row. Reconnected with backoff, round the targets.
 */
export interface GrpcSourceOptions extends SourceOptions {
  /** "host:port" each. */
  targets: readonly string[];
  /** The .proto file's text (no imports). */
  proto: string;
  /** "package.Service/Method", server-streaming. */
  method: string;
  /** The request message. @default an empty message */
  request?: Record<string, unknown>;
  /** Call over TLS. @default false (true when the credential has TLS material) */
  tls?: boolean;
  /** A credential of the tenant in the service's POLAROID_INGEST_CREDENTIALS_FILE. */
  credential?: string;
}

/** Options of `follow()`. */
export interface FollowOptions {
  /** The row number (since the table began) to start at. @default 0: the whole table */
  fromRow?: number;
  /** Start at the table's end: only rows committed from now on. @default false */
  fromEnd?: boolean;
  /** Rows per batch at most. @default the server's (65536) */
  maxBatchRows?: number;
  /** Ends the follow (the iteration then ends without an error). */
  signal?: AbortSignal;
}

/** A batch of a followed live table. */
export interface FollowedBatch {
  table: Table;
  rows: number;
  /** The number of its first row since the table began. */
  firstRow: number;
  /** Where it resumes after this batch (`follow(table, { fromRow: nextRow })`). */
  nextRow: number;
  /** Rows before it that retention removed unsent. */
  skippedRows: number;
}

/** Options of `append()`. */
export interface AppendOptions {
  /**
   * An idempotent producer: its name and this call's sequence number (increasing, from 1).
   * A call whose sequence the table committed before appends nothing (`duplicate`), so a
   * producer may retry a call whose answer it lost. @default none
   */
  producer?: { id: string; sequence: number | bigint };
}

/** What `append()` did. */
export interface AppendResult {
  rows: number;
  /** The row number of the first row appended, and the table's end after it. */
  firstRow: number;
  nextRow: number;
  /** The producer's sequence was committed before: nothing was appended. */
  duplicate: boolean;
}

/** Rows sent per Append message at most (the call commits them together). */
const APPEND_CHUNK_ROWS = 65_536;

/** Options of `snapshot()`. */
export interface SnapshotOptions {
  /** Idle time to live of the stored frame. @default the server's */
  ttlSeconds?: number;
}

/** A connection to the ingest service. */
export interface IngestClient extends AsyncDisposable {
  readonly endpoint: string;
  /**
   * Starts a NATS source; resolves with its state, whose `natsSubject` is the subject to
   * publish to.
   */
  addNatsSource(options: NatsSourceOptions): Promise<SourceInfo>;
  /**
   * Starts a JetStream source (the ingest service needs a state store); resolves with its
   * state, whose `natsSubject` is the subject to publish to.
   */
  addJetStreamSource(options: JetStreamSourceOptions): Promise<SourceInfo>;
  /** Starts a WebSocket source. */
  addWebSocketSource(options: WebSocketSourceOptions): Promise<SourceInfo>;
  /** Starts a gRPC stream source. */
  addGrpcSource(options: GrpcSourceOptions): Promise<SourceInfo>;
  /** Starts a REST source: a paginated history, or a polled API. */
  addRestSource(options: RestSourceOptions): Promise<SourceInfo>;
  /** Starts a Kafka source (the ingest service needs a state store). */
  addKafkaSource(options: KafkaSourceOptions): Promise<SourceInfo>;
  /** Starts a Redis Streams source (the ingest service needs a state store). */
  addRedisSource(options: RedisSourceOptions): Promise<SourceInfo>;
  listSources(): Promise<SourceInfo[]>;
  /**
   * Appends rows to a live table that no source writes: an apache-arrow Table, or plain
   * objects (sent as JSON; bigints stay exact). They are committed together, durably, before
   * this resolves; a call that fails commits nothing.
   */
  append(
    table: string,
    rows: Table | readonly Record<string, unknown>[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /**
   * A live table's rows from a position on, then its new rows as they are committed, as
   * Arrow batches, until `signal` aborts. A broken connection is made again (with backoff)
   * and the follow resumes after the last batch delivered: no row twice, none missed.
   */
  follow(table: string, options?: FollowOptions): AsyncIterable<FollowedBatch>;
  removeSource(name: string): Promise<void>;
  /**
   * Copies what the source has buffered into a stored frame and returns its handle id. Open
   * it with `client.handle(id)` on a compute Client; release it when done.
   */
  snapshot(name: string, options?: SnapshotOptions): Promise<string>;
  /** Closes the connection; closing twice is harmless. */
  close(): Promise<void>;
}

class IngestClientImpl implements IngestClient {
  readonly endpoint: string;
  readonly #rpc: RpcClient<typeof IngestServiceService>;
  #closed = false;

  constructor(endpoint: string, rpc: RpcClient<typeof IngestServiceService>) {
    this.endpoint = endpoint;
    this.#rpc = rpc;
  }

  async addNatsSource(options: NatsSourceOptions): Promise<SourceInfo> {
    const { subject, queueGroup = "" } = options;
    if (typeof subject !== "string" || subject === "") {
      throw new TypeError(
        `Cannot add source as 'subject' must be a non-empty string: current value is ${
          JSON.stringify(subject)
        }`,
      );
    }
    const spec = sourceSpec(options, { $case: "nats", value: { subject, queueGroup } });
    return await this.#rpc.unary("addSource", { spec });
  }

  async addJetStreamSource(options: JetStreamSourceOptions): Promise<SourceInfo> {
    const { subject, deliver = "all" } = options;
    if (typeof subject !== "string" || subject === "") {
      throw new TypeError(
        `Cannot add source as 'subject' must be a non-empty string: current value is ${
          JSON.stringify(subject)
        }`,
      );
    }
    if (deliver !== "all" && deliver !== "new") {
      throw new TypeError(
        `Cannot add source as 'deliver' must be "all" or "new": current value is ${
          JSON.stringify(deliver)
        }`,
      );
    }
    const spec = sourceSpec(options, { $case: "jetstream", value: { subject, deliver } });
    return await this.#rpc.unary("addSource", { spec });
  }

  async addWebSocketSource(options: WebSocketSourceOptions): Promise<SourceInfo> {
    const { url, subscribe = [], format = "json", records = "", staleAfterMs, pingIntervalMs } =
      options;
    if (typeof url !== "string" || url === "") {
      throw new TypeError(
        `Cannot add source as 'url' must be a non-empty string: current value is ${
          JSON.stringify(url)
        }`,
      );
    }
    if (!Array.isArray(subscribe) || subscribe.some((m) => typeof m !== "string")) {
      throw new TypeError("Cannot add source as 'subscribe' must be an array of strings");
    }
    if (format !== "json" && format !== "msgpack") {
      throw new TypeError(
        `Cannot add source as 'format' must be "json" or "msgpack": current value is ${
          JSON.stringify(format)
        }`,
      );
    }
    checkCount("add source", "staleAfterMs", staleAfterMs, 2 ** 32 - 1);
    checkCount("add source", "pingIntervalMs", pingIntervalMs, 2 ** 32 - 1);
    const spec = sourceSpec(options, {
      $case: "websocket",
      value: {
        url,
        subscribe: [...subscribe],
        format,
        records,
        staleAfterMs: staleAfterMs ?? 0,
        pingIntervalMs: pingIntervalMs ?? 0,
      },
    });
    return await this.#rpc.unary("addSource", { spec });
  }

  async addGrpcSource(options: GrpcSourceOptions): Promise<SourceInfo> {
    const { targets, proto, method, request, tls = false, credential = "" } = options;
    if (
      !Array.isArray(targets) || targets.length === 0 || targets.some((t) => typeof t !== "string")
    ) {
      throw new TypeError(
        "Cannot add source as 'targets' must be a non-empty array of \"host:port\"",
      );
    }
    for (const [key, value] of Object.entries({ proto, method })) {
      if (typeof value !== "string" || value === "") {
        throw new TypeError(`Cannot add source as '${key}' must be a non-empty string`);
      }
    }
    const spec = sourceSpec(options, {
      $case: "grpc",
      value: {
        targets: [...targets],
        proto,
        method,
        requestJson: request === undefined ? "" : JSON.stringify(request),
        tls,
        credential,
      },
    });
    return await this.#rpc.unary("addSource", { spec });
  }

  async addRestSource(options: RestSourceOptions): Promise<SourceInfo> {
    if (typeof options.url !== "string" || options.url === "") {
      throw new TypeError(
        `Cannot add source as 'url' must be a non-empty string: current value is ${
          JSON.stringify(options.url)
        }`,
      );
    }
    for (const key of ["pageSize", "maxPages", "concurrency", "pollIntervalMs"] as const) {
      checkCount("add source", key, options[key], 2 ** 32 - 1);
    }
    const rate = options.requestsPerSecond;
    if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) {
      throw new RangeError(
        `Cannot add source as 'requestsPerSecond' must be positive: current value is ${rate}`,
      );
    }
    const spec = sourceSpec(options, {
      $case: "rest",
      value: {
        url: options.url,
        pagination: options.pagination ?? "",
        records: options.records ?? "",
        pageSize: options.pageSize ?? 0,
        offsetParam: options.offsetParam ?? "",
        limitParam: options.limitParam ?? "",
        pageParam: options.pageParam ?? "",
        cursorParam: options.cursorParam ?? "",
        cursorPath: options.cursorPath ?? "",
        maxPages: options.maxPages ?? 0,
        requestsPerSecond: rate ?? 0,
        concurrency: options.concurrency ?? 0,
        pollIntervalMs: options.pollIntervalMs ?? 0,
        watermarkField: options.watermarkField ?? "",
        watermarkParam: options.watermarkParam ?? "",
        credential: options.credential ?? "",
        schema: { ...(options.schema ?? {}) },
      },
    });
    return await this.#rpc.unary("addSource", { spec });
  }

  async addKafkaSource(options: KafkaSourceOptions): Promise<SourceInfo> {
    const { brokers, topic, group = "", start = "earliest" } = options;
    if (
      !Array.isArray(brokers) || brokers.length === 0 || brokers.some((b) => typeof b !== "string")
    ) {
      throw new TypeError(
        "Cannot add source as 'brokers' must be a non-empty array of \"host:port\"",
      );
    }
    if (typeof topic !== "string" || topic === "") {
      throw new TypeError(
        `Cannot add source as 'topic' must be a non-empty string: current value is ${
          JSON.stringify(topic)
        }`,
      );
    }
    const at = start instanceof Date ? start.getTime() : start;
    if (typeof at === "number" && !(Number.isSafeInteger(at) && at > 0)) {
      throw new RangeError(
        `Cannot add source as 'start' must be a positive time in ms: current value is ${at}`,
      );
    }
    if (typeof at === "string" && at !== "earliest" && at !== "latest") {
      throw new TypeError(
        `Cannot add source as 'start' must be "earliest", "latest" or a time: current value is ${
          JSON.stringify(at)
        }`,
      );
    }
    const spec = sourceSpec(options, {
      $case: "kafka",
      value: {
        brokers: [...brokers],
        topic,
        group,
        start: typeof at === "number" ? "timestamp" : at,
        startTimestampMs: typeof at === "number" ? BigInt(at) : 0n,
      },
    });
    return await this.#rpc.unary("addSource", { spec });
  }

  async addRedisSource(options: RedisSourceOptions): Promise<SourceInfo> {
    const { url, stream, group = "", start = "earliest", field = "" } = options;
    for (const [key, value] of Object.entries({ url, stream })) {
      if (typeof value !== "string" || value === "") {
        throw new TypeError(
          `Cannot add source as '${key}' must be a non-empty string: current value is ${
            JSON.stringify(value)
          }`,
        );
      }
    }
    if (start !== "earliest" && start !== "latest") {
      throw new TypeError(
        `Cannot add source as 'start' must be "earliest" or "latest": current value is ${
          JSON.stringify(start)
        }`,
      );
    }
    const spec = sourceSpec(options, {
      $case: "redis",
      value: { url, stream, group, start, field },
    });
    return await this.#rpc.unary("addSource", { spec });
  }

  async *follow(table: string, options: FollowOptions = {}): AsyncIterable<FollowedBatch> {
    checkCount("follow", "fromRow", options.fromRow);
    checkCount("follow", "maxBatchRows", options.maxBatchRows, 1_000_000);
    const signal = options.signal;
    let fromRow = options.fromRow ?? 0;
    let fromEnd = options.fromEnd ?? false;
    let failures = 0;
    while (!signal?.aborted) {
      try {
        const stream = this.#rpc.serverStream("follow", {
          table,
          fromRow: BigInt(fromRow),
          fromEnd,
          maxBatchRows: options.maxBatchRows ?? 0,
        }, { ...(signal ? { signal } : {}), timeoutMs: Infinity });
        for await (const message of stream) {
          failures = 0;
          // Resumed from here after a broken connection.
          fromRow = Number(message.nextRow);
          fromEnd = false;
          yield {
            table: tableFromIPC(message.arrowIpc),
            rows: Number(message.rows),
            firstRow: Number(message.firstRow),
            nextRow: fromRow,
            skippedRows: Number(message.skippedRows),
          };
        }
        return;
      } catch (error) {
        if (signal?.aborted) return;
        if (!(error instanceof UnavailableError)) throw error;
        failures++;
        const delay = Math.random() * Math.min(5000, 100 * 2 ** Math.min(failures, 10));
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async append(
    table: string,
    rows: Table | readonly Record<string, unknown>[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const producer = options.producer;
    if (producer !== undefined) {
      const sequence = BigInt(producer.sequence);
      if (typeof producer.id !== "string" || producer.id === "" || sequence < 1n) {
        throw new TypeError(
          "Cannot append as 'producer' must have a non-empty 'id' and a 'sequence' of at least 1",
        );
      }
    }
    if (Array.isArray(rows)) {
      const bad = (rows as unknown[]).findIndex((row) =>
        row === null || typeof row !== "object" || Array.isArray(row)
      );
      if (bad >= 0) {
        throw new TypeError(
          `Cannot append as each row must be a plain object: row ${bad} is ${
            JSON.stringify(rows[bad])?.slice(0, 80)
          }`,
        );
      }
    }
    const head = {
      table,
      producerId: producer?.id ?? "",
      sequence: producer === undefined ? 0n : BigInt(producer.sequence),
    };
    async function* messages(): AsyncGenerator<AppendRequest> {
      if (Array.isArray(rows)) {
        const list = rows as readonly Record<string, unknown>[];
        if (list.length === 0) yield { ...head, rows: undefined };
        for (let i = 0; i < list.length; i += APPEND_CHUNK_ROWS) {
          const text = list.slice(i, i + APPEND_CHUNK_ROWS).map(jsonLine).join("\n");
          yield { ...head, rows: { $case: "jsonRows" as const, value: text } };
        }
      } else {
        const arrow = rows as Table;
        if (arrow.numRows === 0) yield { ...head, rows: undefined };
        for (let i = 0; i < arrow.numRows; i += APPEND_CHUNK_ROWS) {
          const ipc = tableToIPC(arrow.slice(i, i + APPEND_CHUNK_ROWS), "stream");
          const value = Buffer.from(ipc.buffer, ipc.byteOffset, ipc.byteLength);
          yield { ...head, rows: { $case: "arrowIpc" as const, value } };
        }
      }
    }
    const response = await this.#rpc.clientStream("append", messages());
    return {
      rows: Number(response.rows),
      firstRow: Number(response.firstRow),
      nextRow: Number(response.nextRow),
      duplicate: response.duplicate,
    };
  }

  async listSources(): Promise<SourceInfo[]> {
    return (await this.#rpc.unary("listSources", {})).sources;
  }

  async removeSource(name: string): Promise<void> {
    await this.#rpc.unary("removeSource", { name });
  }

  async snapshot(name: string, options: SnapshotOptions = {}): Promise<string> {
    checkCount("snapshot", "ttlSeconds", options.ttlSeconds);
    const response = await this.#rpc.unary("snapshotSource", {
      name,
      ttlSeconds: BigInt(options.ttlSeconds ?? 0),
    });
    if (!response.handle) {
      throw new InternalError("Cannot snapshot as the server returned no handle");
    }
    return response.handle.id;
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#rpc.close();
    }
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** One row as a line of JSON: bigints as their digits, dates as ISO text. */
function jsonLine(row: Record<string, unknown>): string {
  const mark = "\u0000bigint:";
  return JSON.stringify(
    row,
    (_key, value: unknown) => typeof value === "bigint" ? `${mark}${value}` : value,
  ).replace(/"\\u0000bigint:(-?\d+)"/g, "$1");
}

/** The spec of a source of `kind` with the options every kind takes, checked. */
function sourceSpec(options: SourceOptions, kind: SourceSpec["kind"]): SourceSpec {
  const { name, maxBatchRows, maxBatchDelayMs, maxBufferBytes, table, retention, overflow } =
    options;
  checkCount("add source", "maxBatchRows", maxBatchRows, 2 ** 32 - 1);
  checkCount("add source", "maxBatchDelayMs", maxBatchDelayMs, 2 ** 32 - 1);
  checkCount("add source", "maxBufferBytes", maxBufferBytes);
  checkCount("add source", "retention.maxRows", retention?.maxRows);
  checkCount("add source", "retention.maxBytes", retention?.maxBytes);
  checkCount("add source", "retention.maxAgeSeconds", retention?.maxAgeSeconds);
  if (overflow !== undefined && overflow !== "block" && overflow !== "drop") {
    throw new TypeError(
      `Cannot add source as 'overflow' must be "block" or "drop": current value is ${
        JSON.stringify(overflow)
      }`,
    );
  }
  return {
    name,
    kind,
    maxBatchRows: maxBatchRows ?? 0,
    maxBatchDelayMs: maxBatchDelayMs ?? 0,
    maxBufferBytes: BigInt(maxBufferBytes ?? 0),
    table: table ?? "",
    overflow: overflow ?? "",
    ...(retention
      ? {
        retention: {
          maxRows: BigInt(retention.maxRows ?? 0),
          maxBytes: BigInt(retention.maxBytes ?? 0),
          maxAgeSeconds: BigInt(retention.maxAgeSeconds ?? 0),
        },
      }
      : {}),
  };
}

/**
 * Connects to the ingest service: `options.endpoint`, else POLAROID_INGEST_ENDPOINT (read
 * only with `--allow-env`), else "127.0.0.1:50053". A string argument is the endpoint.
 */
export async function connectIngest(
  options: IngestConnectOptions | string = {},
): Promise<IngestClient> {
  const opts: IngestConnectOptions = typeof options === "string" ? { endpoint: options } : options;
  const endpoint = resolveEndpoint(
    opts.endpoint,
    "POLAROID_INGEST_ENDPOINT",
    DEFAULT_INGEST_ENDPOINT,
  );
  const rpc = await openChannel(endpoint, { ingest: IngestServiceService }, opts);
  return new IngestClientImpl(endpoint, rpc.ingest);
}
