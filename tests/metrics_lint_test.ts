/**
 * The metrics every service serves on /metrics pass `promtool check metrics` (Prometheus'
 * naming and exposition lint: counters end in _total, base units, HELP on every metric, ...),
 * read from a real cluster after a little load: a query collected on compute, an ingest
 * source fed over NATS, and the external handle store with garbage collection running.
 */

import assert from "node:assert/strict";
import { connect as connectNats } from "@nats-io/transport-node";
import { col, connect, connectIngest } from "../sdk/mod.ts";
import { ensureCommand } from "../scripts/_debian.ts";
import { waitForSource } from "./_ingest.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-metrics-lint-" });
const cluster = await testCluster({
  env: {
    POLAROID_HANDLE_STORE: "external",
    POLAROID_STATE_DIR: stateDir,
    POLAROID_GC_INTERVAL_MS: "200",
  },
});
Deno.test.afterAll(async () => {
  await cluster.stop();
  await Deno.remove(stateDir, { recursive: true });
});

/** Runs a query on compute and feeds an ingest source, so that labelled series exist. */
async function load(): Promise<void> {
  await using client = await connect({ endpoint: cluster.endpoints.compute });
  await using df = await client.fromRecords([{ sym: "a", px: 1.5 }, { sym: "b", px: 2.5 }]);
  await using kept = await df.lazy().filter(col("px").gt(2)).collect();
  assert.equal(kept.height, 1);
  await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
  const source = await ingest.addNatsSource({ name: "ticks", subject: "lint.ticks" });
  const nats = await connectNats({ servers: cluster.endpoints.nats });
  try {
    const encoder = new TextEncoder();
    for (let i = 0; i < 10; i++) {
      nats.publish(source.natsSubject, encoder.encode(`{"seq":${i}}`));
    }
    nats.publish(source.natsSubject, encoder.encode("not json"));
    await nats.flush();
  } finally {
    await nats.close();
  }
  // Committed to its live table too: the commit counter and lag histogram exist.
  await waitForSource(
    cluster.endpoints.ingest,
    "ticks",
    (s) => s.rows === 10n && s.committedRows === 10n,
  );
}

/** What `promtool check metrics` says of `exposition` (empty when it finds nothing). */
async function lint(promtool: string, exposition: string): Promise<string> {
  const child = new Deno.Command(promtool, {
    args: ["check", "metrics"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(exposition));
  await writer.close();
  const out = await child.output();
  const text = (new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr))
    .trim();
  // promtool exits non-zero on some problems only: any output is a problem.
  return out.success ? text : `${text}\n(promtool exited with ${out.code})`.trim();
}

Deno.test({
  name: "promtool check metrics finds no problem in /metrics of compute, handles and ingest",
  ...INTEGRATION,
  async fn() {
    await load();
    const promtool = await ensureCommand("promtool", { package: "prometheus" });
    const services = {
      compute: cluster.endpoints.computeHttp,
      handles: cluster.endpoints.handlesHttp,
      ingest: cluster.endpoints.ingestHttp,
    };
    const problems: string[] = [];
    for (const [service, http] of Object.entries(services)) {
      const response = await fetch(`${http}/metrics`);
      assert.equal(response.status, 200, service);
      const exposition = await response.text();
      // The load reached every service.
      assert.match(exposition, /^polaroid_grpc_requests_total\{/m, service);
      assert.match(exposition, /^polaroid_grpc_queue_seconds_bucket\{/m, service);
      const report = await lint(promtool, exposition);
      if (report !== "") problems.push(`${service}:\n${report}`);
    }
    assert.match(
      await (await fetch(`${services.ingest}/metrics`)).text(),
      /^polaroid_ingest_rejected_total\{[^}]*source="ticks"[^}]*\} 1$/m,
    );
    // The series of the engine, the job queue and the live-table commits were linted too.
    const compute = await (await fetch(`${services.compute}/metrics`)).text();
    for (const name of ["polaroid_compute_engine_seconds_bucket", "polaroid_jobs_queued"]) {
      assert.match(compute, new RegExp(`^${name}\\{`, "m"), name);
    }
    const ingest = await (await fetch(`${services.ingest}/metrics`)).text();
    for (
      const name of ["polaroid_ingest_commit_lag_seconds_bucket", "polaroid_ingest_commits_total"]
    ) {
      assert.match(ingest, new RegExp(`^${name}\\{[^}]*source="ticks"`, "m"), name);
    }
    if (problems.length > 0) console.error(problems.join("\n\n"));
    assert.deepEqual(problems, [], "promtool check metrics reported problems (printed above)");
  },
});
