/**
 * The overview dashboard: gRPC calls, errors and latency of every service, and its processes.
 *
 * @module
 */

import { type Dashboard, dashboard } from "../_grafana.ts";
import { aggregate, quantile, sumRate } from "../_promql.ts";
import { DURATION, ERRORS, IN_FLIGHT, NOT_HEALTH, REQUESTS } from "./_grpc.ts";

/** Calls, errors, latency and the processes of every service. */
export function overview(): Dashboard {
  const sel = `service=~"$service"`;
  return dashboard({
    uid: "polaroid-overview",
    title: "Polaroid / Overview",
    description: "gRPC calls, errors and latency, and the processes, of every Polaroid service.",
    variables: [{
      name: "service",
      label: "Service",
      query: `label_values(${REQUESTS}, service)`,
    }],
    panels: [
      {
        title: "Calls by service and status",
        description: "gRPC calls finished per second, by service and status code.",
        unit: "reqps",
        queries: [{
          expr: sumRate(REQUESTS, ["service", "code"], sel),
          legend: "{{service}} {{code}}",
        }],
      },
      {
        title: "Calls by method",
        description: "gRPC calls finished per second, by service and method.",
        unit: "reqps",
        queries: [{
          expr: sumRate(REQUESTS, ["service", "method"], sel),
          legend: "{{service}} {{method}}",
        }],
      },
      {
        title: "Error ratio by service and status",
        description:
          "Share of each service's calls that ended with each non-OK status. Client mistakes (INVALID_ARGUMENT, NOT_FOUND) count here; the PolaroidHighErrorRate alert counts server-side failures only.",
        unit: "percentunit",
        queries: [{
          expr: `${sumRate(ERRORS, ["service", "code"], sel)} / ignoring (code) group_left ${
            sumRate(REQUESTS, ["service"], sel)
          }`,
          legend: "{{service}} {{code}}",
        }],
      },
      {
        title: "Errors by method",
        description: "gRPC calls per second that ended with a non-OK status, by method and code.",
        unit: "reqps",
        queries: [{
          expr: sumRate(ERRORS, ["service", "method", "code"], sel),
          legend: "{{service}} {{method}} {{code}}",
        }],
      },
      {
        title: "Latency p50 by method",
        description:
          "Median call duration per method; streaming calls (Collect, WatchJob, Follow) count their whole stream.",
        unit: "s",
        queries: [{
          expr: quantile(0.5, DURATION, ["service", "method"], `${sel}, ${NOT_HEALTH}`),
          legend: "{{service}} {{method}}",
        }],
      },
      {
        title: "Latency p99 by method",
        description:
          "99th percentile of call duration per method (the PolaroidHighLatencyP99 alert fires above 5 s).",
        unit: "s",
        queries: [{
          expr: quantile(0.99, DURATION, ["service", "method"], `${sel}, ${NOT_HEALTH}`),
          legend: "{{service}} {{method}}",
        }],
      },
      {
        title: "Calls in flight",
        description: "gRPC calls in progress, by service and method.",
        unit: "short",
        queries: [{
          expr: aggregate("sum", IN_FLIGHT, ["service", "method"], sel),
          legend: "{{service}} {{method}}",
        }],
      },
      {
        title: "Resident memory",
        description:
          "Resident set size of each process. On compute workers nodejs-polars keeps frames in native memory that the V8 heap does not show: this is the number to watch.",
        unit: "bytes",
        queries: [{
          expr: aggregate(
            "max",
            "polaroid_process_resident_memory_bytes",
            ["service", "instance"],
            sel,
          ),
          legend: "{{service}} {{instance}}",
        }],
      },
      {
        title: "Event-loop lag",
        description: "Event-loop delay of each process (p99 and p50 over prom-client's sampling).",
        unit: "s",
        queries: [
          {
            expr: aggregate(
              "max",
              "polaroid_nodejs_eventloop_lag_p99_seconds",
              ["service", "instance"],
              sel,
            ),
            legend: "p99 {{service}} {{instance}}",
          },
          {
            expr: aggregate(
              "max",
              "polaroid_nodejs_eventloop_lag_p50_seconds",
              ["service", "instance"],
              sel,
            ),
            legend: "p50 {{service}} {{instance}}",
          },
        ],
      },
      {
        title: "CPU",
        description: "CPU seconds per second used by each process (1 is one core).",
        unit: "short",
        queries: [{
          expr: sumRate("polaroid_process_cpu_seconds_total", ["service", "instance"], sel),
          legend: "{{service}} {{instance}}",
        }],
      },
    ],
  });
}
