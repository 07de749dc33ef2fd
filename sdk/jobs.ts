/**
 * Jobs: a plan submitted to the servers' job queue (`lf.submit()`), run by whichever compute
 * worker takes it, even when the worker that took it first dies. A RemoteJob reads the job's
 * state and waits for its result, watching the job and falling back to polling.
 *
 * ```ts
 * const job = await client.scanParquet("trades/*.parquet").groupBy("sym").agg(...).submit();
 * const result = await job.wait({ timeoutMs: 600_000 }); // a RemoteDataFrame
 * ```
 *
 * Here: the JobService calls and a job's state, and the job as it waits, written over the
 * stored frame class D it opens. RemoteJob, `submitPlan()` and `openJob()`
 * (sdk/frame/lazy_frame.ts) are these for RemoteDataFrames.
 *
 * @module
 */

import {
  DeadlineExceededError,
  errorFromStatus,
  GrpcCode,
  InternalError,
  PolaroidError,
} from "../shared/errors.ts";
import type { HandleInfo } from "../shared/gen/polaroid/v1/handle.ts";
import { HandleServiceService } from "../shared/gen/polaroid/v1/handles.ts";
import { type JobInfo, JobServiceService, JobStatus } from "../shared/gen/polaroid/v1/jobs.ts";
import type { Plan } from "../shared/gen/polaroid/v1/plan.ts";
import { type ChannelPool, checkCount } from "./transport/connection.ts";
import type { Session } from "./transport/session.ts";

/** The service the client adds to its channels for jobs. */
export const JOB_SERVICE = { jobs: JobServiceService } as const;

type Pool = ChannelPool<{ handles: typeof HandleServiceService; jobs: typeof JobServiceService }>;

/** Options of `lf.submit()`. */
export interface SubmitOptions {
  /**
   * The job's id: letters, digits, `_` and `-`, at most 64 characters. Submitting an id again
   * returns the same job (an idempotency key). @default crypto.randomUUID()
   */
  jobId?: string;
  /** Idle time to live of the result; 0 or absent means the server's default. */
  ttlSeconds?: number;
  /** A name for the result, unique among the tenant's live frames. @default "" (no name) */
  name?: string;
}

/** Options of `job.wait()`. */
export interface WaitOptions {
  /** Give up (DeadlineExceededError) after this long. @default 3_600_000 */
  timeoutMs?: number;
  /** Time between two reads of the job when it cannot be watched. @default 500 */
  pollIntervalMs?: number;
  /** Stops waiting. */
  signal?: AbortSignal;
}

export type JobStatusName = "queued" | "running" | "succeeded" | "failed";

/** A job's state. */
export interface JobState {
  id: string;
  status: JobStatusName;
  /** The worker that runs or ran it ("" while queued). */
  worker: string;
  /** Times a worker started it (more than 1 after a worker died running it). */
  attempts: number;
  /** The result handle id once succeeded, else "". */
  handle: string;
  /** Why it failed: the error an Execute of the plan would have thrown. */
  error?: PolaroidError;
  submittedAtMs: number;
  startedAtMs: number;
  finishedAtMs: number;
}

/** The JobService calls of a client, routed and retried (job ids make them idempotent). */
export class JobCalls {
  readonly #rpc: Pool;

  constructor(rpc: Pool) {
    this.#rpc = rpc;
  }

  submit(plan: Plan, jobId: string, ttlSeconds: number, name: string): Promise<JobInfo> {
    const request = { jobId, plan, ttlSeconds: BigInt(ttlSeconds), name };
    return this.#rpc.call(
      "submitJob",
      undefined,
      (rpc, call) => rpc.jobs.unary("submitJob", request, call),
    );
  }

  get(jobId: string): Promise<JobInfo> {
    return this.#rpc.call(
      "getJob",
      undefined,
      (rpc, call) => rpc.jobs.unary("getJob", { jobId }, call),
    );
  }

  watch(jobId: string, deadline: number, signal?: AbortSignal): AsyncIterable<JobInfo> {
    return this.#rpc.stream(
      "watchJob",
      undefined,
      (rpc, call) => rpc.jobs.serverStream("watchJob", { jobId }, call),
      { deadline, signal },
    );
  }

  /** The result handle of a job (its frame takes over the job's reference to the handle). */
  handle(id: string): Promise<HandleInfo> {
    return this.#rpc.call(
      "describeHandle",
      id,
      (rpc, call) => rpc.handles.unary("describeHandle", { id }, call),
    );
  }
}

/** What `submit()` needs of a frame's session: the client. */
export interface JobSession extends Session {
  readonly jobs: JobCalls;
}

const STATUS: Readonly<Record<number, JobStatusName>> = {
  [JobStatus.JOB_STATUS_QUEUED]: "queued",
  [JobStatus.JOB_STATUS_RUNNING]: "running",
  [JobStatus.JOB_STATUS_SUCCEEDED]: "succeeded",
  [JobStatus.JOB_STATUS_FAILED]: "failed",
};

/** A JobInfo as the SDK shows it. */
export function jobState(info: JobInfo): JobState {
  const status = STATUS[info.status];
  if (!status) throw new InternalError(`Cannot read job ${info.id} as its status is unknown`);
  const state: JobState = {
    id: info.id,
    status,
    worker: info.worker,
    attempts: info.attempts,
    handle: info.handle,
    submittedAtMs: Number(info.submittedAtMs),
    startedAtMs: Number(info.startedAtMs),
    finishedAtMs: Number(info.finishedAtMs),
  };
  if (info.error) {
    state.error = errorFromStatus(info.error.grpcCode, info.error.message, info.error.reason);
  }
  return state;
}

function done(state: JobState): boolean {
  return state.status === "succeeded" || state.status === "failed";
}

/** The key of the method a job opens its result (a stored frame) with. */
export const RESULT: unique symbol = Symbol("polaroid.RemoteJob.result");

/** A job on the servers' queue, whose result is a D. */
export abstract class Job<D> {
  readonly #session: JobSession;
  readonly #info: JobInfo;

  /** Jobs come from `lf.submit()`, not from this constructor. */
  constructor(session: JobSession, info: JobInfo) {
    this.#session = session;
    this.#info = info;
  }

  /** The stored frame of the result handle (a D). */
  abstract [RESULT](session: Session, info: HandleInfo): D;

  /** The job's id. */
  get id(): string {
    return this.#info.id;
  }

  /** The job's current state. */
  async status(): Promise<JobState> {
    return jobState(await this.#session.jobs.get(this.id));
  }

  /**
   * Waits until the job has finished and opens its result; a failed job rejects with the
   * error class of its failure (e.g. ColumnNotFoundError), a wait past `timeoutMs` with
   * DeadlineExceededError.
   */
  async wait(options: WaitOptions = {}): Promise<D> {
    checkCount("wait for job", "timeoutMs", options.timeoutMs);
    checkCount("wait for job", "pollIntervalMs", options.pollIntervalMs);
    const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
    const state = await this.#watch(deadline, options.signal) ??
      await this.#poll(deadline, options);
    if (state.error) throw state.error;
    if (state.status !== "succeeded" || state.handle === "") {
      throw new InternalError(`Cannot open the result of job ${this.id} as it has none`);
    }
    return this[RESULT](this.#session, await this.#session.jobs.handle(state.handle));
  }

  /** The finished state from the watch stream, or undefined when the stream broke. */
  async #watch(deadline: number, signal?: AbortSignal): Promise<JobState | undefined> {
    try {
      for await (const info of this.#session.jobs.watch(this.id, deadline, signal)) {
        const state = jobState(info);
        if (done(state)) return state;
      }
    } catch (error) {
      if (!(error instanceof PolaroidError) || !WATCH_FALLBACK.has(error.code)) throw error;
    }
    return undefined;
  }

  async #poll(deadline: number, options: WaitOptions): Promise<JobState> {
    const interval = options.pollIntervalMs ?? 500;
    for (;;) {
      options.signal?.throwIfAborted();
      const state = await this.status();
      if (done(state)) return state;
      if (Date.now() + interval > deadline) {
        throw new DeadlineExceededError(
          `Cannot wait for job ${this.id} as 'timeoutMs' passed: current status is ${state.status}`,
        );
      }
      await new Promise((r) => setTimeout(r, interval));
    }
  }
}

/** Watch failures after which waiting goes on by polling. */
const WATCH_FALLBACK = new Set<number>([
  GrpcCode.UNAVAILABLE,
  GrpcCode.UNIMPLEMENTED,
  GrpcCode.INTERNAL,
  GrpcCode.CANCELLED,
]);

/** Submits `plan` as a job for the client behind `session` (`lf.submit()`): its first state. */
export async function submitJob(
  session: Session,
  plan: Plan | Promise<Plan>,
  options: SubmitOptions = {},
): Promise<JobInfo> {
  checkCount("submit", "ttlSeconds", options.ttlSeconds);
  const jobId = options.jobId ?? crypto.randomUUID();
  if (typeof jobId !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(jobId)) {
    throw new TypeError(
      `Cannot submit as 'jobId' must be 1 to 64 letters, digits, '_' or '-': current value is ${
        String(jobId)
      }`,
    );
  }
  const jobs = (session as Partial<JobSession>).jobs;
  if (!(jobs instanceof JobCalls)) {
    throw new TypeError("Cannot submit as the frame's session has no job service");
  }
  return await jobs.submit(await plan, jobId, options.ttlSeconds ?? 0, options.name ?? "");
}

/**
 * The state of a job submitted earlier (e.g. by another process), by its id, for `client`;
 * NotFoundError when the client's tenant has no job of that id.
 */
export async function getJob(client: object, jobId: string): Promise<JobInfo> {
  const jobs = (client as Partial<JobSession>).jobs;
  if (!(jobs instanceof JobCalls)) {
    throw new TypeError("Cannot open a job as 'client' is not a Polaroid client");
  }
  return await jobs.get(jobId);
}
