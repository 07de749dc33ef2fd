/**
 * Prometheus metrics of the handle catalog: handles by state and bytes held (read from the
 * catalog when scraped), handles registered, freed and lost (counted as events happen), and
 * per tenant: live handles and bytes, and handles created, read (resolved) and freed. A
 * tenant label takes one of at most {@link MAX_TENANT_LABELS} values: the tenants seen first
 * (or, for the gauges, holding the most bytes) get their own, every other one counts as
 * `_other`, so that no caller can make the series grow without bound.
 *
 * @module
 */

import { prom, type Registry } from "../../shared/telemetry/metrics.ts";
import type { CatalogEvent, CatalogStats, TenantStats } from "./catalog_api.ts";
import type { HandleRecord } from "./record.ts";

/** Counts catalog events; registered once per service. */
export interface HandlesMetrics {
  /** Records one catalog event. */
  observe(event: CatalogEvent): void;
  /** Records handles this replica marked lost. */
  observeLost(records: readonly HandleRecord[]): void;
  /** Records a handle of `tenant` resolved for use. */
  observeRead(tenant: string): void;
}

/** Tenant label values at most, `_other` included. */
export const MAX_TENANT_LABELS = 50;
/** The label of the tenants beyond the bound. */
export const OTHER_TENANTS = "_other";

/** Registers the catalog's metrics; `stats` is read at every scrape. */
export function createHandlesMetrics(
  registry: Registry,
  stats: () => Promise<CatalogStats>,
): HandlesMetrics {
  // Every gauge here reads the catalog's counts (one pass over its records): a scrape makes
  // that pass once, shared by the gauges it collects together.
  stats = sharedWhileRunning(stats);
  new prom.Gauge({
    name: "polaroid_handles",
    help:
      "Handles in the catalog, by state (live; lost, their frame gone with its worker; or expired and waiting for the sweeper).",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const now = await stats();
      this.set({ state: "live" }, now.live);
      this.set({ state: "lost" }, now.lost);
      this.set({ state: "expired" }, now.expired);
    },
  });
  new prom.Gauge({
    name: "polaroid_handle_bytes",
    help: "Estimated bytes of the frames the catalog's handles name.",
    registers: [registry],
    async collect() {
      this.set(Number((await stats()).bytes));
    },
  });
  const registered = new prom.Counter({
    name: "polaroid_handles_registered_total",
    help: "Handles registered.",
    registers: [registry],
  });
  const freed = new prom.Counter({
    name: "polaroid_handles_freed_total",
    help: "Handles freed, by reason (released, deleted, expired, replaced).",
    labelNames: ["reason"],
    registers: [registry],
  });
  const lost = new prom.Counter({
    name: "polaroid_handles_lost_total",
    help:
      "Handles marked lost because their worker restarted, stopped or let its lease run out, by reason.",
    labelNames: ["reason"],
    registers: [registry],
  });
  const tenantEvents = new prom.Counter({
    name: "polaroid_tenant_handle_events_total",
    help:
      "Handles created, read (resolved for use) and freed, by tenant (at most 50 labels; the rest as _other) and event.",
    labelNames: ["tenant", "event"],
    registers: [registry],
  });
  const labels = new Set<string>();
  const labelOf = (tenant: string) => {
    if (labels.has(tenant)) return tenant;
    if (labels.size >= MAX_TENANT_LABELS - 1) return OTHER_TENANTS;
    labels.add(tenant);
    return tenant;
  };
  const perTenant = (name: string, help: string, read: (s: TenantStats) => number) =>
    new prom.Gauge({
      name,
      help,
      labelNames: ["tenant"],
      registers: [registry],
      async collect() {
        this.reset();
        for (const [tenant, value] of topTenants((await stats()).tenants, read)) {
          this.set({ tenant }, value);
        }
      },
    });
  perTenant(
    "polaroid_tenant_handles",
    "Live handles by tenant (the 49 holding the most bytes; the rest as _other).",
    (s) => s.live,
  );
  perTenant(
    "polaroid_tenant_handle_bytes",
    "Estimated bytes of live handles by tenant (the 49 holding the most; the rest as _other).",
    (s) => Number(s.bytes),
  );
  return {
    observe(event) {
      const tenant = labelOf(event.record.owner);
      if (event.kind === "freed") {
        freed.inc({ reason: event.reason });
        tenantEvents.inc({ tenant, event: "freed" });
      } else {
        registered.inc();
        tenantEvents.inc({ tenant, event: "created" });
      }
    },
    observeRead(tenant) {
      tenantEvents.inc({ tenant: labelOf(tenant), event: "read" });
    },
    observeLost(records) {
      for (const record of records) if (record.lost !== "") lost.inc({ reason: record.lost });
    },
  };
}

/** `read` of each tenant, the largest bytes first, cut to MAX_TENANT_LABELS with the rest summed. */
function topTenants(
  tenants: ReadonlyMap<string, TenantStats>,
  read: (s: TenantStats) => number,
): [string, number][] {
  const sorted = [...tenants].sort((
    [, a],
    [, b],
  ) => (a.bytes < b.bytes ? 1 : a.bytes > b.bytes ? -1 : 0));
  const own = sorted.slice(0, MAX_TENANT_LABELS - 1).map((
    [t, s],
  ): [string, number] => [t, read(s)]);
  const rest = sorted.slice(MAX_TENANT_LABELS - 1);
  if (rest.length > 0) own.push([OTHER_TENANTS, rest.reduce((sum, [, s]) => sum + read(s), 0)]);
  return own;
}

/** `read`, with calls made while one is under way sharing its answer. */
function sharedWhileRunning<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    if (running) return running;
    const started = read().finally(() => running = undefined);
    running = started;
    return started;
  };
}
