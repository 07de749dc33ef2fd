/**
 * The span of each gRPC call a server handles (OpenTelemetry's RPC conventions: `rpc.system`,
 * `rpc.service`, `rpc.method`, `rpc.grpc.status_code`), a child of the caller's span when its
 * metadata carries a `traceparent`; and the `traceparent` RpcClient sends.
 *
 * @module
 */

import type { Metadata } from "@grpc/grpc-js";
import { trace } from "@opentelemetry/api";
import type { PolaroidError } from "../errors.ts";
import {
  type Context,
  extractContext,
  injectContext,
  metadataCarrier,
  recordFailure,
  type Span,
  SpanKind,
  tracer,
} from "../telemetry/tracing.ts";

/** A call's server span and the context its handler runs in. */
export function serverSpan(method: string, metadata: Metadata): { span: Span; context: Context } {
  const parent = extractContext(metadataCarrier(metadata));
  const [service = "", name = ""] = method.slice(1).split("/");
  const span = tracer.startSpan(`${service}/${name}`, {
    kind: SpanKind.SERVER,
    attributes: { "rpc.system": "grpc", "rpc.service": service, "rpc.method": name },
  }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Ends a call's span with its status code (and failure) and its tenant. */
export function endServerSpan(span: Span, tenant: string, error?: PolaroidError): void {
  span.setAttribute("rpc.grpc.status_code", error ? error.code : 0);
  span.setAttribute("polaroid.tenant", tenant);
  if (error) recordFailure(span, error);
  span.end();
}

/** Adds the active trace context to an outgoing call's metadata. */
export function injectCallContext(metadata: Metadata): void {
  injectContext(metadataCarrier(metadata));
}
