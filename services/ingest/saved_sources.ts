/**
 * The sources of a service with a state store are kept there (`ingest/sources/<tenant>/
 * <name>.pb`, the spec as protobuf), so that an ingest process that restarts, after a crash
 * too, starts them again: a live table keeps growing, a JetStream source resumes at its
 * committed offset.
 *
 * One ingest process per state store restores its sources: replicas sharing a store would
 * each start every source (the second writer of a table stops, FailedPreconditionError).
 *
 * @module
 */

import { SourceSpec } from "../../shared/gen/polaroid/v1/ingest.ts";
import { validateTenant } from "../../shared/ids.ts";
import type { StateStore } from "../../shared/state_store/store.ts";

const PREFIX = "ingest/sources/";

function keyOf(tenant: string, name: string): string {
  return `${PREFIX}${validateTenant(tenant)}/${name}.pb`;
}

/** A saved source. */
export interface SavedSource {
  tenant: string;
  spec: SourceSpec;
}

/** The specs of the running sources, in the state store. */
export class SavedSources {
  readonly #store: StateStore;

  constructor(store: StateStore) {
    this.#store = store;
  }

  /** Keeps a started source's spec (validated and defaulted). */
  async save(tenant: string, spec: SourceSpec): Promise<void> {
    const key = keyOf(tenant, spec.name);
    // A spec left by a source whose removal did not finish is replaced.
    await this.#store.delete(key);
    await this.#store.put(key, SourceSpec.encode(spec).finish(), {
      tenant,
      rows: 0,
      createdAtMs: Date.now(),
      schemaHash: "",
      planHash: "",
      format: "arrow-ipc",
    });
  }

  /** Forgets a removed source. */
  async forget(tenant: string, name: string): Promise<void> {
    await this.#store.delete(keyOf(tenant, name));
  }

  /** Every saved source; a record that does not decode is reported through `onBad` and skipped. */
  async list(onBad: (key: string, error: unknown) => void): Promise<SavedSource[]> {
    const out: SavedSource[] = [];
    for await (const object of this.#store.list(PREFIX)) {
      if (!object.committed) continue;
      const match = /^ingest\/sources\/([^/]+)\/[^/]+\.pb$/.exec(object.key);
      if (!match) continue;
      try {
        const spec = SourceSpec.decode(await this.#store.get(object.key));
        out.push({ tenant: validateTenant(match[1]!), spec });
      } catch (error) {
        onBad(object.key, error);
      }
    }
    return out;
  }
}
