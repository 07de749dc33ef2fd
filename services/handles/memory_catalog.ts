/**
 * The in-memory catalog behind the Catalog interface: one handles-service process holds
 * every handle (POLAROID_CATALOG=memory).
 *
 * @module
 */

import { HandleCatalog, type HandleCatalogOptions } from "./catalog.ts";
import type { Catalog, CatalogStats, HandlePage, ListOptions } from "./catalog_api.ts";
import type { HandleRecord, RegisterInput } from "./record.ts";
import type { LostSelector } from "./lost.ts";

/** HandleCatalog's synchronous calls as the promises of Catalog. */
export class MemoryCatalog implements Catalog {
  readonly #catalog: HandleCatalog;

  constructor(options: HandleCatalogOptions = {}) {
    this.#catalog = new HandleCatalog(options);
  }

  register(tenant: string, input?: RegisterInput): Promise<HandleRecord> {
    return Promise.try(() => this.#catalog.register(tenant, input));
  }
  resolve(tenant: string, id: string): Promise<HandleRecord> {
    return Promise.try(() => this.#catalog.resolve(tenant, id));
  }
  describe(tenant: string, id: string): Promise<HandleRecord> {
    return Promise.try(() => this.#catalog.describe(tenant, id));
  }
  findByName(tenant: string, name: string): Promise<HandleRecord> {
    return Promise.try(() => this.#catalog.findByName(tenant, name));
  }
  named(tenant: string, names?: Iterable<string>): Promise<HandleRecord[]> {
    return Promise.try(() => this.#catalog.named(tenant, names));
  }
  list(tenant: string, options?: ListOptions): Promise<HandlePage> {
    return Promise.try(() => this.#catalog.list(tenant, options));
  }
  retain(tenant: string, id: string): Promise<HandleRecord> {
    return Promise.try(() => this.#catalog.retain(tenant, id));
  }
  release(tenant: string, id: string): Promise<{ refcount: number; freed: boolean }> {
    return Promise.try(() => this.#catalog.release(tenant, id));
  }
  delete(tenant: string, id: string): Promise<{ freed: boolean }> {
    return Promise.try(() => this.#catalog.delete(tenant, id));
  }
  setObject(id: string, worker: string, objectKey: string | undefined): Promise<HandleRecord> {
    return Promise.try(() => this.#catalog.setObject(id, worker, objectKey));
  }
  pin(tenant: string, id: string): Promise<HandleRecord> {
    return Promise.try(() => this.#catalog.pin(tenant, id));
  }
  unpin(tenant: string, id: string): Promise<HandleRecord> {
    return Promise.try(() => this.#catalog.unpin(tenant, id));
  }
  sweep(now?: number): Promise<HandleRecord[]> {
    return Promise.try(() => this.#catalog.sweep(now));
  }
  stats(now?: number): Promise<CatalogStats> {
    return Promise.try(() => this.#catalog.stats(now));
  }
  objectKeys(): Promise<Set<string>> {
    return Promise.try(() => this.#catalog.objectKeys());
  }
  markLost(selector: LostSelector): Promise<HandleRecord[]> {
    return Promise.try(() => this.#catalog.markLost(selector));
  }
  gone(ids: readonly string[]): Promise<string[]> {
    return Promise.try(() => this.#catalog.gone(ids));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
