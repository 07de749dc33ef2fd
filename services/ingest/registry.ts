/**
 * The sources of the ingest service, by tenant and name: validates specs, fills in the
 * server's defaults, and enforces the limits.
 *
 * @module
 */

import { AlreadyExistsError, LimitExceededError, NotFoundError } from "../../shared/errors.ts";
import type { SourceSpec } from "../../shared/gen/polaroid/v1/ingest.ts";
import { validateTenant } from "../../shared/ids.ts";
import type { Source, SourceFactory } from "./source.ts";
import { invalidSpec, SOURCE_KINDS, type SourceKindName } from "./sources/mod.ts";
import type { SourceKind } from "./sources/kind.ts";

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Largest `max_batch_rows` a source may ask for. */
export const MAX_BATCH_ROWS = 1_000_000;
/** Largest `max_batch_delay_ms` a source may ask for (one hour). */
export const MAX_BATCH_DELAY_MS = 3_600_000;

/** What a source gets when its spec says 0. */
export interface SourceDefaults {
  maxBatchRows: number;
  maxBatchDelayMs: number;
  /** Also the most a source may ask for. */
  maxBufferBytes: number;
}

/** Options of SourceRegistry. */
export interface SourceRegistryOptions {
  /** Sources the service runs at once, all tenants together. */
  maxSources: number;
  /** Sources one tenant may run at once. @default maxSources */
  maxSourcesPerTenant?: number;
  defaults: SourceDefaults;
  /** Builds a source from a validated, defaulted spec. */
  create: SourceFactory;
  /** Told once a removed source stopped (not at closeAll()). @default none */
  onRemoved?: (tenant: string, name: string) => Promise<void> | void;
}

/** Running sources, keyed by tenant and name. */
export class SourceRegistry {
  readonly #options: SourceRegistryOptions;
  readonly #sources = new Map<string, Source>();
  /** The source writing each table, by "<tenant>/<table>". */
  readonly #tables = new Map<string, string>();
  /** Names being added (their source is starting): taken, and counted in the limits. */
  readonly #starting = new Set<string>();

  constructor(options: SourceRegistryOptions) {
    this.#options = options;
  }

  /** Validates the spec, fills in defaults, and starts the source. */
  async add(tenant: string, spec: SourceSpec | undefined): Promise<Source> {
    validateTenant(tenant);
    const resolved = resolveSpec(spec, this.#options.defaults);
    const key = keyOf(tenant, resolved.name);
    if (this.#sources.has(key) || this.#starting.has(key)) {
      throw new AlreadyExistsError(
        `Cannot add source as its name must be unused: current value is ${
          JSON.stringify(resolved.name)
        }`,
        {
          metadata: { source: resolved.name },
        },
      );
    }
    const running = this.#sources.size + this.#starting.size;
    if (running >= this.#options.maxSources) {
      throw new LimitExceededError(
        `Cannot add source as the service must run at most ${this.#options.maxSources} sources: current value is ${running}`,
        { metadata: { limit: "max_sources" } },
      );
    }
    const perTenant = this.#options.maxSourcesPerTenant ?? this.#options.maxSources;
    const prefix = keyOf(tenant, "");
    const owned = [...this.#sources.keys(), ...this.#starting].filter((k) => k.startsWith(prefix))
      .length;
    if (owned >= perTenant) {
      throw new LimitExceededError(
        `Cannot add source as a tenant may run at most ${perTenant} sources (POLAROID_INGEST_MAX_SOURCES_PER_TENANT): current value is ${owned}`,
        { metadata: { limit: "max_sources_per_tenant" } },
      );
    }
    const table = this.#tableOwner(tenant, resolved.table);
    if (table) {
      throw new AlreadyExistsError(
        `Cannot add source as 'spec.table' must not be written by another source: current value is ${
          JSON.stringify(resolved.table)
        } (source ${JSON.stringify(table)})`,
        { metadata: { field: "spec.table" } },
      );
    }
    this.#starting.add(key);
    this.#tables.set(`${tenant}/${resolved.table}`, resolved.name);
    try {
      const source = await this.#options.create(resolved, tenant);
      this.#sources.set(key, source);
      return source;
    } catch (error) {
      this.#tables.delete(`${tenant}/${resolved.table}`);
      throw error;
    } finally {
      this.#starting.delete(key);
    }
  }

  /** The name of the tenant's source writing `table`, if any. */
  tableOwner(tenant: string, table: string): string | undefined {
    return this.#tableOwner(tenant, table);
  }

  #tableOwner(tenant: string, table: string): string | undefined {
    return this.#tables.get(`${tenant}/${table}`);
  }

  /** The tenant's source of that name, or NotFoundError. */
  get(tenant: string, name: string): Source {
    validateTenant(tenant);
    const source = this.#sources.get(keyOf(tenant, name));
    if (!source) {
      throw new NotFoundError(
        `Cannot find source as it must exist: current value is ${
          JSON.stringify(name.slice(0, 80))
        }`,
        {
          metadata: { source: name.slice(0, 80) },
        },
      );
    }
    return source;
  }

  /** The tenant's sources, sorted by name. */
  list(tenant: string): Source[] {
    validateTenant(tenant);
    const prefix = keyOf(tenant, "");
    return [...this.#sources.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, source]) => source);
  }

  /** Stops and forgets the tenant's source of that name, or NotFoundError. */
  async remove(tenant: string, name: string): Promise<void> {
    const source = this.get(tenant, name);
    this.#sources.delete(keyOf(tenant, name));
    try {
      await source.close();
    } finally {
      this.#tables.delete(`${tenant}/${source.spec.table}`);
    }
    await this.#options.onRemoved?.(tenant, name);
  }

  /** Calls `fn` with every running source, of every tenant. */
  each(fn: (source: Source, tenant: string) => void): void {
    for (const [key, source] of this.#sources) fn(source, key.slice(0, key.indexOf("/")));
  }

  /** Stops every source. */
  async closeAll(): Promise<void> {
    const sources = [...this.#sources.values()];
    this.#sources.clear();
    this.#tables.clear();
    await Promise.all(sources.map((s) => s.close()));
  }
}

function keyOf(tenant: string, name: string): string {
  return `${tenant}/${name}`;
}

/** Checks a spec and fills in the defaults; InvalidArgumentError names the bad field. */
export function resolveSpec(spec: SourceSpec | undefined, defaults: SourceDefaults): SourceSpec {
  if (!spec) throw invalidSpec("spec", "be set", "none");
  if (!NAME.test(spec.name)) {
    throw invalidSpec("spec.name", `match ${NAME.source}`, JSON.stringify(spec.name.slice(0, 80)));
  }
  const kind = resolveKind(spec.kind);
  const table = spec.table || spec.name;
  if (!NAME.test(table)) {
    throw invalidSpec("spec.table", `match ${NAME.source}`, JSON.stringify(table.slice(0, 80)));
  }
  const own = SOURCE_KINDS[kind.$case] as SourceKind<SourceKindName>;
  const overflow = spec.overflow || (own.canPause ? "block" : "drop");
  if (overflow !== "block" && overflow !== "drop") {
    throw invalidSpec(
      "spec.overflow",
      'be "block" or "drop"',
      JSON.stringify(overflow.slice(0, 80)),
    );
  }
  if (overflow === "block" && !own.canPause) {
    throw invalidSpec(
      "spec.overflow",
      `be "drop" for a ${kind.$case} source (it cannot pause its upstream)`,
      '"block"',
    );
  }
  if (spec.maxBatchRows > MAX_BATCH_ROWS) {
    throw invalidSpec(
      "spec.max_batch_rows",
      `be at most ${MAX_BATCH_ROWS}`,
      String(spec.maxBatchRows),
    );
  }
  if (spec.maxBatchDelayMs > MAX_BATCH_DELAY_MS) {
    throw invalidSpec(
      "spec.max_batch_delay_ms",
      `be at most ${MAX_BATCH_DELAY_MS}`,
      String(spec.maxBatchDelayMs),
    );
  }
  if (spec.maxBufferBytes > BigInt(defaults.maxBufferBytes)) {
    throw invalidSpec(
      "spec.max_buffer_bytes",
      `be at most ${defaults.maxBufferBytes}`,
      String(spec.maxBufferBytes),
    );
  }
  for (const [field, value] of Object.entries(spec.retention ?? {})) {
    if (typeof value === "bigint" && value > BigInt(Number.MAX_SAFE_INTEGER)) {
      const name = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      throw invalidSpec(`spec.retention.${name}`, "be at most 2^53 - 1", String(value));
    }
  }
  return {
    name: spec.name,
    kind,
    maxBatchRows: spec.maxBatchRows || defaults.maxBatchRows,
    maxBatchDelayMs: spec.maxBatchDelayMs || defaults.maxBatchDelayMs,
    maxBufferBytes: spec.maxBufferBytes || BigInt(defaults.maxBufferBytes),
    table,
    overflow,
    ...(spec.retention ? { retention: spec.retention } : {}),
  };
}

/** The spec's kind, checked and defaulted by its own kind's module (sources/). */
function resolveKind(kind: SourceSpec["kind"]): NonNullable<SourceSpec["kind"]> {
  const names = Object.keys(SOURCE_KINDS).join(", ");
  if (!kind) throw invalidSpec("spec.kind", `be set (one of ${names})`, "none");
  const own = (SOURCE_KINDS as Record<string, SourceKind<SourceKindName> | undefined>)[kind.$case];
  // A kind this server does not know (a newer client's): refused by name.
  if (!own) throw invalidSpec("spec.kind", `be one of ${names}`, JSON.stringify(kind.$case));
  return { $case: kind.$case, value: own.resolve(kind.value) } as NonNullable<SourceSpec["kind"]>;
}
