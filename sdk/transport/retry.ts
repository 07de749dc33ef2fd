/**
 * Retrying calls on the next endpoint: which failures a call may repeat, exponential backoff
 * with full jitter, a retry budget in time (not a count of attempts), and one deadline per
 * call that every attempt and wait fits inside.
 *
 * @module
 */

import {
  CancelledError,
  DeadlineExceededError,
  GrpcCode,
  PolaroidError,
} from "../../shared/errors.ts";
import type { Balancer } from "./balancer.ts";
import { abortableSleep } from "./resume.ts";

/** Options of retrying failed calls. */
export interface RetryOptions {
  /**
   * Time after a call's first attempt during which it may be tried again, inside its
   * deadline: retries go on, backing off, until it is spent. @default 30000
   */
  budgetMs?: number;
  /**
   * Attempts of one call at most, the first included; 1 turns retrying off.
   * @default unbounded (the budget decides)
   */
  attempts?: number;
  /** Backoff before the second attempt (the cap of its random wait); it doubles. @default 50 */
  baseDelayMs?: number;
  /** Largest backoff cap. @default 2000 */
  maxDelayMs?: number;
  /** Waits `ms` milliseconds, or rejects when `signal` aborts (tests pass a fake). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter (tests pass a fake). @default Math.random */
  random?: () => number;
}

/** How long a call may be retried after its first attempt, by default. */
export const DEFAULT_RETRY_BUDGET_MS = 30_000;

/** The calls the SDK makes, by how they may be repeated. */
export type RetryMethod =
  | "collect"
  | "schema"
  | "explain"
  | "describeHandle"
  | "resolveHandle"
  | "listHandles"
  | "execute"
  | "retainHandle"
  | "releaseHandle"
  | "pinHandle"
  | "unpinHandle"
  | "upload"
  | "submitJob"
  | "getJob"
  | "watchJob"
  | "sink";

const IDEMPOTENT = new Set<number>([
  GrpcCode.UNAVAILABLE,
  GrpcCode.DEADLINE_EXCEEDED,
  GrpcCode.RESOURCE_EXHAUSTED,
]);
// Execute and Upload store a new handle and Retain/Release change reference counts: a call
// that ran past its deadline may have done so, only a refusal is safe to repeat (an upload's
// body is replayed from the table the client holds).
const REFUSED = new Set<number>([GrpcCode.UNAVAILABLE, GrpcCode.RESOURCE_EXHAUSTED]);

/** The gRPC codes each call is retried on. */
export const RETRY_CODES: Readonly<Record<RetryMethod, ReadonlySet<number>>> = {
  collect: IDEMPOTENT,
  schema: IDEMPOTENT,
  explain: IDEMPOTENT,
  describeHandle: IDEMPOTENT,
  resolveHandle: IDEMPOTENT,
  listHandles: IDEMPOTENT,
  execute: REFUSED,
  retainHandle: REFUSED,
  releaseHandle: REFUSED,
  // Pinning twice is pinning once; an unpin repeated after it freed the frame is NOT_FOUND.
  pinHandle: IDEMPOTENT,
  unpinHandle: IDEMPOTENT,
  upload: REFUSED,
  // A job id submitted twice is one job.
  submitJob: IDEMPOTENT,
  getJob: IDEMPOTENT,
  watchJob: IDEMPOTENT,
  // A write that ran past its deadline may have replaced the file: only a refusal is repeated.
  sink: REFUSED,
};

/**
 * Whether `method` may be tried again after `error`. RESOURCE_EXHAUSTED counts only when a
 * server marked it retryable (a busy server refusing a call, a tenant over its call quota,
 * with the wait it asks for in `retryAfterMs`): a limit of the query itself
 * (rows, columns, plan depth) or the client's own message size limit fails the same way
 * on every worker.
 */
export function isRetryable(error: unknown, method: RetryMethod): boolean {
  if (!(error instanceof PolaroidError) || !RETRY_CODES[method].has(error.code)) return false;
  return error.code !== GrpcCode.RESOURCE_EXHAUSTED || error.metadata.retryable === "true";
}

/**
 * The wait before retry `retry` (0 for the second attempt): full jitter, a uniform random
 * time in [0, min(maxDelayMs, baseDelayMs * 2^retry)).
 */
export function backoffDelay(
  retry: number,
  options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs" | "random"> = {},
): number {
  const cap = Math.min(options.maxDelayMs ?? 2000, (options.baseDelayMs ?? 50) * 2 ** retry);
  return Math.floor((options.random ?? Math.random)() * cap);
}

/**
 * The wait a server asked for before the next attempt (`retryAfterMs` in the metadata of a
 * tenant quota's refusal), or 0. A malformed value counts as none.
 */
export function retryAfter(error: unknown): number {
  if (!(error instanceof PolaroidError)) return 0;
  const ms = Number(error.metadata.retryAfterMs);
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 60_000) : 0;
}

/** One attempt of a call. */
export interface Attempt {
  /** The endpoint to call. */
  endpoint: string;
  /** What is left of the call's deadline: the attempt's own deadline. */
  timeoutMs: number;
  /** 1 for the first attempt. */
  number: number;
}

/** Where and how long a call may be tried. */
export interface RetryPlan extends RetryOptions {
  balancer: Balancer;
  /** The handle the call reads (affinity). */
  key?: string | undefined;
  /** Milliseconds since the epoch after which no attempt starts and no call runs. */
  deadline: number;
  /** Stops the call and any wait. */
  signal?: AbortSignal | undefined;
  /**
   * Endpoints this call failed on, avoided while others remain; shared by the streams that
   * resume one download, so that a resumed stream goes to another endpoint. @default a new set
   */
  tried?: Set<string>;
  /** The clock (tests pass a fake). @default Date.now */
  now?: () => number;
}

/**
 * The messages of a server stream opened by `open`, tried again on the next endpoint after
 * a retryable failure before its first message (after that, the error is the caller's: only
 * it knows whether the stream can go on). The last error carries the attempt count.
 */
export async function* retryStream<T>(
  method: RetryMethod,
  open: (attempt: Attempt) => AsyncIterable<T>,
  plan: RetryPlan,
): AsyncGenerator<T> {
  const attempts = plan.attempts ?? Infinity;
  const now = plan.now ?? Date.now;
  // No attempt starts after this: the retry budget, inside the call's deadline.
  const retryUntil = Math.min(plan.deadline, now() + (plan.budgetMs ?? DEFAULT_RETRY_BUDGET_MS));
  const sleep = plan.sleep ?? abortableSleep;
  const tried = plan.tried ?? new Set<string>();
  for (let number = 1;; number++) {
    const timeoutMs = plan.deadline - now();
    if (timeoutMs <= 0) {
      throw new DeadlineExceededError(
        `Cannot call ${method} as its deadline passed before attempt ${number}`,
      );
    }
    const endpoint = plan.balancer.pick(plan.key, tried);
    let received = false;
    try {
      for await (const message of open({ endpoint, timeoutMs, number })) {
        if (!received) plan.balancer.markUp(endpoint);
        received = true;
        yield message;
      }
      plan.balancer.markUp(endpoint);
      return;
    } catch (error) {
      tried.add(endpoint);
      if (error instanceof PolaroidError && error.code === GrpcCode.UNAVAILABLE) {
        plan.balancer.markDown(endpoint);
      }
      if (received) throw error;
      if (!isRetryable(error, method) || plan.signal?.aborted) {
        throw withAttempts(error, number, endpoint);
      }
      const delay = Math.max(backoffDelay(number - 1, plan), retryAfter(error));
      if (number >= attempts || now() + delay >= retryUntil) {
        throw withAttempts(error, number, endpoint);
      }
      try {
        await sleep(delay, plan.signal);
      } catch (reason) {
        throw new CancelledError(`Cannot retry ${method} as the call was aborted`, {
          cause: reason,
        });
      }
    }
  }
}

/** `call` tried again on the next endpoint after retryable failures (see retryStream). */
export async function retryCall<T>(
  method: RetryMethod,
  call: (attempt: Attempt) => Promise<T>,
  plan: RetryPlan,
): Promise<T> {
  const one = async function* (attempt: Attempt): AsyncGenerator<T> {
    yield await call(attempt);
  };
  for await (const result of retryStream(method, one, plan)) return result;
  throw new TypeError(`Cannot call ${method} as it returned no result`);
}

/** The error of the last attempt, its message naming how many attempts were made. */
function withAttempts(error: unknown, attempts: number, endpoint: string): unknown {
  if (attempts > 1 && error instanceof Error) {
    error.message = `${error.message} (after ${attempts} attempts, the last on ${endpoint})`;
  }
  return error;
}
