/**
 * Errors on the bulk port (docs/adr/0016): an HTTP status for the PolaroidError, and a JSON
 * body with its gRPC code, reason and message, from which the SDK rebuilds the same class
 * (as it does from a gRPC status). An internal error's message is not sent (it is logged).
 *
 * @module
 */

import { GrpcCode, InternalError, PolaroidError } from "../../../shared/errors.ts";

const HTTP_STATUS: Partial<Record<number, number>> = {
  [GrpcCode.CANCELLED]: 499,
  [GrpcCode.INVALID_ARGUMENT]: 400,
  [GrpcCode.DEADLINE_EXCEEDED]: 504,
  [GrpcCode.NOT_FOUND]: 404,
  [GrpcCode.ALREADY_EXISTS]: 409,
  [GrpcCode.PERMISSION_DENIED]: 403,
  [GrpcCode.RESOURCE_EXHAUSTED]: 429,
  [GrpcCode.FAILED_PRECONDITION]: 412,
  [GrpcCode.UNIMPLEMENTED]: 501,
  [GrpcCode.UNAVAILABLE]: 503,
  [GrpcCode.UNAUTHENTICATED]: 401,
};

/** The body of an error answer. */
export interface BulkErrorBody {
  code: number;
  reason: string;
  message: string;
  metadata: Record<string, string>;
}

/** The answer for `error`, with its HTTP status (or `status` when given). */
export function errorReply(
  error: unknown,
  options: { status?: number; headers?: Record<string, string> } = {},
): Response {
  const e = PolaroidError.from(error);
  const hidden = e instanceof InternalError && !(error instanceof PolaroidError);
  const body: BulkErrorBody = {
    code: e.code,
    reason: e.reason,
    message: hidden ? "Cannot complete the bulk transfer as the server failed" : e.message,
    metadata: e.metadata,
  };
  return new Response(JSON.stringify(body), {
    status: options.status ?? HTTP_STATUS[e.code] ?? 500,
    headers: { "content-type": "application/json", ...options.headers },
  });
}
