/**
 * Prometheus metrics of the handle catalog: handles by state and bytes held (read from the
 * catalog when scraped), handles registered, freed and lost (counted as events happen).
 *
 * @module
 */

import { prom, type Registry } from "../../shared/telemetry/metrics.ts";
import type { CatalogEvent, CatalogStats } from "./catalog_api.ts";
import type { HandleRecord } from "./record.ts";

/** Counts catalog events; registered once per service. */
export interface HandlesMetrics {
  /** Records one catalog event. */
  observe(event: CatalogEvent): void;
  /** Records handles this replica marked lost. */
  observeLost(records: readonly HandleRecord[]): void;
}

/** Registers the catalog's metrics; `stats` is read at every scrape. */
export function createHandlesMetrics(
  registry: Registry,
  stats: () => Promise<CatalogStats>,
): HandlesMetrics {
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
  return {
    observe(event) {
      if (event.kind === "freed") freed.inc({ reason: event.reason });
      else registered.inc();
    },
    observeLost(records) {
      for (const record of records) if (record.lost !== "") lost.inc({ reason: record.lost });
    },
  };
}
