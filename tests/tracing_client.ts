/**
 * The client side of tests/tracing_test.ts, run as its own process with OTEL_DENO=true: one
 * pipeline step under a root span (upload, a filter kept as a handle, a job over the upload
 * run from the queue, the upload and the filter released), then it prints the root span's
 * trace id.
 *
 * Usage: deno run -A tests/tracing_client.ts <compute endpoint>
 *
 * @module
 */

import { trace } from "@opentelemetry/api";
import { col, connect } from "../sdk/mod.ts";

const endpoint = Deno.args[0]!;
const tracer = trace.getTracer("polaroid-test-client");
const traceId = await tracer.startActiveSpan("pipeline step", async (span) => {
  try {
    const client = await connect({ endpoint });
    try {
      const trades = await client.fromRecords(
        Array.from({ length: 1000 }, (_, i) => ({ sym: i % 2 ? "A" : "B", qty: i })),
      );
      const big = await trades.lazy().filter(col("qty").gtEq(500)).collect();
      await big.release();
      // Its result is left to its TTL: the test counts the releases above.
      const job = await trades.lazy().filter(col("qty").lt(10)).submit({ jobId: "traced-job" });
      await job.wait({ timeoutMs: 30_000 });
      await trades.release();
    } finally {
      await client.close();
    }
    return span.spanContext().traceId;
  } finally {
    span.end();
  }
});
console.log(traceId);
