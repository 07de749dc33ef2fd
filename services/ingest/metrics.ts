/**
 * Prometheus metrics of the ingest sources: messages, rows, rejected messages, batches,
 * dropped rows, reconnect gaps and live-table commits (counters), buffered bytes (gauge), and
 * the lag from a batch's first message to its commit (histogram), labelled by tenant and
 * source.
 *
 * @module
 */

import { prom, type Registry } from "../../shared/telemetry/metrics.ts";
import type { BatcherObserver } from "./batcher.ts";

/** Per-source metric observers. */
export interface IngestMetrics {
  /** An observer that records a source's counts. */
  observer(tenant: string, source: string): BatcherObserver;
  /** Drops a removed source's series. */
  forget(tenant: string, source: string): void;
}

const LABELS = ["tenant", "source"] as const;

/** Registers the ingest metrics. */
export function createIngestMetrics(registry: Registry): IngestMetrics {
  const counter = (name: string, help: string) =>
    new prom.Counter({ name, help, labelNames: LABELS, registers: [registry] });
  const messages = counter("polaroid_ingest_messages_total", "Messages received, by source.");
  const rows = counter("polaroid_ingest_rows_total", "Rows added to micro-batches, by source.");
  const rejected = counter(
    "polaroid_ingest_rejected_total",
    "Messages rejected (not a JSON object, or not fitting the batch's schema), by source.",
  );
  const batches = counter("polaroid_ingest_batches_total", "Micro-batches closed, by source.");
  const dropped = counter(
    "polaroid_ingest_dropped_rows_total",
    "Buffered rows dropped for the buffer's byte limit, by source.",
  );
  const gaps = counter(
    "polaroid_ingest_reconnect_gaps_total",
    "Times a source lost its upstream; a protocol that cannot replay (core NATS) loses what was published meanwhile.",
  );
  const buffered = new prom.Gauge({
    name: "polaroid_ingest_buffered_bytes",
    help: "Bytes of Arrow IPC buffered, by source.",
    labelNames: LABELS,
    registers: [registry],
  });
  const commits = counter(
    "polaroid_ingest_commits_total",
    "Batches committed durably to the source's live table (and acknowledged upstream), by source.",
  );
  const lag = new prom.Histogram({
    name: "polaroid_ingest_commit_lag_seconds",
    help:
      "Time from the arrival of a batch's first message to the batch's durable commit to the live table, by source: the longest any of its rows waited.",
    labelNames: LABELS,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const all = [messages, rows, rejected, batches, dropped, gaps, buffered, commits, lag];
  return {
    observer(tenant, source) {
      const labels = { tenant, source };
      const onMessage = messages.labels(labels);
      const onRejected = rejected.labels(labels);
      const onBatch = batches.labels(labels);
      const onRows = rows.labels(labels);
      const onDropped = dropped.labels(labels);
      const onGap = gaps.labels(labels);
      const onCommit = commits.labels(labels);
      const lagged = lag.labels(labels);
      onGap.inc(0);
      const bytes = buffered.labels(labels);
      bytes.set(0);
      return {
        onMessage: () => onMessage.inc(),
        onGap: () => onGap.inc(),
        onRejected: (count) => onRejected.inc(count),
        onBatch: (count, bufferedBytes) => {
          onBatch.inc();
          onRows.inc(count);
          bytes.set(bufferedBytes);
        },
        onDropped: (count, bufferedBytes) => {
          onDropped.inc(count);
          bytes.set(bufferedBytes);
        },
        onCommitted: (_rows, lagSeconds) => {
          onCommit.inc();
          lagged.observe(lagSeconds);
        },
      };
    },
    forget(tenant, source) {
      for (const metric of all) metric.remove({ tenant, source });
    },
  };
}
