/**
 * The one error hierarchy of Polaroid. Every error a service returns is a PolaroidError;
 * each class maps to one gRPC status code and one machine-readable reason, and the SDKs map
 * the reason back to the same class.
 *
 * @module
 */

/** gRPC status codes (the numbers are fixed by the gRPC protocol). */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type GrpcCode = typeof GrpcCode[keyof typeof GrpcCode];

/** The domain of every ErrorInfo Polaroid sends. */
export const ERROR_DOMAIN = "polaroid.dev";

/** Options common to every PolaroidError. */
export interface PolaroidErrorOptions {
  /** The underlying error, kept for logs and never sent to clients. */
  cause?: unknown;
  /** Extra machine-readable facts (e.g. the column name). */
  metadata?: Record<string, string>;
}

/** Base class: a condition a caller is expected to handle. */
export class PolaroidError extends Error {
  /** The gRPC status code this error travels as. */
  readonly code: GrpcCode = GrpcCode.INTERNAL;
  /** A stable machine-readable reason (UPPER_SNAKE_CASE). */
  readonly reason: string = "INTERNAL";
  readonly metadata: Record<string, string>;

  constructor(message: string, options: PolaroidErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.metadata = options.metadata ?? {};
  }

  /** Normalises anything thrown into a PolaroidError (unknown errors become InternalError). */
  static from(error: unknown): PolaroidError {
    if (error instanceof PolaroidError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new InternalError(message, { cause: error });
  }
}

/** The request is malformed or refers to something invalid. */
export class InvalidArgumentError extends PolaroidError {
  override readonly code: GrpcCode = GrpcCode.INVALID_ARGUMENT;
  override readonly reason: string = "INVALID_ARGUMENT";
}

/** A column named by the query does not exist. */
export class ColumnNotFoundError extends InvalidArgumentError {
  override readonly reason: string = "COLUMN_NOT_FOUND";
}

/** The plan cannot be run as sent (missing input, unknown node, bad option). */
export class InvalidPlanError extends InvalidArgumentError {
  override readonly reason: string = "INVALID_PLAN";
}

/** The engine refused the query (type mismatch, bad cast, bad duration...). */
export class QueryError extends InvalidArgumentError {
  override readonly reason: string = "QUERY_FAILED";
}

/** Bytes that should be Arrow IPC are not. */
export class InvalidArrowError extends InvalidArgumentError {
  override readonly reason: string = "INVALID_ARROW";
}

/** Something named by the request does not exist. */
export class NotFoundError extends PolaroidError {
  override readonly code: GrpcCode = GrpcCode.NOT_FOUND;
  override readonly reason: string = "NOT_FOUND";
}

/** The handle is unknown, released, expired or owned by another tenant. */
export class HandleNotFoundError extends NotFoundError {
  override readonly reason: string = "HANDLE_NOT_FOUND";
}

/** Why a handle was lost (see HandleLostError). */
export type HandleLostReason = "restarted" | "stopped" | "lease_expired";

const LOST_BECAUSE: Record<HandleLostReason, string> = {
  restarted: "the worker restarted",
  stopped: "the worker stopped",
  lease_expired:
    "the worker stopped renewing its lease (it died, hung or lost the handles service)",
};

/**
 * The handle exists but its frame is gone: the worker that held it only in its memory
 * (POLAROID_HANDLE_STORE=memory) restarted, stopped or let its lease run out. Running the plan
 * again recomputes it; the external handle store keeps results through worker restarts.
 */
export class HandleLostError extends PolaroidError {
  override readonly code: GrpcCode = GrpcCode.DATA_LOSS;
  override readonly reason: string = "HANDLE_LOST";

  /** The error of an operation (`op`, e.g. "resolve") on handle `id`, lost by `worker`. */
  static of(
    op: string,
    lost: { id: string; worker: string; reason: HandleLostReason },
  ): HandleLostError {
    return new HandleLostError(
      `Cannot ${op} handle ${lost.id} as its frame must be held by worker '${lost.worker}': current value is lost (${
        LOST_BECAUSE[lost.reason]
      }, and the memory handle store keeps a frame only in the memory of the worker that made it). Run the plan again to recompute it; POLAROID_HANDLE_STORE=external keeps results through worker restarts`,
      { metadata: { handle: lost.id, worker: lost.worker, lost: lost.reason } },
    );
  }
}

/** Something with that name exists already. */
export class AlreadyExistsError extends PolaroidError {
  override readonly code: GrpcCode = GrpcCode.ALREADY_EXISTS;
  override readonly reason: string = "ALREADY_EXISTS";
}

/** A configured limit (message size, rows, bytes, concurrency) would be exceeded. */
export class LimitExceededError extends PolaroidError {
  override readonly code: GrpcCode = GrpcCode.RESOURCE_EXHAUSTED;
  override readonly reason: string = "LIMIT_EXCEEDED";
}

/** The caller is not authenticated. */
export class UnauthenticatedError extends PolaroidError {
  override readonly code: GrpcCode = GrpcCode.UNAUTHENTICATED;
  override readonly reason: string = "UNAUTHENTICATED";
}

/** The caller may not do this. */
export class PermissionDeniedError extends PolaroidError {
  override readonly code: GrpcCode = GrpcCode.PERMISSION_DENIED;
  override readonly reason: string = "PERMISSION_DENIED";
}

/** The system is not in a state to do this now (e.g. the frame lives on another worker). */
export class FailedPreconditionError extends PolaroidError {
  override readonly code: GrpcCode = GrpcCode.FAILED_PRECONDITION;
  override readonly reason: string = "FAILED_PRECONDITION";
}

/** A dependency (another service, NATS) cannot be reached; the call may be retried. */
export class UnavailableError extends PolaroidError {
  override readonly code: GrpcCode = GrpcCode.UNAVAILABLE;
  override readonly reason: string = "UNAVAILABLE";
}

/** The call was cancelled by the caller. */
export class CancelledError extends PolaroidError {
  override readonly code: GrpcCode = GrpcCode.CANCELLED;
  override readonly reason: string = "CANCELLED";
}

/** The call ran past its deadline. */
export class DeadlineExceededError extends PolaroidError {
  override readonly code: GrpcCode = GrpcCode.DEADLINE_EXCEEDED;
  override readonly reason: string = "DEADLINE_EXCEEDED";
}

/** The method is not implemented by this server. */
export class UnimplementedError extends PolaroidError {
  override readonly code: GrpcCode = GrpcCode.UNIMPLEMENTED;
  override readonly reason: string = "UNIMPLEMENTED";
}

/** A bug or an unexpected failure; the message is generic, the cause is logged. */
export class InternalError extends PolaroidError {}

type ErrorClass = new (message: string, options?: PolaroidErrorOptions) => PolaroidError;

const BY_REASON: ReadonlyMap<string, ErrorClass> = new Map<string, ErrorClass>([
  ["INVALID_ARGUMENT", InvalidArgumentError],
  ["COLUMN_NOT_FOUND", ColumnNotFoundError],
  ["INVALID_PLAN", InvalidPlanError],
  ["QUERY_FAILED", QueryError],
  ["INVALID_ARROW", InvalidArrowError],
  ["NOT_FOUND", NotFoundError],
  ["HANDLE_NOT_FOUND", HandleNotFoundError],
  ["HANDLE_LOST", HandleLostError],
  ["ALREADY_EXISTS", AlreadyExistsError],
  ["LIMIT_EXCEEDED", LimitExceededError],
  ["UNAUTHENTICATED", UnauthenticatedError],
  ["PERMISSION_DENIED", PermissionDeniedError],
  ["FAILED_PRECONDITION", FailedPreconditionError],
  ["UNAVAILABLE", UnavailableError],
  ["CANCELLED", CancelledError],
  ["DEADLINE_EXCEEDED", DeadlineExceededError],
  ["UNIMPLEMENTED", UnimplementedError],
  ["INTERNAL", InternalError],
]);

const BY_CODE: ReadonlyMap<number, ErrorClass> = new Map<number, ErrorClass>([
  [GrpcCode.CANCELLED, CancelledError],
  [GrpcCode.INVALID_ARGUMENT, InvalidArgumentError],
  [GrpcCode.DEADLINE_EXCEEDED, DeadlineExceededError],
  [GrpcCode.NOT_FOUND, NotFoundError],
  [GrpcCode.ALREADY_EXISTS, AlreadyExistsError],
  [GrpcCode.PERMISSION_DENIED, PermissionDeniedError],
  [GrpcCode.RESOURCE_EXHAUSTED, LimitExceededError],
  [GrpcCode.FAILED_PRECONDITION, FailedPreconditionError],
  [GrpcCode.UNIMPLEMENTED, UnimplementedError],
  [GrpcCode.UNAVAILABLE, UnavailableError],
  [GrpcCode.UNAUTHENTICATED, UnauthenticatedError],
  [GrpcCode.DATA_LOSS, HandleLostError],
]);

/**
 * Rebuilds the error class a server sent, from its reason when known, else from its gRPC
 * code.
 */
export function errorFromStatus(
  code: number,
  message: string,
  reason?: string,
  metadata: Record<string, string> = {},
): PolaroidError {
  const cls = (reason ? BY_REASON.get(reason) : undefined) ?? BY_CODE.get(code) ?? InternalError;
  return new cls(message, { metadata });
}
