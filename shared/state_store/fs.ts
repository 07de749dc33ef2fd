/**
 * The fs backend of the state store: a directory shared by the workers of one host (or a
 * network filesystem). Each file is written to `tmp/` under a fresh name, fsynced, renamed
 * into `objects/` and the directory fsynced, so a file under its final name is always
 * whole and durable; the metadata record is written the same way after the body, and its
 * presence commits the object. A writer killed at any point leaves a temporary file or an
 * uncommitted body, which garbage collection removes after its grace period.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { NotFoundError } from "../errors.ts";
import { exists, missing } from "./memory.ts";
import {
  type Body,
  META_SUFFIX,
  type ObjectMeta,
  parseMeta,
  type StateStore,
  type StoredObject,
  validateKey,
} from "./store.ts";

/** Options of FsStateStore. */
export interface FsStateStoreOptions {
  /** The store's root directory (POLAROID_STATE_DIR); created when missing. */
  root: string;
}

/** Objects as files under a root directory. */
export class FsStateStore implements StateStore {
  readonly kind = "fs" as const;
  readonly #objects: string;
  readonly #tmp: string;

  private constructor(root: string) {
    this.#objects = join(root, "objects");
    this.#tmp = join(root, "tmp");
  }

  /** Opens (and creates) the store under `root`. */
  static async open(options: FsStateStoreOptions): Promise<FsStateStore> {
    const store = new FsStateStore(options.root);
    await Deno.mkdir(store.#objects, { recursive: true });
    await Deno.mkdir(store.#tmp, { recursive: true });
    return store;
  }

  /** The temporary directory (files there are writes in progress or abandoned). */
  get tmpDir(): string {
    return this.#tmp;
  }

  /** Files for putFile() go here: renaming them into place needs no copy. */
  get stagingDir(): string {
    return this.#tmp;
  }

  #path(key: string): string {
    return join(this.#objects, ...validateKey(key).split("/"));
  }

  async put(key: string, body: Body, meta: Omit<ObjectMeta, "key" | "bytes">): Promise<ObjectMeta> {
    const path = this.#path(key);
    if (await this.head(key)) throw exists(key);
    await Deno.mkdir(dirname(path), { recursive: true });
    return await this.#commit(key, path, await this.#writeAtomic(path, body), meta);
  }

  /**
   * put() of a whole file, which the store takes over: fsynced and renamed into place when
   * it is on the store's filesystem (write it under `stagingDir`), else copied and removed.
   */
  async putFile(
    key: string,
    file: string,
    meta: Omit<ObjectMeta, "key" | "bytes">,
  ): Promise<ObjectMeta> {
    const path = this.#path(key);
    try {
      if (await this.head(key)) throw exists(key);
      await Deno.mkdir(dirname(path), { recursive: true });
      const handle = await Deno.open(file, { read: true, write: true });
      try {
        await handle.sync();
      } finally {
        handle.close();
      }
      const { size } = await Deno.stat(file);
      try {
        await Deno.rename(file, path);
      } catch (error) {
        if (
          !(error instanceof Deno.errors.NotSupported) && !/EXDEV|cross-device/i.test(String(error))
        ) {
          throw error;
        }
        return await this.put(key, (await Deno.open(file)).readable, meta);
      }
      await syncDir(dirname(path));
      return await this.#commit(key, path, size, meta);
    } finally {
      await Deno.remove(file).catch(() => {});
    }
  }

  /** Writes the metadata record, which commits the object whose body is at `path`. */
  async #commit(
    key: string,
    path: string,
    bytes: number,
    meta: Omit<ObjectMeta, "key" | "bytes">,
  ): Promise<ObjectMeta> {
    const full: ObjectMeta = { ...meta, key, bytes };
    // The metadata commits the object; link() fails if another writer committed first.
    const encoded = new TextEncoder().encode(JSON.stringify(full));
    const staged = await this.#stage(encoded);
    try {
      await Deno.link(staged, path + META_SUFFIX);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) throw exists(key);
      throw error;
    } finally {
      await Deno.remove(staged).catch(() => {});
    }
    await syncDir(dirname(path));
    return full;
  }

  /** Writes a body to a fresh temporary file, fsyncs it and renames it over `path`. */
  async #writeAtomic(path: string, body: Body): Promise<number> {
    const staged = await this.#stage(body);
    try {
      const { size } = await Deno.stat(staged);
      await Deno.rename(staged, path);
      await syncDir(dirname(path));
      return size;
    } catch (error) {
      await Deno.remove(staged).catch(() => {});
      throw error;
    }
  }

  /** The body in a fresh, fsynced file under tmp/. */
  async #stage(body: Body): Promise<string> {
    const staged = join(this.#tmp, `${Date.now()}-${crypto.randomUUID()}`);
    const file = await Deno.open(staged, { write: true, createNew: true });
    try {
      const parts = body instanceof Uint8Array ? [body] : body;
      for await (const part of parts) {
        let offset = 0;
        while (offset < part.byteLength) offset += await file.write(part.subarray(offset));
      }
      await file.sync();
    } catch (error) {
      file.close();
      await Deno.remove(staged).catch(() => {});
      throw error;
    }
    file.close();
    return staged;
  }

  async get(key: string): Promise<Uint8Array> {
    const meta = await this.head(key);
    if (!meta) throw missing(key);
    const bytes = await Deno.readFile(this.#path(key)).catch((error) => {
      if (error instanceof Deno.errors.NotFound) throw missing(key);
      throw error;
    });
    if (bytes.byteLength !== meta.bytes) {
      throw new NotFoundError(
        `state store object ${key} is damaged: its body has ${bytes.byteLength} bytes where its metadata says ${meta.bytes}`,
        { metadata: { key } },
      );
    }
    return bytes;
  }

  async head(key: string): Promise<ObjectMeta | undefined> {
    const path = this.#path(key) + META_SUFFIX;
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
    return parseMeta(text, key);
  }

  async delete(key: string): Promise<void> {
    const path = this.#path(key);
    for (const file of [path + META_SUFFIX, path]) {
      await Deno.remove(file).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    }
    await syncDir(dirname(path)).catch(() => {});
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    const found: StoredObject[] = [];
    await this.#walk(this.#objects, "", prefix, found);
    found.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    yield* found;
  }

  async #walk(dir: string, rel: string, prefix: string, out: StoredObject[]): Promise<void> {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    const names = new Set(entries.map((e) => e.name));
    for (const entry of entries) {
      const key = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory) {
        if (prefix.startsWith(key + "/") || key.startsWith(prefix) || prefix === "") {
          await this.#walk(join(dir, entry.name), key, prefix, out);
        }
        continue;
      }
      if (entry.name.endsWith(META_SUFFIX) || !key.startsWith(prefix)) continue;
      const stat = await Deno.stat(join(dir, entry.name)).catch(() => undefined);
      if (!stat) continue;
      out.push({
        key,
        bytes: stat.size,
        modifiedAtMs: stat.mtime?.getTime() ?? 0,
        committed: names.has(entry.name + META_SUFFIX),
      });
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** fsync of a directory, so that a rename in it is durable. */
async function syncDir(dir: string): Promise<void> {
  const handle = await Deno.open(dir, { read: true });
  try {
    await handle.sync();
  } finally {
    handle.close();
  }
}
