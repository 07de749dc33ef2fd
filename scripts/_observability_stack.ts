/**
 * `deno task up --observability`: beside the cluster, the project's trace sink (every service
 * exports its spans there: `OTEL_DENO=true`, OTLP/HTTP JSON) and a Prometheus (Debian's,
 * installed when missing) scraping the cluster's HTTP ports with the alert rules loaded. The
 * banner says where to look; everything stops with the cluster.
 *
 * @module
 */

import { stringify } from "yaml";
import { ensureCommand } from "./_debian.ts";
import { freePort, portIsFree } from "./_ports.ts";
import { REPO_ROOT } from "./_repo.ts";
import { startTraceSink, type TraceSink } from "../services/observability/trace_sink.ts";
import type { Cluster } from "./cluster.ts";
import { waitFor } from "./_wait.ts";

/** The trace sink's and Prometheus' usual ports (free ones when taken). */
export const TRACE_SINK_PORT = 4318;
export const PROMETHEUS_PORT = 9090;

/** What runs beside the cluster. */
export interface ObservabilityStack {
  /** Environment for every service: tracing on, exported to the sink. */
  readonly env: Record<string, string>;
  /** Starts Prometheus on the cluster's HTTP ports; the banner's lines. */
  watch(cluster: Cluster): Promise<string[]>;
  stop(): Promise<void>;
}

/** A host:port of an http://host:port URL. */
function hostPort(url: string): string {
  return new URL(url).host;
}

/** Prometheus' configuration for a cluster: the three jobs and the alert rules. */
export function prometheusConfig(cluster: Cluster): Record<string, unknown> {
  const http = cluster.endpoints;
  const job = (name: string, urls: string[]) => ({
    job_name: name,
    metrics_path: "/metrics",
    static_configs: [{ targets: urls.map(hostPort) }],
  });
  return {
    global: { scrape_interval: "5s", evaluation_interval: "5s" },
    rule_files: [`${REPO_ROOT}/services/observability/alerts.yml`],
    scrape_configs: [
      job("compute", http.computeWorkersHttp),
      job("handles", [http.handlesHttp]),
      job("ingest", [http.ingestHttp]),
    ],
  };
}

/** Starts the trace sink; Prometheus starts once the cluster is up (watch()). */
export async function startObservabilityStack(dir: string): Promise<ObservabilityStack> {
  const sink: TraceSink = await startTraceSink({
    port: portIsFree(TRACE_SINK_PORT) ? TRACE_SINK_PORT : 0,
  });
  let prometheus: Deno.ChildProcess | undefined;
  return {
    env: {
      OTEL_DENO: "true",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      // The services' log lines stay on stdout; exporting each as an OTLP log too costs time.
      OTEL_DENO_CONSOLE: "ignore",
    },
    async watch(cluster) {
      const binary = await ensureCommand("prometheus");
      await Deno.mkdir(`${dir}/prometheus`, { recursive: true });
      const config = `${dir}/prometheus/prometheus.yml`;
      await Deno.writeTextFile(config, stringify(prometheusConfig(cluster)));
      const port = portIsFree(PROMETHEUS_PORT) ? PROMETHEUS_PORT : freePort();
      const log = await Deno.open(`${dir}/prometheus.log`, {
        create: true,
        write: true,
        truncate: true,
      });
      prometheus = new Deno.Command(binary, {
        args: [
          `--config.file=${config}`,
          `--storage.tsdb.path=${dir}/prometheus/data`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).spawn();
      prometheus.stderr.pipeTo(log.writable).catch(() => {});
      const url = `http://127.0.0.1:${port}`;
      await waitFor(
        async () =>
          (await fetch(`${url}/-/ready`).then((r) => r.body?.cancel().then(() => r.ok))) ?? false,
        { timeoutMs: 30_000, what: "Prometheus to be ready" },
      );
      return [
        `traces      ${sink.url} (OTLP/HTTP JSON): deno task trace lists them, deno task trace <id> prints one`,
        `prometheus  ${url} (targets: ${url}/targets, alerts: ${url}/alerts), log ${dir}/prometheus.log`,
        `grafana     dashboards in services/observability/grafana (docs/observability.md)`,
      ];
    },
    async stop() {
      if (prometheus) {
        try {
          prometheus.kill("SIGTERM");
        } catch {
          // already gone
        }
        await prometheus.status;
      }
      await sink.close();
    },
  };
}
