/**
 * The handles and state store dashboard: the catalog's handles, their registrations,
 * frees and losses, worker leases, and the state store's operations, latency, bytes and
 * garbage collection.
 *
 * @module
 */

import { type Dashboard, dashboard } from "../_grafana.ts";
import { aggregate, quantile, sumIncrease, sumRate } from "../_promql.ts";

/** The handle catalog, worker leases and the state store. */
export function handles(): Dashboard {
  const sel = `service="handles"`;
  return dashboard({
    uid: "polaroid-handles",
    title: "Polaroid / Handles and state store",
    description:
      "The handle catalog (replicas share it: gauges take the max), worker leases, and the state store of every service.",
    panels: [
      {
        title: "Handles by state",
        description:
          "Handles in the catalog: live; lost (their frame gone with its worker); expired and waiting for the sweeper.",
        unit: "short",
        queries: [{
          expr: aggregate("max", "polaroid_handles", ["state"], sel),
          legend: "{{state}}",
        }],
      },
      {
        title: "Handle bytes",
        description: "Estimated bytes of the frames the catalog's handles name.",
        unit: "bytes",
        queries: [{ expr: aggregate("max", "polaroid_handle_bytes", [], sel), legend: "bytes" }],
      },
      {
        title: "Handles registered, freed and lost",
        description:
          "Handles registered per second; freed per second by reason (released, deleted, expired, replaced); marked lost per second by reason (restarted, stopped, lease_expired).",
        unit: "ops",
        queries: [
          { expr: sumRate("polaroid_handles_registered_total", [], sel), legend: "registered" },
          {
            expr: sumRate("polaroid_handles_freed_total", ["reason"], sel),
            legend: "freed {{reason}}",
          },
          {
            expr: sumRate("polaroid_handles_lost_total", ["reason"], sel),
            legend: "lost {{reason}}",
          },
        ],
      },
      {
        title: "Live handle bytes by tenant",
        description:
          "Estimated bytes of each tenant's live handles: the 10 largest (at most 49 tenants are labelled; the rest count as _other).",
        unit: "bytes",
        queries: [{
          expr: `topk(10, ${aggregate("max", "polaroid_tenant_handle_bytes", ["tenant"], sel)})`,
          legend: "{{tenant}}",
        }],
      },
      {
        title: "Handle events by tenant",
        description:
          "Handles created, read (resolved for use) and freed per second, by tenant and event.",
        unit: "ops",
        queries: [{
          expr: sumRate("polaroid_tenant_handle_events_total", ["tenant", "event"], sel),
          legend: "{{tenant}} {{event}}",
        }],
      },
      {
        title: "Worker leases",
        description:
          "Compute workers' leases: live, and ended (the worker stopped or let its lease run out; kept a while to tell it).",
        unit: "short",
        queries: [{
          expr: aggregate("max", "polaroid_worker_leases", ["state"], sel),
          legend: "{{state}}",
        }],
      },
      {
        title: "Store garbage collection",
        description:
          "State store objects deleted by garbage collection in the interval, by kind, and failed passes (the next pass retries).",
        unit: "short",
        queries: [
          {
            expr: sumIncrease("polaroid_store_gc_deleted_total", ["kind"], sel),
            legend: "deleted {{kind}}",
          },
          {
            expr: sumIncrease("polaroid_store_gc_failures_total", [], sel),
            legend: "failed passes",
          },
        ],
      },
      {
        title: "Store operations",
        description: "State store operations per second, by service, operation and outcome.",
        unit: "ops",
        queries: [{
          expr: sumRate("polaroid_store_operations_total", ["service", "op", "outcome"]),
          legend: "{{service}} {{op}} {{outcome}}",
        }],
      },
      {
        title: "Store latency p50",
        description: "Median state store operation latency (a list: until its last entry).",
        unit: "s",
        queries: [{
          expr: quantile(0.5, "polaroid_store_operation_seconds", ["service", "op"]),
          legend: "{{service}} {{op}}",
        }],
      },
      {
        title: "Store latency p99",
        description: "99th percentile of state store operation latency.",
        unit: "s",
        queries: [{
          expr: quantile(0.99, "polaroid_store_operation_seconds", ["service", "op"]),
          legend: "{{service}} {{op}}",
        }],
      },
      {
        title: "Store bytes",
        description: "Bytes of object bodies read from and written to the state store per second.",
        unit: "Bps",
        queries: [{
          expr: sumRate("polaroid_store_bytes_total", ["service", "direction"]),
          legend: "{{service}} {{direction}}",
        }],
      },
    ],
  });
}
