/**
 * The job queue in NATS JetStream: the work-queue stream POLAROID_JOBS (subject
 * `polaroid.jobs.submit`, one message per job, the SubmitJobRequest as protobuf and the
 * tenant in a header), its durable pull consumer shared by every compute worker, and the job
 * records in the KV bucket `polaroid_jobs` (key `<tenant>.<job id>`, value JSON JobRecord).
 * Every record change is a compare-and-set on the key's revision, so two workers never both
 * take or finish one job. A job's message carries the submitter's trace context in its headers,
 * so its run joins the trace of the call that submitted it.
 *
 * @module
 */

import {
  AckPolicy,
  type Consumer,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
} from "@nats-io/jetstream";
import { type KV, type KvEntry, Kvm } from "@nats-io/kv";
import { createOrOpenKv } from "../../shared/nats_kv.ts";
import { headers, nanos, type NatsConnection } from "@nats-io/transport-node";
import { traceHeaders } from "../../shared/nats.ts";
import { SubmitJobRequest } from "../../shared/gen/polaroid/v1/jobs.ts";
import { InvalidArgumentError } from "../../shared/errors.ts";

/** The stream of submitted jobs. */
export const JOBS_STREAM = "POLAROID_JOBS";
/** The subject jobs are published on. */
export const JOBS_SUBJECT = "polaroid.jobs.submit";
/** The durable consumer every worker pulls from. */
export const JOBS_CONSUMER = "polaroid-job-runners";
/** The KV bucket of job records. */
export const JOBS_BUCKET = "polaroid_jobs";
/** The header that carries the submitting tenant. */
export const TENANT_HEADER = "Polaroid-Tenant";

const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Job records live this long after their last change. */
const RECORD_TTL_MS = 7 * 24 * 3600 * 1000;

export type JobState = "queued" | "running" | "succeeded" | "failed";

/** A job's record in the KV bucket. */
export interface JobRecord {
  id: string;
  tenant: string;
  status: JobState;
  /** The worker that runs or ran the job; "" while queued. */
  worker: string;
  /** Times a worker started it. */
  attempts: number;
  /** The result handle id, once succeeded; "". */
  handle: string;
  error?: { code: string; grpcCode: number; message: string };
  submittedAtMs: number;
  startedAtMs: number;
  finishedAtMs: number;
}

/** A record and the KV revision it was read at. */
export interface Versioned {
  record: JobRecord;
  revision: number;
}

/** Options of openJobQueue(). */
export interface JobQueueOptions {
  /** Time without ack or heartbeat before a job is redelivered. @default 30000 */
  ackWaitMs?: number;
  /** Deliveries of one message before JetStream gives up on it. @default 5 */
  maxDeliver?: number;
}

/** The jobs waiting for a worker. */
export interface QueueDepth {
  /** Jobs no worker has taken yet (a job being retried after a failure is not counted). */
  queued: number;
  /** How long the oldest of them has waited, in seconds; 0 when none waits. */
  oldestAgeSeconds: number;
}

/** Returns the job id if well formed; throws InvalidArgumentError otherwise. */
export function validateJobId(id: string): string {
  if (!JOB_ID.test(id)) {
    throw new InvalidArgumentError(
      `Cannot accept job as 'job_id' must match ${JOB_ID.source}: current value is ${
        JSON.stringify(id.slice(0, 80))
      }`,
    );
  }
  return id;
}

/** The stream, consumer and bucket of the job queue, created when missing. */
export class JobQueue {
  readonly #nc: NatsConnection;
  readonly #kv: KV;
  readonly #consumer: Consumer;

  private constructor(nc: NatsConnection, kv: KV, consumer: Consumer) {
    this.#nc = nc;
    this.#kv = kv;
    this.#consumer = consumer;
  }

  /** Creates (or finds) the stream, the consumer and the bucket. */
  static async open(nc: NatsConnection, options: JobQueueOptions = {}): Promise<JobQueue> {
    const jsm = await jetstreamManager(nc);
    const stream = {
      name: JOBS_STREAM,
      subjects: [JOBS_SUBJECT],
      retention: RetentionPolicy.Workqueue,
    };
    await jsm.streams.add(stream).catch(async () => await jsm.streams.update(JOBS_STREAM, stream));
    const consumer = {
      durable_name: JOBS_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(options.ackWaitMs ?? 30_000),
      max_deliver: options.maxDeliver ?? 5,
    };
    await jsm.consumers.add(JOBS_STREAM, consumer).catch(async () =>
      await jsm.consumers.update(JOBS_STREAM, JOBS_CONSUMER, consumer)
    );
    const js = jetstream(nc);
    const kv = await createOrOpenKv(new Kvm(js), JOBS_BUCKET, { history: 1, ttl: RECORD_TTL_MS });
    return new JobQueue(nc, kv, await js.consumers.get(JOBS_STREAM, JOBS_CONSUMER));
  }

  /**
   * The jobs waiting for a worker, from the consumer's info and the first message it has not
   * delivered: two JetStream requests at most, each given up after `timeoutMs`.
   */
  async depth(timeoutMs: number, now: number = Date.now()): Promise<QueueDepth> {
    const jsm = await jetstreamManager(this.#nc, { timeout: timeoutMs, checkAPI: false });
    const info = await jsm.consumers.info(JOBS_STREAM, JOBS_CONSUMER);
    if (info.num_pending === 0) return { queued: 0, oldestAgeSeconds: 0 };
    // A work queue delivers in order: the oldest waiting job comes right after the last one
    // delivered.
    const oldest = await jsm.streams.getMessage(JOBS_STREAM, {
      seq: info.delivered.stream_seq + 1,
    });
    const age = oldest ? Math.max(0, (now - oldest.time.getTime()) / 1000) : 0;
    return { queued: info.num_pending, oldestAgeSeconds: age };
  }

  /** The pull consumer workers take jobs from. */
  get consumer(): Consumer {
    return this.#consumer;
  }

  /** The record of a tenant's job, or undefined. */
  async get(tenant: string, id: string): Promise<Versioned | undefined> {
    return versioned(await this.#kv.get(key(tenant, id)));
  }

  /**
   * Stores the record of a new job and queues it; false (and nothing queued) when the
   * tenant already has a job of that id.
   */
  async submit(record: JobRecord, request: SubmitJobRequest): Promise<boolean> {
    try {
      await this.#kv.create(key(record.tenant, record.id), JSON.stringify(record));
    } catch (error) {
      if (await this.get(record.tenant, record.id)) return false;
      throw error;
    }
    await this.publish(record.tenant, request);
    return true;
  }

  /**
   * Queues a job's message. The message id is the job's key: JetStream drops a second
   * publication within its duplicate window, and a runner acks a message whose job is done.
   */
  async publish(tenant: string, request: SubmitJobRequest): Promise<void> {
    const h = traceHeaders() ?? headers();
    h.set(TENANT_HEADER, tenant);
    await jetstream(this.#nc).publish(JOBS_SUBJECT, SubmitJobRequest.encode(request).finish(), {
      headers: h,
      msgID: key(tenant, request.jobId),
    });
  }

  /** Writes `record` if the key is still at `revision`; the new revision, or undefined. */
  async update(record: JobRecord, revision: number): Promise<number | undefined> {
    try {
      return await this.#kv.update(key(record.tenant, record.id), JSON.stringify(record), revision);
    } catch {
      return undefined;
    }
  }

  /** The record now and at each change, until `signal` aborts. */
  async *watch(tenant: string, id: string, signal: AbortSignal): AsyncGenerator<JobRecord> {
    const watcher = await this.#kv.watch({ key: key(tenant, id) });
    const stop = () => watcher.stop();
    signal.addEventListener("abort", stop, { once: true });
    try {
      for await (const entry of watcher) {
        const found = versioned(entry);
        if (found) yield found.record;
      }
    } finally {
      signal.removeEventListener("abort", stop);
      watcher.stop();
    }
  }
}

function key(tenant: string, id: string): string {
  return `${tenant}.${id}`;
}

function versioned(entry: KvEntry | null): Versioned | undefined {
  if (!entry || entry.operation !== "PUT" || entry.length === 0) return undefined;
  return { record: entry.json<JobRecord>(), revision: entry.revision };
}
