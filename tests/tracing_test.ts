/**
 * One SDK call's trace followed across processes from the spans they export: a client process
 * (tests/tracing_client.ts) runs one pipeline step under a root span against a cluster of two
 * compute workers whose services export to the project's trace sink (Deno's built-in
 * OpenTelemetry, OTLP/HTTP JSON). The trace holds the client's root, compute's RPC spans with
 * the plan's stages, the handles service's RPC spans (through gRPC metadata), and the freed
 * event as received by both workers over NATS (through message headers), the one that held the
 * frame dropping it; every span's parent is in the trace, and the services' log lines of those
 * calls carry the trace id. A job the client submits runs in the same trace (job.run, with the
 * plan's spans inside), and an ingest source's commits to its live table are traced
 * (ingest.commit, each the root of its own trace).
 *
 * @module
 */

import assert from "node:assert/strict";
import { connect as connectNats } from "@nats-io/transport-node";
import { connectIngest } from "../sdk/mod.ts";
import { type SinkSpan, startTraceSink } from "../services/observability/trace_sink.ts";
import { traceTree } from "../scripts/trace.ts";
import { waitFor } from "../scripts/_wait.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const ROOT = new URL("..", import.meta.url).pathname;

Deno.test(
  "one SDK call's trace runs through compute, handles and NATS to the worker that drops the frame",
  INTEGRATION,
  async () => {
    await using sink = await startTraceSink();
    const otel = {
      OTEL_DENO: "true",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_BSP_SCHEDULE_DELAY: "200",
    };
    const logDir = await Deno.makeTempDir({ prefix: "polaroid-tracing-logs-" });
    const liveDir = await Deno.makeTempDir({ prefix: "polaroid-tracing-live-" });
    await using cluster = await testCluster({
      workers: 2,
      logDir,
      env: otel,
      serviceEnv: {
        compute: { OTEL_SERVICE_NAME: "compute" },
        handles: { OTEL_SERVICE_NAME: "handles" },
        // A state store, so that its sources commit to live tables.
        ingest: { OTEL_SERVICE_NAME: "ingest", POLAROID_STATE_DIR: liveDir },
      },
    });
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", `${ROOT}tests/tracing_client.ts`, cluster.endpoints.compute],
        env: { ...otel, OTEL_SERVICE_NAME: "client" },
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(120_000),
      }).output();
      const text = (b: Uint8Array) => new TextDecoder().decode(b);
      assert.equal(out.code, 0, text(out.stderr));
      const traceId = text(out.stdout).trim();
      assert.match(traceId, /^[0-9a-f]{32}$/);

      const named = (spans: SinkSpan[], name: string, service: string) =>
        spans.filter((s) => s.name === name && s.service === service);
      // Each service exports in its own batches: wait until the last hop (the freed events) is
      // in and every span's parent has arrived too.
      let spans: SinkSpan[] = [];
      await waitFor(() => {
        spans = sink.spans(traceId);
        const ids = new Set(spans.map((s) => s.spanId));
        return named(spans, "handle.freed receive", "compute").length >= 4 &&
          named(spans, "job.run", "compute").length === 1 &&
          spans.every((s) => s.parentSpanId === "" || ids.has(s.parentSpanId));
      }, { timeoutMs: 30_000, what: "the whole trace, its freed events' spans included" });
      const tree = traceTree(spans).join("\n");
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      const parentOf = (s: SinkSpan) => byId.get(s.parentSpanId);
      const ancestors = (s: SinkSpan) => {
        const out: SinkSpan[] = [];
        for (let p = parentOf(s); p; p = parentOf(p)) out.push(p);
        return out;
      };

      const [root] = named(spans, "pipeline step", "client");
      assert.ok(root, tree);
      for (const span of spans) {
        if (span !== root) {
          assert.ok(
            parentOf(span),
            `${span.name} [${span.service}] has no parent in:\n${tree}`,
          );
        }
      }
      // Compute's Execute with the plan's stages under it.
      const [execute] = named(spans, "polaroid.v1.DataFrameService/Execute", "compute");
      assert.ok(execute, tree);
      assert.equal(execute.attributes["rpc.system"], "grpc");
      assert.equal(execute.attributes["rpc.grpc.status_code"], 0);
      assert.equal(execute.attributes["polaroid.tenant"], "default");
      for (const stage of ["plan.prepare", "plan.run", "result.keep"]) {
        const [span] = named(spans, stage, "compute").filter((s) => ancestors(s).includes(execute));
        assert.ok(span, `${stage} under Execute in:\n${tree}`);
      }
      // The handles service registered the result inside result.keep, over the worker's
      // registration stream (the trace context travels in each request).
      const registers = named(spans, "handles.register", "handles");
      assert.ok(registers.some((r) => ancestors(r).some((a) => a.name === "result.keep")), tree);
      assert.ok(registers.every((r) => r.kind === 2), "SPAN_KIND_SERVER");
      // The release went to the handles service, whose freed event both workers received over
      // NATS. The worker that held the frame drops it on whichever comes first, the event or
      // the answer to the release, which passed through it (releaseThroughWorker), so at most
      // one receive span says it dropped the frame.
      const releases = named(spans, "polaroid.v1.HandleService/ReleaseHandle", "handles");
      assert.equal(releases.length, 2, tree);
      for (const release of releases) {
        // Published in a PRODUCER span of the release, the receive spans' parent.
        const [published] = named(spans, "handle.freed publish", "handles")
          .filter((s) => parentOf(s) === release);
        assert.ok(published, `the freed event's publish under ReleaseHandle in:\n${tree}`);
        assert.equal(published.kind, 4, "SPAN_KIND_PRODUCER");
        const received = named(spans, "handle.freed receive", "compute")
          .filter((s) => parentOf(s) === published);
        assert.equal(received.length, 2, `both workers received it:\n${tree}`);
        const dropped = received.map((s) => s.attributes["polaroid.dropped"]);
        assert.ok(dropped.every((d) => typeof d === "boolean"), String(dropped));
        assert.ok(dropped.filter((d) => d === true).length <= 1, String(dropped));
      }

      // The job ran from the queue in the trace of its SubmitJob call, its plan inside it.
      const [submit] = named(spans, "polaroid.v1.JobService/SubmitJob", "compute");
      const [run] = named(spans, "job.run", "compute");
      assert.ok(submit && run, tree);
      assert.ok(ancestors(run).includes(submit), `job.run under SubmitJob in:\n${tree}`);
      assert.equal(run.attributes["polaroid.job"], "traced-job");
      assert.equal(run.attributes["polaroid.tenant"], "default");
      assert.equal(run.attributes["polaroid.job.status"], "succeeded");
      for (const stage of ["plan.prepare", "plan.run", "result.keep"]) {
        const [span] = named(spans, stage, "compute").filter((s) => ancestors(s).includes(run));
        assert.ok(span, `${stage} under job.run in:\n${tree}`);
      }

      // The log lines of the traced calls carry its trace id.
      const logs = await Deno.readTextFile(`${logDir}/compute.log`);
      const traced = logs.split("\n").filter((l) => l.includes(`"trace_id":"${traceId}"`));
      assert.ok(
        traced.some((l) => l.includes("DataFrameService/Execute")),
        "Execute's rpc log line",
      );
      assert.ok(
        traced.some((l) => l.includes('"msg":"frame freed"')),
        "the dropped frame's log line",
      );

      // An ingest source's batch committed to its live table: an ingest.commit span.
      await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
      const source = await ingest.addNatsSource({
        name: "traced",
        subject: "traced.*",
        maxBatchRows: 100,
        maxBatchDelayMs: 20,
      });
      const nats = await connectNats({ servers: cluster.endpoints.nats });
      try {
        const subject = source.natsSubject.replace("*", "x");
        for (let i = 0; i < 5; i++) nats.publish(subject, new TextEncoder().encode(`{"px":${i}}`));
        await nats.flush();
      } finally {
        await nats.close();
      }
      let commits: SinkSpan[] = [];
      await waitFor(async () => {
        const traces = await (await fetch(`${sink.url}/traces`)).json() as {
          traceId: string;
          root: string;
          service: string;
        }[];
        commits = traces
          .filter((t) => t.root === "ingest.commit" && t.service === "ingest")
          .flatMap((t) => named(sink.spans(t.traceId), "ingest.commit", "ingest"));
        return commits.reduce((n, s) => n + Number(s.attributes["polaroid.rows"]), 0) === 5;
      }, { timeoutMs: 15_000, what: "the ingest.commit spans of 5 rows" });
      for (const commit of commits) {
        assert.equal(commit.parentSpanId, "");
        assert.equal(commit.attributes["polaroid.source"], "traced");
        assert.equal(commit.attributes["polaroid.tenant"], "default");
        assert.ok(Number(commit.attributes["polaroid.bytes"]) > 0);
      }
    } finally {
      await Deno.remove(cluster.dataRoot, { recursive: true }).catch(() => {});
      await Deno.remove(logDir, { recursive: true }).catch(() => {});
      await Deno.remove(liveDir, { recursive: true }).catch(() => {});
    }
  },
);
