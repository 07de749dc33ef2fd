/**
 * The wire form of PolaroidError: a gRPC status code, the message, and a google.rpc.Status
 * with one ErrorInfo (reason, domain, metadata) in the `grpc-status-details-bin` trailer.
 * This is the one place errors are mapped to and from the wire.
 *
 * @module
 */

import { Metadata, type ServiceError, type StatusObject } from "@grpc/grpc-js";
import { ErrorInfo, Status } from "../gen/google/rpc/status.ts";
import { ERROR_DOMAIN, errorFromStatus, GrpcCode, PolaroidError } from "../errors.ts";

const DETAILS_KEY = "grpc-status-details-bin";
const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";

/** Encodes a PolaroidError as the status object grpc-js sends. */
export function toStatusObject(error: PolaroidError, message = error.message): StatusObject {
  const info = ErrorInfo.encode({
    reason: error.reason,
    domain: ERROR_DOMAIN,
    metadata: error.metadata,
  }).finish();
  const status = Status.encode({
    code: error.code,
    message,
    details: [{ typeUrl: ERROR_INFO_TYPE, value: Buffer.from(info) }],
  }).finish();
  const metadata = new Metadata();
  metadata.set(DETAILS_KEY, Buffer.from(status));
  return { code: error.code, details: message, metadata };
}

/** Decodes a failed call into the PolaroidError class the server meant. */
export function fromServiceError(error: unknown): PolaroidError {
  if (error instanceof PolaroidError) return error;
  const e = error as Partial<ServiceError>;
  if (typeof e?.code !== "number") return PolaroidError.from(error);
  let reason: string | undefined;
  let metadata: Record<string, string> = {};
  const raw = e.metadata?.get(DETAILS_KEY)[0];
  if (raw instanceof Uint8Array) {
    try {
      const status = Status.decode(raw);
      const detail = status.details.find((d) => d.typeUrl === ERROR_INFO_TYPE);
      if (detail) {
        const info = ErrorInfo.decode(detail.value);
        if (info.domain === ERROR_DOMAIN) {
          reason = info.reason;
          metadata = info.metadata;
        }
      }
    } catch {
      // A peer that is not Polaroid: fall back to the status code.
    }
  }
  const message = e.details || e.message || "call failed";
  const result = errorFromStatus(
    e.code === GrpcCode.OK
      ? GrpcCode.UNKNOWN
      // grpc-js says INTERNAL itself when the connection broke under a call (a reset stream
      // after EPIPE or ECONNRESET: the peer died); a server's INTERNAL carries details. The
      // server never answered: UNAVAILABLE, which clients may retry or resume elsewhere.
      : e.code === GrpcCode.INTERNAL && !(raw instanceof Uint8Array)
      ? GrpcCode.UNAVAILABLE
      : e.code,
    message,
    reason,
    metadata,
  );
  (result as { cause?: unknown }).cause = error;
  return result;
}
