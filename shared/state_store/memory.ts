/**
 * The memory backend of the state store: objects in this process (one worker, tests).
 *
 * @module
 */

import { AlreadyExistsError, NotFoundError } from "../errors.ts";
import {
  type Body,
  bodyBytes,
  type ObjectMeta,
  type StateStore,
  type StoredObject,
  validateKey,
} from "./store.ts";

interface Entry {
  body: Uint8Array;
  meta: ObjectMeta | undefined;
  modifiedAtMs: number;
}

/** Objects held in a Map. */
export class MemoryStateStore implements StateStore {
  readonly kind = "memory" as const;
  readonly #objects = new Map<string, Entry>();

  async put(key: string, body: Body, meta: Omit<ObjectMeta, "key" | "bytes">): Promise<ObjectMeta> {
    validateKey(key);
    if (this.#objects.get(key)?.meta) throw exists(key);
    const bytes = await bodyBytes(body);
    if (this.#objects.get(key)?.meta) throw exists(key);
    const full: ObjectMeta = { ...meta, key, bytes: bytes.byteLength };
    this.#objects.set(key, { body: bytes, meta: full, modifiedAtMs: Date.now() });
    return full;
  }

  // deno-lint-ignore require-await
  async get(key: string): Promise<Uint8Array> {
    validateKey(key);
    const entry = this.#objects.get(key);
    if (!entry?.meta) throw missing(key);
    return entry.body;
  }

  // deno-lint-ignore require-await
  async head(key: string): Promise<ObjectMeta | undefined> {
    validateKey(key);
    return this.#objects.get(key)?.meta;
  }

  // deno-lint-ignore require-await
  async delete(key: string): Promise<void> {
    validateKey(key);
    this.#objects.delete(key);
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    const keys = [...this.#objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    for (const key of keys) {
      const entry = this.#objects.get(key);
      if (!entry) continue;
      yield {
        key,
        bytes: entry.body.byteLength,
        modifiedAtMs: entry.modifiedAtMs,
        committed: entry.meta !== undefined,
      };
    }
  }

  /** Test hook: a body without metadata, as a writer killed mid-write leaves. */
  putUncommitted(key: string, body: Uint8Array, modifiedAtMs = Date.now()): void {
    this.#objects.set(validateKey(key), { body, meta: undefined, modifiedAtMs });
  }

  close(): Promise<void> {
    this.#objects.clear();
    return Promise.resolve();
  }
}

export function exists(key: string): AlreadyExistsError {
  return new AlreadyExistsError(
    `Cannot write state store object as '${key}' must not exist yet (objects are immutable): current value is a committed object`,
    { metadata: { key } },
  );
}

export function missing(key: string): NotFoundError {
  return new NotFoundError(`state store object ${key} does not exist`, { metadata: { key } });
}
