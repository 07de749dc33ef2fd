/**
 * The job runner of a compute worker: takes jobs from the shared pull consumer and runs each
 * plan through the same code path as Execute. While a job runs it beats (`working()`) every
 * third of the ack wait; a worker that dies stops beating, JetStream redelivers the message
 * to another worker, which finds the record `running` and takes the job over. A job already
 * finished is acked without running again. Taking and finishing are compare-and-set writes of
 * the record, so a job's result is recorded once: a worker that loses the race releases the
 * handle it made. Each run is a `job.run` span in the trace of the call that submitted the job
 * (its context travels in the message's headers), with the plan's spans inside it.
 *
 * @module
 */

import type { JsMsg } from "@nats-io/jetstream";
import { SubmitJobRequest } from "../../shared/gen/polaroid/v1/jobs.ts";
import { GrpcCode, PolaroidError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/telemetry/log.ts";
import { messageContext } from "../../shared/nats.ts";
import { inSpan, recordFailure, type Span, withContext } from "../../shared/telemetry/tracing.ts";
import type { PlanExecutor, RunContext } from "./executor.ts";
import { type JobQueue, type JobRecord, TENANT_HEADER } from "./jobs_queue.ts";
import type { HandlesClient } from "./resolver.ts";
import { Engine } from "../../shared/gen/polaroid/v1/dataframe.ts";

/** Options of JobRunner. */
export interface JobRunnerOptions {
  queue: JobQueue;
  /** Runs each job's plan as Execute does. */
  executor: Pick<PlanExecutor, "execute">;
  /** The catalog, to release a result another worker's run already recorded. */
  handles: HandlesClient;
  workerId: string;
  logger: Logger;
  /** Jobs run at once. @default 1 */
  concurrency?: number;
  /** The consumer's ack wait; heartbeats go every third of it. @default 30000 */
  ackWaitMs?: number;
  /** The consumer's max deliveries: a transient failure on the last one fails the job. @default 5 */
  maxDeliver?: number;
}

/** Failures a later attempt (maybe on another worker) may not meet. */
const TRANSIENT = new Set<number>([GrpcCode.UNAVAILABLE, GrpcCode.DEADLINE_EXCEEDED]);
/** How long a pull waits for a job before asking again. */
const PULL_EXPIRES_MS = 2000;

/** Takes and runs jobs until stopped. */
export class JobRunner {
  readonly #options: JobRunnerOptions;
  readonly #loops: Promise<void>[] = [];
  #stopped = false;

  constructor(options: JobRunnerOptions) {
    this.#options = options;
  }

  /** Starts `concurrency` pull loops. */
  start(): void {
    const n = this.#options.concurrency ?? 1;
    for (let i = 0; i < n; i++) this.#loops.push(this.#loop());
  }

  /** Stops taking jobs and waits for those running to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#loops);
  }

  async #loop(): Promise<void> {
    const { queue, logger } = this.#options;
    while (!this.#stopped) {
      let msg: JsMsg | null;
      try {
        msg = await queue.consumer.next({ expires: PULL_EXPIRES_MS });
      } catch (error) {
        if (this.#stopped) return;
        logger.warn("job pull failed", { error: String(error) });
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (!msg) continue;
      try {
        await this.#take(msg);
      } catch (error) {
        // The message comes back after the ack wait.
        logger.error("job handling failed", { error: String(error) });
      }
    }
  }

  async #take(msg: JsMsg): Promise<void> {
    const { queue, workerId } = this.#options;
    const tenant = msg.headers?.get(TENANT_HEADER) ?? "";
    const request = SubmitJobRequest.decode(msg.data);
    const found = tenant === "" ? undefined : await queue.get(tenant, request.jobId);
    if (!found) {
      msg.term(); // its record expired or never existed: nothing to run it for
      return;
    }
    const { record, revision } = found;
    if (record.status === "succeeded" || record.status === "failed") {
      msg.ack();
      return;
    }
    // Queued, or running on a worker that stopped beating (else the message had not come back).
    const taken: JobRecord = {
      ...record,
      status: "running",
      worker: workerId,
      attempts: record.attempts + 1,
      startedAtMs: Date.now(),
    };
    delete taken.error;
    const takenAt = await queue.update(taken, revision);
    if (takenAt === undefined) {
      msg.nak(500); // changed meanwhile: look again
      return;
    }
    const attributes = {
      "polaroid.job": taken.id,
      "polaroid.tenant": taken.tenant,
      "polaroid.attempt": taken.attempts,
    };
    await withContext(
      messageContext(msg),
      () => inSpan("job.run", attributes, (span) => this.#run(msg, request, taken, takenAt, span)),
    );
  }

  async #run(
    msg: JsMsg,
    request: SubmitJobRequest,
    taken: JobRecord,
    revision: number,
    span: Span,
  ): Promise<void> {
    const { executor, logger, ackWaitMs = 30_000, maxDeliver = 5 } = this.#options;
    const log: Record<string, unknown> = {
      job: taken.id,
      tenant: taken.tenant,
      attempt: taken.attempts,
      delivery: msg.info.deliveryCount,
    };
    const beat = setInterval(() => msg.working(), Math.max(100, Math.floor(ackWaitMs / 3)));
    const started = performance.now();
    let finished: JobRecord;
    try {
      const response = await executor.execute({
        plan: request.plan,
        ttlSeconds: request.ttlSeconds,
        streaming: false,
        engine: Engine.ENGINE_UNSPECIFIED,
        name: request.name,
        skipCache: false,
        durable: false,
        metadata: {},
      }, context(taken.tenant, log));
      finished = { ...taken, status: "succeeded", handle: response.handle?.id ?? "" };
    } catch (thrown) {
      const error = PolaroidError.from(thrown);
      if (TRANSIENT.has(error.code) && msg.info.deliveryCount < maxDeliver) {
        clearInterval(beat);
        span.setAttribute("polaroid.job.status", "retried");
        recordFailure(span, error);
        logger.warn("job will be retried", { ...log, error: error.message });
        msg.nak(1000 * msg.info.deliveryCount);
        return;
      }
      const cause = error.cause === undefined ? "" : String(error.cause);
      finished = {
        ...taken,
        status: "failed",
        error: { code: error.reason, grpcCode: error.code, message: error.message },
      };
      log.error = error.reason;
      if (cause !== "") log.cause = cause;
      recordFailure(span, error);
    } finally {
      clearInterval(beat);
    }
    finished.finishedAtMs = Date.now();
    span.setAttribute("polaroid.job.status", finished.status);
    log.ms = Math.round(performance.now() - started);
    if (await this.#record(finished, revision)) {
      msg.ack();
      logger.info(`job ${finished.status}`, { ...log, handle: finished.handle });
    } else {
      logger.warn("job was taken over by another worker", log);
      if (finished.handle !== "") await this.#release(finished);
    }
  }

  /** Writes the outcome unless another worker took the job over meanwhile. */
  async #record(finished: JobRecord, revision: number): Promise<boolean> {
    const { queue } = this.#options;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await queue.update(finished, revision) !== undefined) return true;
      const now = await queue.get(finished.tenant, finished.id).catch(() => undefined);
      if (now !== undefined) {
        const ours = now.record.status === "running" && now.record.worker === finished.worker &&
          now.record.attempts === finished.attempts;
        if (!ours) return false;
        revision = now.revision;
      }
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
    return false;
  }

  async #release(finished: JobRecord): Promise<void> {
    await this.#options.handles.unary("releaseHandle", { id: finished.handle }, {
      tenant: finished.tenant,
    }).catch(() => {});
  }
}

/**
 * A job's run context: its tenant (authorized when it was submitted: SubmitJob needs the
 * write role), and a signal that never aborts (a job runs to its end once taken).
 */
function context(tenant: string, log: Record<string, unknown>): RunContext {
  return { tenant, signal: new AbortController().signal, log };
}
