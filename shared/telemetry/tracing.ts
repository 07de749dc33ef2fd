/**
 * Traces: Polaroid's own spans on top of Deno's built-in OpenTelemetry (`OTEL_DENO=true`
 * exports them over OTLP; docs/observability.md). Without it every call here is a no-op of
 * the API's, so tracing costs nothing when it is off.
 *
 * Context crosses processes as W3C `traceparent` (and `tracestate`): in gRPC metadata (the
 * server wrapper extracts it, since Deno sets no active span inside grpc-js handlers, and
 * RpcClient injects it) and in NATS message headers.
 *
 * @module
 */

import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

export { type Context, type Span, SpanKind };

/** The tracer of every Polaroid span. */
export const tracer = trace.getTracer("polaroid");

/** Something that carries string headers: gRPC metadata, NATS headers, a plain record. */
export interface HeaderCarrier {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

const getter = {
  keys: (carrier: HeaderCarrier) => ["traceparent", "tracestate"].filter((k) => carrier.get(k)),
  get: (carrier: HeaderCarrier, key: string) => carrier.get(key),
};
const setter = {
  set: (carrier: HeaderCarrier, key: string, value: string) => carrier.set(key, value),
};

/** Writes the active context (when it has a span) into `carrier`. */
export function injectContext(carrier: HeaderCarrier, from: Context = context.active()): void {
  if (trace.getSpan(from) === undefined) return;
  propagation.inject(from, carrier, setter);
}

/** The context `carrier` brings from another process (the active one when it brings none). */
export function extractContext(carrier: HeaderCarrier): Context {
  return propagation.extract(context.active(), carrier, getter);
}

/** Runs `fn` with `ctx` as the active context. */
export function withContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}

/** The active span's trace and span ids, for log lines; none without a recording span. */
export function activeIds(): { trace_id: string; span_id: string } | undefined {
  return spanIds(trace.getActiveSpan());
}

/** A span's ids, or none when it records nothing (tracing off). */
export function spanIds(span: Span | undefined): { trace_id: string; span_id: string } | undefined {
  if (!span?.isRecording()) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** Marks a span failed with `error`. */
export function recordFailure(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500),
  });
}

/**
 * Runs `fn` in a new child span of the active one, named `name` with `attributes`; the span
 * ends when `fn` settles and records its failure. `fn` may add attributes to the span.
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return await tracer.startActiveSpan(name, { attributes, kind }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs synchronous `fn` in a new span, a child of `parent` (the active context by default),
 * with the span active; the span ends when `fn` returns or throws.
 */
export function inSpanSync<T>(
  name: string,
  options: { attributes?: Attributes; kind?: SpanKind; parent?: Context },
  fn: (span: Span) => T,
): T {
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(name, {
    attributes: options.attributes ?? {},
    kind: options.kind ?? SpanKind.INTERNAL,
  }, parent);
  try {
    return context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** gRPC metadata as a HeaderCarrier (the first value of a key). */
export function metadataCarrier(metadata: {
  get(key: string): unknown[];
  set(key: string, value: string): void;
}): HeaderCarrier {
  return {
    get: (key) => {
      const value = metadata.get(key)[0];
      return typeof value === "string" ? value : undefined;
    },
    set: (key, value) => metadata.set(key, value),
  };
}
