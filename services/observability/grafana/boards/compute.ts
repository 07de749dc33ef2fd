/**
 * The compute dashboard: plans run, the engine's time, calls' queue time, Collect streams, the
 * streaming engine, held frames against their budget, the plan and frame caches, sinks and
 * reconciliations, per worker.
 *
 * @module
 */

import { type Dashboard, dashboard } from "../_grafana.ts";
import { aggregate, quantile, sumIncrease, sumRate } from "../_promql.ts";
import { NOT_HEALTH, QUEUE, REQUESTS } from "./_grpc.ts";

/** Plans, Collect streams, the streaming engine, held frames, caches and sinks of the workers. */
export function compute(): Dashboard {
  const sel = `service="compute", instance=~"$instance"`;
  return dashboard({
    uid: "polaroid-compute",
    title: "Polaroid / Compute",
    description: "Compute workers: plans run, results streamed, frames held, caches and sinks.",
    variables: [{
      name: "instance",
      label: "Worker",
      query: "label_values(polaroid_compute_frames, instance)",
    }],
    panels: [
      {
        title: "Plans run",
        description:
          "Execute (collect() kept on the server), Collect (results streamed back, stored frames downloaded too) and Sink calls per second, by status.",
        unit: "reqps",
        queries: [{
          expr: sumRate(
            REQUESTS,
            ["method", "code"],
            `${sel}, method=~"/polaroid.v1.DataFrameService/(Execute|Collect|Sink)"`,
          ),
          legend: "{{method}} {{code}}",
        }],
      },
      {
        title: "Engine time p50 and p99",
        description:
          "Time the engine took to run a plan (Execute, Collect of a plan, jobs), by engine: the median and the 99th percentile.",
        unit: "s",
        queries: [
          {
            expr: quantile(0.5, "polaroid_compute_engine_seconds", ["engine"], sel),
            legend: "p50 {{engine}}",
          },
          {
            expr: quantile(0.99, "polaroid_compute_engine_seconds", ["engine"], sel),
            legend: "p99 {{engine}}",
          },
        ],
      },
      {
        title: "Queue time p99",
        description:
          "99th percentile of the time from a call's arrival to its handler's start (admission, credentials, tenant quota), by method: time a call waited before any work on it.",
        unit: "s",
        queries: [{
          expr: quantile(0.99, QUEUE, ["method"], `${sel}, ${NOT_HEALTH}`),
          legend: "{{method}}",
        }],
      },
      {
        title: "Streaming engine runs",
        description:
          "Plans run on Polars' streaming engine per second: asked for (requested) or chosen because the inputs exceed POLAROID_MEMORY_LIMIT (memory_limit).",
        unit: "ops",
        queries: [{
          expr: sumRate("polaroid_compute_streaming_runs_total", ["reason"], sel),
          legend: "{{reason}}",
        }],
      },
      {
        title: "Collect streams",
        description: "Collect streams sending now, and streams ended per second by outcome.",
        unit: "short",
        queries: [
          {
            expr: aggregate("sum", "polaroid_compute_collect_streams", ["instance"], sel),
            legend: "open {{instance}}",
          },
          {
            expr: sumRate("polaroid_compute_collect_streams_ended_total", ["outcome"], sel),
            legend: "ended/s {{outcome}}",
          },
        ],
      },
      {
        title: "Collect bytes sent",
        description: "Arrow IPC bytes per second sent by Collect streams.",
        unit: "Bps",
        queries: [{
          expr: sumRate("polaroid_compute_collect_bytes_total", ["instance"], sel),
          legend: "{{instance}}",
        }],
      },
      {
        title: "Held frames",
        description:
          "Frames each worker holds in memory, and how many of them are plan results the plan cache keeps.",
        unit: "short",
        queries: [
          {
            expr: aggregate("sum", "polaroid_compute_frames", ["instance"], sel),
            legend: "frames {{instance}}",
          },
          {
            expr: aggregate("sum", "polaroid_plan_cache_entries", ["instance"], sel),
            legend: "plan cache entries {{instance}}",
          },
        ],
      },
      {
        title: "Held bytes vs budget",
        description:
          "Estimated bytes of held frames, bytes reserved for results being kept, bytes open Collect streams hold, and the budget (POLAROID_MAX_WORKER_BYTES, or POLAROID_CACHE_BYTES with the external store; 0 is no bound).",
        unit: "bytes",
        queries: [
          {
            expr: aggregate("sum", "polaroid_compute_frame_bytes", ["instance"], sel),
            legend: "held {{instance}}",
          },
          {
            expr: aggregate("sum", "polaroid_compute_frame_reserved_bytes", ["instance"], sel),
            legend: "reserved {{instance}}",
          },
          {
            expr: aggregate("sum", "polaroid_compute_collect_held_bytes", ["instance"], sel),
            legend: "collect streams {{instance}}",
          },
          {
            expr: aggregate("sum", "polaroid_compute_frame_budget_bytes", ["instance"], sel),
            legend: "budget {{instance}}",
          },
        ],
      },
      {
        title: "Plan cache hit ratio",
        description:
          "Plan cache hits over hits and misses in the interval (empty when there were none), and since each worker started.",
        unit: "percentunit",
        queries: [
          {
            expr: `${
              sumRate("polaroid_plan_cache_lookups", ["instance"], `${sel}, result="hit"`)
            } / ${
              sumRate("polaroid_plan_cache_lookups", ["instance"], `${sel}, result=~"hit|miss"`)
            }`,
            legend: "{{instance}}",
          },
          {
            expr: aggregate("max", "polaroid_plan_cache_hit_ratio", ["instance"], sel),
            legend: "since start {{instance}}",
          },
        ],
      },
      {
        title: "Plan cache lookups",
        description:
          "Plan cache lookups per second: hit (an earlier result reused), miss, skipped (collect({ cache: false }) or a plan that cannot be cached).",
        unit: "ops",
        queries: [{
          expr: sumRate("polaroid_plan_cache_lookups", ["result"], sel),
          legend: "{{result}}",
        }],
      },
      {
        title: "Frame cache lookups",
        description:
          "Handles read by plans per second: found in memory (hit), loaded from the state store (miss), and frames dropped to make room (eviction).",
        unit: "ops",
        queries: [{
          expr: sumRate("polaroid_frame_cache_lookups", ["result"], sel),
          legend: "{{result}}",
        }],
      },
      {
        title: "Sinks running",
        description:
          "Sink engines writing now, those whose call already ended included (nodejs-polars cannot stop a running sink).",
        unit: "short",
        queries: [{
          expr: aggregate("sum", "polaroid_sink_engines_running", ["instance"], sel),
          legend: "{{instance}}",
        }],
      },
      {
        title: "Reconciliations and catalog sync",
        description:
          "Reconciliations of held frames with the catalog in the interval (done, failed) and frames they dropped; and the least synced worker (1: serving without asking the catalog, 0: checking each use).",
        unit: "short",
        queries: [
          {
            expr: sumIncrease("polaroid_compute_reconciliations", ["result"], sel),
            legend: "{{result}}",
          },
          {
            expr: aggregate("min", "polaroid_compute_catalog_synced", [], sel),
            legend: "catalog synced",
          },
        ],
      },
    ],
  });
}
