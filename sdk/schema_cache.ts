/**
 * Schemas of plans, resolved once per plan object and shared by the frames built from one
 * another (`lf.schema()`, `lf.columns()` and the frame methods that need column types ask
 * the server at most once per plan).
 *
 * @module
 */

import type { Plan } from "../shared/gen/polaroid/v1/plan.ts";
import type { Schema } from "./datatypes.ts";

interface Entry {
  promise: Promise<Schema>;
  value?: Schema;
}

/** Plan → schema, weakly held: a plan no frame uses any more is forgotten with its schema. */
export class SchemaCache {
  readonly #entries = new WeakMap<Plan, Entry>();

  /** The schema of `plan` if it is already resolved. */
  known(plan: Plan): Schema | undefined {
    return this.#entries.get(plan)?.value;
  }

  /** Records a schema known without asking (a stored frame's, a derived plan's). */
  seed(plan: Plan, schema: Schema): void {
    this.#entries.set(plan, { promise: Promise.resolve(schema), value: schema });
  }

  /** Gives `to` the schema of `from` (resolved or pending), when `from` has one. */
  share(from: Plan, to: Plan): void {
    const entry = this.#entries.get(from);
    if (entry?.value) this.seed(to, entry.value);
    else if (entry) this.#track(to, entry.promise);
  }

  /**
   * The schema of `plan`, fetched with `fetch` on the first call and reused after; a failed
   * fetch is forgotten, so the next call asks again.
   */
  resolve(plan: Plan, fetch: () => Promise<Schema>): Promise<Schema> {
    const existing = this.#entries.get(plan);
    if (existing) return existing.promise;
    return this.#track(plan, fetch());
  }

  #track(plan: Plan, promise: Promise<Schema>): Promise<Schema> {
    const entry: Entry = { promise };
    this.#entries.set(plan, entry);
    promise.then(
      (schema) => {
        entry.value = schema;
      },
      () => {
        if (this.#entries.get(plan) === entry) this.#entries.delete(plan);
      },
    );
    return entry.promise;
  }
}
