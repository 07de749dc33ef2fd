/**
 * The ingest dashboard: messages, rows, batches, rejects, drops, reconnect gaps, buffered
 * bytes, and live-table commits and their lag, of each source.
 *
 * @module
 */

import { type Dashboard, dashboard } from "../_grafana.ts";
import { aggregate, quantile, sumIncrease, sumRate } from "../_promql.ts";

/** The ingest sources, per tenant and source. */
export function ingest(): Dashboard {
  const sel = `service="ingest", source=~"$source"`;
  const perSource = (title: string, description: string, metric: string) => ({
    title,
    description,
    unit: "ops" as const,
    queries: [{
      expr: sumRate(metric, ["tenant", "source"], sel),
      legend: "{{tenant}}/{{source}}",
    }],
  });
  return dashboard({
    uid: "polaroid-ingest",
    title: "Polaroid / Ingest",
    description:
      "Ingest sources: what they receive, batch, reject and drop, per tenant and source.",
    variables: [{
      name: "source",
      label: "Source",
      query: "label_values(polaroid_ingest_messages_total, source)",
    }],
    panels: [
      perSource("Messages", "Messages received per second.", "polaroid_ingest_messages_total"),
      perSource("Rows", "Rows added to micro-batches per second.", "polaroid_ingest_rows_total"),
      perSource("Batches", "Micro-batches closed per second.", "polaroid_ingest_batches_total"),
      perSource(
        "Rejected messages",
        "Messages rejected per second (not a JSON object, or not fitting the batch's schema).",
        "polaroid_ingest_rejected_total",
      ),
      perSource(
        "Dropped rows",
        "Buffered rows dropped per second for the buffer's byte limit (or the overflow policy drop).",
        "polaroid_ingest_dropped_rows_total",
      ),
      {
        title: "Reconnect gaps",
        description:
          "Times a source lost its upstream in the interval; a protocol that cannot replay (core NATS) loses what was published meanwhile.",
        unit: "short",
        queries: [{
          expr: sumIncrease("polaroid_ingest_reconnect_gaps_total", ["tenant", "source"], sel),
          legend: "{{tenant}}/{{source}}",
        }],
      },
      perSource(
        "Commits",
        "Batches committed durably to each source's live table per second (sources with a live table only).",
        "polaroid_ingest_commits_total",
      ),
      {
        title: "Commit lag p50 and p99",
        description:
          "Time from a batch's first message arriving to the batch being durable in the live table (the longest any of its rows waited): the median and the 99th percentile. It includes the batch delay (maxBatchDelayMs).",
        unit: "s",
        queries: [
          {
            expr: quantile(0.5, "polaroid_ingest_commit_lag_seconds", ["tenant", "source"], sel),
            legend: "p50 {{tenant}}/{{source}}",
          },
          {
            expr: quantile(0.99, "polaroid_ingest_commit_lag_seconds", ["tenant", "source"], sel),
            legend: "p99 {{tenant}}/{{source}}",
          },
        ],
      },
      {
        title: "Buffered bytes",
        description: "Bytes of Arrow IPC each source has buffered.",
        unit: "bytes",
        queries: [{
          expr: aggregate("sum", "polaroid_ingest_buffered_bytes", ["tenant", "source"], sel),
          legend: "{{tenant}}/{{source}}",
        }],
      },
    ],
  });
}
