/**
 * The Grafana dashboards (services/observability/grafana) against a real cluster on the
 * external state store and a real Prometheus scraping it every second: after a small load
 * through the SDK (uploads, plans collected and executed, a cached plan, the streaming
 * engine, a failing query, a sink, a job, handles released, an ingest source that commits to
 * its live table, rejects and drops), every target of every panel, its Grafana macros substituted, returns at least
 * one series from Prometheus' query API.
 */

import assert from "node:assert/strict";
import { tableFromArrays } from "apache-arrow";
import { stringify } from "yaml";
import { connect as connectNats } from "@nats-io/transport-node";
import { col, connect, connectIngest, len, NotFoundError, openJob } from "../sdk/mod.ts";
import { ColumnNotFoundError } from "../shared/errors.ts";
import {
  HandleServiceService,
  HandleWorkerServiceService,
} from "../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { ensureCommand, findCommand } from "../scripts/_debian.ts";
import { ManagedChild } from "../scripts/_child.ts";
import { freePort } from "../scripts/_ports.ts";
import { httpOk, waitFor } from "../scripts/_wait.ts";
import { dashboards } from "../services/observability/grafana/dashboards.ts";
import { waitForSource } from "./_ingest.ts";
import { type Cluster, INTEGRATION, testCluster } from "./_harness.ts";

/** Grafana's macros as the queries are run here; template variables match everything. */
const MACROS: Record<string, string> = {
  __rate_interval: "30s",
  __interval: "5s",
  __range: "5m",
};

/** One target of one panel, its expr ready for Prometheus. */
interface PanelQuery {
  where: string;
  expr: string;
}

function panelQueries(): PanelQuery[] {
  return Object.values(dashboards()).flatMap((board) =>
    board.panels.flatMap((panel) =>
      panel.targets.map((target) => ({
        where: `${board.title} / ${panel.title} [${target.refId}]`,
        expr: target.expr.replace(/\$\{?(\w+)\}?/g, (_, name: string) => MACROS[name] ?? ".*"),
      }))
    )
  );
}

/** Prometheus on a free port scraping the cluster's /metrics every second. */
async function startPrometheus(
  cluster: Cluster,
  dir: string,
): Promise<AsyncDisposable & { url: string }> {
  const prometheus = await ensureCommand("prometheus");
  const { endpoints } = cluster;
  const hostPort = (url: string) => new URL(url).host;
  const jobs = {
    compute: endpoints.computeWorkersHttp.map(hostPort),
    handles: [hostPort(endpoints.handlesHttp)],
    ingest: [hostPort(endpoints.ingestHttp)],
  };
  await Deno.writeTextFile(
    `${dir}/prometheus.yml`,
    stringify({
      global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
      scrape_configs: Object.entries(jobs).map(([job, targets]) => ({
        job_name: job,
        metrics_path: "/metrics",
        static_configs: [{ targets }],
      })),
    }),
  );
  const url = `http://127.0.0.1:${freePort()}`;
  const child = new ManagedChild({
    name: "prometheus",
    command: prometheus,
    args: [
      `--config.file=${dir}/prometheus.yml`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=${new URL(url).host}`,
    ],
    env: {},
    cwd: dir,
    logFile: `${dir}/prometheus.log`,
    ready: () => httpOk(`${url}/-/ready`),
    setpriv: await findCommand("setpriv"),
  });
  child.start();
  try {
    await child.waitReady(30_000);
  } catch (error) {
    await child.stop(2000);
    throw new Error(`prometheus did not start:\n${child.tail()}`, { cause: error });
  }
  return { url, [Symbol.asyncDispose]: async () => void await child.stop(5000) };
}

/** Calls that make every panel's metrics exist. */
async function putLoad(cluster: Cluster): Promise<void> {
  const { endpoints } = cluster;
  await using client = await connect({ endpoint: endpoints.compute, tenant: "dash" });
  const rows = Array.from({ length: 2000 }, (_, i) => ({ a: i, g: i % 7 }));
  await using input = await client.fromRecords(rows);
  await using other = await client.fromArrow(tableFromArrays({ g: Int32Array.from([0, 1, 2]) }));
  // A handle left alive while Prometheus scrapes: the per-tenant gauges have a tenant to show.
  await client.fromRecords(rows.slice(0, 10), undefined, { name: "kept" });
  const lf = input.lazy().groupBy("g").agg(col("a").sum().alias("s"), len().alias("n")).sort("g");
  assert.equal((await lf.toRecords()).length, 7); // Collect of a plan
  await using first = await lf.collect(); // Execute, a plan cache miss...
  await using again = await lf.collect(); // ...then a hit
  assert.equal(again.id, first.id);
  await using fresh = await lf.collect({ cache: false });
  await using streamed = await lf.collect({ streaming: true, cache: false });
  assert.equal((await fresh.toRecords()).length, (await streamed.toRecords()).length);
  assert.equal((await other.toRecords()).length, 3); // Collect of a stored frame
  await assert.rejects(input.lazy().select(col("missing")).toRecords(), ColumnNotFoundError);
  await lf.sinkParquet("dashboards/result.parquet", { mkdir: true }).collect();
  const job = await lf.submit();
  await using result = await job.wait({ timeoutMs: 30_000 });
  assert.equal(result.height, 7);
  await assert.rejects(openJob(client, crypto.randomUUID()), NotFoundError);
  await loseHandle(endpoints.handles);
  await ingestWithRejectsAndDrops(cluster);
}

/**
 * Makes a handle lost the way a worker restart does: a stand-in worker registers a
 * memory-only handle, then heartbeats as a new incarnation (the cluster's own workers use
 * the external store, whose handles are never lost).
 */
async function loseHandle(endpoint: string): Promise<void> {
  const options = { tenant: "dash", timeoutMs: 10_000 };
  const handles = new RpcClient(endpoint, HandleServiceService, options);
  const workers = new RpcClient(endpoint, HandleWorkerServiceService, options);
  try {
    const worker = "dashboards-test-worker";
    const [before, after] = [crypto.randomUUID(), crypto.randomUUID()];
    await workers.unary("heartbeat", { worker, incarnation: before });
    await handles.unary("registerHandle", {
      schema: undefined,
      rows: 1n,
      bytes: 8n,
      ttlSeconds: 0n,
      worker,
      name: "",
      metadata: {},
      requestId: "",
      objectKey: "",
      objectPending: false,
      workerIncarnation: before,
    });
    const beat = await workers.unary("heartbeat", { worker, incarnation: after });
    assert.equal(beat.lost, 1);
  } finally {
    handles.close();
    workers.close();
  }
}

/**
 * A NATS source committing to its live table whose 1-byte bound on batches waiting for their
 * commit drops rows, fed one message that is not JSON.
 */
async function ingestWithRejectsAndDrops(cluster: Cluster): Promise<void> {
  await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
  const source = await ingest.addNatsSource({
    name: "ticks",
    subject: "ticks.*",
    maxBatchRows: 10,
    maxBatchDelayMs: 20,
    maxBufferBytes: 1,
  });
  const nats = await connectNats({ servers: cluster.endpoints.nats });
  try {
    const subject = source.natsSubject.replace("*", "x");
    const encoder = new TextEncoder();
    // First, so that it is rejected in the first batch rather than dropped after it.
    nats.publish(subject, encoder.encode("not json"));
    for (let i = 0; i < 100; i++) nats.publish(subject, encoder.encode(`{"px":${i}}`));
    await nats.flush();
  } finally {
    await nats.close();
  }
  await waitForSource(
    cluster.endpoints.ingest,
    "ticks",
    // The rows after the first batch arrive while it waits for its commit: dropped.
    (info) => info.rejected >= 1n && info.droppedRows > 0n && info.committedRows > 0n,
    15_000,
  );
}

/** Runs the queries until each returns a series or `timeoutMs` passes; those that did not. */
async function emptyQueries(
  prometheus: string,
  queries: readonly PanelQuery[],
  timeoutMs: number,
): Promise<string[]> {
  const pending = new Map(queries.map((q) => [q.expr, q]));
  const errors: string[] = [];
  await waitFor(async () => {
    for (const [expr, query] of pending) {
      const response = await fetch(
        `${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`,
        { signal: AbortSignal.timeout(5000) },
      );
      const body = await response.json() as {
        status: string;
        error?: string;
        data?: { result: unknown[] };
      };
      if (body.status !== "success") {
        errors.push(`${query.where}: ${body.error}\n    ${expr}`);
        pending.delete(expr);
      } else if ((body.data?.result.length ?? 0) > 0) {
        pending.delete(expr);
      }
    }
    return pending.size === 0;
  }, { timeoutMs, intervalMs: 1000, what: "every panel query to return a series" }).catch(
    () => {},
  );
  return [...errors, ...[...pending.values()].map((q) => `${q.where}: no series\n    ${q.expr}`)];
}

Deno.test({
  name: "every dashboard panel's query returns a series from Prometheus scraping a loaded cluster",
  ...INTEGRATION,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "polaroid-dashboards-" });
    try {
      for (const sub of ["prometheus", "state", "output"]) await Deno.mkdir(`${dir}/${sub}`);
      await using cluster = await testCluster({
        dataRoot: `${dir}/data`,
        env: {
          POLAROID_HANDLE_STORE: "external",
          POLAROID_STATE_DIR: `${dir}/state`,
          POLAROID_OUTPUT_ROOT: `${dir}/output`,
          POLAROID_GC_INTERVAL_MS: "1000",
        },
      });
      await using prometheus = await startPrometheus(cluster, `${dir}/prometheus`);
      await putLoad(cluster);
      const queries = panelQueries();
      const empty = await emptyQueries(prometheus.url, queries, 30_000);
      if (empty.length > 0) {
        console.log(`panel queries without a series (${empty.length}):\n  ${empty.join("\n  ")}`);
      }
      assert.deepEqual(empty, [], `${empty.length} of ${queries.length} panel queries failed`);
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
