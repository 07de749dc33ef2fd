/**
 * A small trace sink for local clusters and tests: an OTLP/HTTP receiver (JSON encoding, as
 * services send it with `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) that keeps the spans of the
 * most recent traces in memory and serves them back:
 *
 * - `POST /v1/traces` takes spans; `/v1/logs` and `/v1/metrics` are accepted and dropped;
 * - `GET /traces` lists the kept traces (newest first), `GET /traces/<trace id>` one trace's spans.
 *
 * `deno task trace <trace id>` prints a trace as a tree (scripts/trace.ts). Run on its own:
 * `deno run -A services/observability/trace_sink.ts [--port 4318]`.
 *
 * @module
 */

/** One span, flattened from OTLP. */
export interface SinkSpan {
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  name: string;
  /** The service that sent it (its `service.name`). */
  service: string;
  /** OTLP's SpanKind number (1 internal, 2 server, 3 client, 4 producer, 5 consumer). */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean>;
  /** OTLP's status code (0 unset, 1 ok, 2 error) and message. */
  status: { code: number; message: string };
}

/** Bounds of the sink. */
export interface TraceSinkOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Traces kept; the oldest goes first. @default 1000 */
  maxTraces?: number;
  /** Spans kept per trace. @default 10000 */
  maxSpansPerTrace?: number;
  /** Largest request body taken. @default 16 MiB */
  maxBodyBytes?: number;
}

export interface TraceSink extends AsyncDisposable {
  readonly url: string;
  /** The spans of a trace, in start order (none when unknown). */
  spans(traceId: string): SinkSpan[];
  close(): Promise<void>;
}

type OtlpValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
};
type OtlpAttribute = { key: string; value?: OtlpValue };

function valueOf(value: OtlpValue | undefined): string | number | boolean {
  if (!value) return "";
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  return "";
}

function attributesOf(
  list: OtlpAttribute[] | undefined,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const a of list ?? []) out[a.key] = valueOf(a.value);
  return out;
}

interface OtlpSpans {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: {
        traceId?: string;
        spanId?: string;
        parentSpanId?: string;
        name?: string;
        kind?: number;
        startTimeUnixNano?: string | number;
        endTimeUnixNano?: string | number;
        attributes?: OtlpAttribute[];
        status?: { code?: number; message?: string };
      }[];
    }[];
  }[];
}

/** The spans of an OTLP JSON export request. */
export function spansOf(body: OtlpSpans): SinkSpan[] {
  const out: SinkSpan[] = [];
  for (const resource of body.resourceSpans ?? []) {
    const service = String(attributesOf(resource.resource?.attributes)["service.name"] ?? "");
    for (const scope of resource.scopeSpans ?? []) {
      for (const s of scope.spans ?? []) {
        if (!s.traceId || !s.spanId) continue;
        out.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? "",
          name: s.name ?? "",
          service,
          kind: s.kind ?? 0,
          startNs: BigInt(s.startTimeUnixNano ?? 0),
          endNs: BigInt(s.endTimeUnixNano ?? 0),
          attributes: attributesOf(s.attributes),
          status: { code: s.status?.code ?? 0, message: s.status?.message ?? "" },
        });
      }
    }
  }
  return out;
}

const json = (value: unknown, status = 200) =>
  new Response(
    JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
    { status, headers: { "content-type": "application/json" } },
  );

/** Starts the sink. */
export function startTraceSink(options: TraceSinkOptions = {}): Promise<TraceSink> {
  const maxTraces = options.maxTraces ?? 1000;
  const maxSpans = options.maxSpansPerTrace ?? 10_000;
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  /** Insertion order is age: the first key is the oldest trace. */
  const traces = new Map<string, SinkSpan[]>();
  const keep = (span: SinkSpan) => {
    let list = traces.get(span.traceId);
    if (!list) {
      list = [];
      traces.set(span.traceId, list);
      while (traces.size > maxTraces) traces.delete(traces.keys().next().value!);
    }
    if (list.length < maxSpans) list.push(span);
  };
  const handler = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path.startsWith("/v1/")) {
      const length = Number(request.headers.get("content-length") ?? "0");
      if (length > maxBody) return json({ error: `body over ${maxBody} bytes` }, 413);
      if (path !== "/v1/traces") {
        await request.body?.cancel();
        return json({});
      }
      if (!(request.headers.get("content-type") ?? "").includes("json")) {
        return json({ error: "send OTLP as JSON (OTEL_EXPORTER_OTLP_PROTOCOL=http/json)" }, 415);
      }
      const text = await request.text();
      if (text.length > maxBody) return json({ error: `body over ${maxBody} bytes` }, 413);
      try {
        for (const span of spansOf(JSON.parse(text) as OtlpSpans)) keep(span);
      } catch {
        return json({ error: "not an OTLP JSON export request" }, 400);
      }
      return json({});
    }
    if (request.method === "GET" && path === "/traces") {
      const list = [...traces.entries()].reverse().map(([id, spans]) => {
        const root = spans.find((s) =>
          s.parentSpanId === "" || !spans.some((p) => p.spanId === s.parentSpanId)
        );
        return {
          traceId: id,
          spans: spans.length,
          root: root?.name ?? "",
          service: root?.service ?? "",
        };
      });
      return json(list);
    }
    const match = /^\/traces\/([0-9a-f]{32})$/.exec(path);
    if (request.method === "GET" && match) {
      const spans = traces.get(match[1]!);
      return spans
        ? json([...spans].sort((a, b) => (a.startNs < b.startNs ? -1 : 1)))
        : json({ error: "no such trace" }, 404);
    }
    return json({ error: "not found" }, 404);
  };
  return new Promise((resolve) => {
    const server = Deno.serve({
      port: options.port ?? 0,
      hostname: options.host ?? "127.0.0.1",
      onListen: ({ hostname, port }) => {
        const sink: TraceSink = {
          url: `http://${hostname}:${port}`,
          spans: (traceId) =>
            [...(traces.get(traceId) ?? [])].sort((a, b) => (a.startNs < b.startNs ? -1 : 1)),
          close: () => server.shutdown(),
          [Symbol.asyncDispose]: () => server.shutdown(),
        };
        resolve(sink);
      },
    }, handler);
  });
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--port");
  const port = at >= 0 ? Number(Deno.args[at + 1]) : 4318;
  const sink = await startTraceSink({ port });
  console.log(
    `trace sink on ${sink.url} (OTLP/HTTP JSON): OTEL_DENO=true OTEL_EXPORTER_OTLP_PROTOCOL=http/json OTEL_EXPORTER_OTLP_ENDPOINT=${sink.url}`,
  );
}
