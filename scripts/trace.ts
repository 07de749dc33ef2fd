/**
 * `deno task trace <trace id> [--sink http://127.0.0.1:4318]`: prints one trace from the trace
 * sink (services/observability/trace_sink.ts) as an indented tree, each span with its service,
 * its duration and the attributes that say what it did, so that a person sees where a
 * query's time went without Grafana or Jaeger. `deno task trace` alone lists recent traces.
 *
 * @module
 */

import type { SinkSpan } from "../services/observability/trace_sink.ts";

/** Attributes worth a place on a span's line. */
const SHOWN = [
  "polaroid.tenant",
  "polaroid.handle",
  "polaroid.rows",
  "polaroid.bytes",
  "polaroid.engine",
  "polaroid.inputs",
  "polaroid.reason",
  "polaroid.dropped",
  "rpc.grpc.status_code",
  "messaging.destination.name",
];

function ms(ns: bigint): string {
  return `${(Number(ns) / 1e6).toFixed(2)} ms`;
}

/** A trace as indented lines: children under their parent, in start order. */
export function traceTree(spans: readonly SinkSpan[]): string[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, SinkSpan[]>();
  const roots: SinkSpan[] = [];
  for (const span of [...spans].sort((a, b) => (a.startNs < b.startNs ? -1 : 1))) {
    if (span.parentSpanId === "" || !ids.has(span.parentSpanId)) roots.push(span);
    else children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
  }
  const origin = roots[0]?.startNs ?? 0n;
  const lines: string[] = [];
  const walk = (span: SinkSpan, depth: number) => {
    const attrs = SHOWN.filter((k) => span.attributes[k] !== undefined)
      .map((k) => `${k.replace(/^polaroid\./, "")}=${span.attributes[k]}`);
    const failed = span.status.code === 2 ? ` FAILED: ${span.status.message}` : "";
    lines.push(
      `${"  ".repeat(depth)}${span.name} [${span.service}] ${ms(span.endNs - span.startNs)} (+${
        ms(span.startNs - origin)
      })${attrs.length ? ` ${attrs.join(" ")}` : ""}${failed}`,
    );
    for (const child of children.get(span.spanId) ?? []) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return lines;
}

async function main(args: string[]): Promise<number> {
  const at = args.indexOf("--sink");
  const sink = at >= 0
    ? args[at + 1]!
    : Deno.env.get("POLAROID_TRACE_SINK") ?? "http://127.0.0.1:4318";
  const id = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--sink");
  const response = await fetch(`${sink}/traces${id ? `/${id}` : ""}`, {
    signal: AbortSignal.timeout(10_000),
  }).catch((error) => {
    console.error(`Cannot reach the trace sink at ${sink}: ${error}`);
    return undefined;
  });
  if (!response) return 1;
  if (!response.ok) {
    console.error(`The trace sink answered ${response.status}: ${await response.text()}`);
    return 1;
  }
  if (!id) {
    for (
      const t of await response.json() as {
        traceId: string;
        spans: number;
        root: string;
        service: string;
      }[]
    ) {
      console.log(`${t.traceId}  ${t.spans} spans  ${t.root} [${t.service}]`);
    }
    return 0;
  }
  const spans = (await response.json() as (Omit<SinkSpan, "startNs" | "endNs"> & {
    startNs: string;
    endNs: string;
  })[]).map((s) => ({ ...s, startNs: BigInt(s.startNs), endNs: BigInt(s.endNs) }));
  for (const line of traceTree(spans)) console.log(line);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
