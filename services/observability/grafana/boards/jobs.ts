/**
 * The jobs dashboard: the queue's depth and oldest job, and JobService calls (submit,
 * status, watch) on the compute workers.
 *
 * @module
 */

import { type Dashboard, dashboard } from "../_grafana.ts";
import { aggregate, quantile, sumRate } from "../_promql.ts";
import { DURATION, ERRORS, IN_FLIGHT, REQUESTS } from "./_grpc.ts";

/** The job queue's calls (JobService on the compute workers). */
export function jobs(): Dashboard {
  const sel = `method=~".*JobService.*"`;
  return dashboard({
    uid: "polaroid-jobs",
    title: "Polaroid / Jobs",
    description:
      "The job queue (JetStream) and JobService calls (SubmitJob, GetJob, WatchJob) on the compute workers; the jobs themselves run from the queue, outside any call.",
    panels: [
      {
        title: "Jobs waiting",
        description:
          "Jobs in the queue that no worker has taken yet. Every worker reports the one shared queue: the most any reports.",
        unit: "short",
        queries: [{ expr: aggregate("max", "polaroid_jobs_queued", []), legend: "queued" }],
      },
      {
        title: "Oldest waiting job",
        description:
          "How long the oldest job no worker has taken yet has waited (0 when none waits). Growing: the workers are busy or none pulls from the queue.",
        unit: "s",
        queries: [{
          expr: aggregate("max", "polaroid_jobs_oldest_queued_age_seconds", []),
          legend: "oldest",
        }],
      },
      {
        title: "Job calls by method and status",
        description: "JobService calls finished per second, by method and status code.",
        unit: "reqps",
        queries: [{
          expr: sumRate(REQUESTS, ["method", "code"], sel),
          legend: "{{method}} {{code}}",
        }],
      },
      {
        title: "Job call errors",
        description:
          "JobService calls per second that ended with a non-OK status (NOT_FOUND: an unknown job id). A job that fails is not a failed call: WatchJob reports it.",
        unit: "reqps",
        queries: [{
          expr: sumRate(ERRORS, ["method", "code"], sel),
          legend: "{{method}} {{code}}",
        }],
      },
      {
        title: "Job call latency p50",
        description: "Median JobService call duration; WatchJob counts its whole stream.",
        unit: "s",
        queries: [{ expr: quantile(0.5, DURATION, ["method"], sel), legend: "{{method}}" }],
      },
      {
        title: "Job call latency p99",
        description: "99th percentile of JobService call duration.",
        unit: "s",
        queries: [{ expr: quantile(0.99, DURATION, ["method"], sel), legend: "{{method}}" }],
      },
      {
        title: "Job calls in flight",
        description: "JobService calls in progress (WatchJob: clients waiting for a job).",
        unit: "short",
        queries: [{ expr: aggregate("sum", IN_FLIGHT, ["method"], sel), legend: "{{method}}" }],
        width: 24,
      },
    ],
  });
}
