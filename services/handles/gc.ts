/**
 * Garbage collection of the external handle store, the one place where its objects are
 * deleted: a freed handle's object when it is freed (deleteFreedObject(), called from
 * service.ts), and in periodic passes (collectGarbage()) the objects no handle names. Workers
 * never delete: a result they failed to keep is left to the passes. A pass removes what the
 * frees miss: bodies a writer killed mid-write left without metadata, committed objects
 * whose worker died before registering them (or whose delete failed), and abandoned
 * temporary files of the fs backend. Only what is older than the grace period goes: a worker
 * writes an object before it registers the handle, so a young unnamed object may be a handle
 * about to exist.
 *
 * @module
 */

import { isContentKey, type StateStore } from "../../shared/state_store/store.ts";

/** What one pass found and removed. */
export interface GcReport {
  /** Objects under the handles prefix. */
  scanned: number;
  /** Bodies without metadata, deleted. */
  uncommitted: number;
  /** Committed objects no handle names, deleted. */
  unreferenced: number;
  /** Temporary files of the fs backend, deleted. */
  temporary: number;
}

/** Options of collectGarbage(). */
export interface GcOptions {
  store: StateStore;
  /** The object keys of the live handles, read after the listing. */
  liveKeys: () => Set<string> | Promise<Set<string>>;
  /** Objects younger than this are kept. */
  graceMs: number;
  /** @default Date.now() */
  now?: number;
}

/**
 * Deletes the object of a freed handle, unless another live handle names it: only a
 * content-addressed object can be shared (equal results of several plans), so only such a
 * key is looked up in `liveKeys`.
 */
export async function deleteFreedObject(
  store: StateStore,
  key: string,
  liveKeys: () => Set<string> | Promise<Set<string>>,
): Promise<boolean> {
  if (isContentKey(key) && (await liveKeys()).has(key)) return false;
  await store.delete(key);
  return true;
}

/** One pass over the store's handle objects. */
export async function collectGarbage(options: GcOptions): Promise<GcReport> {
  const { store, graceMs } = options;
  const now = options.now ?? Date.now();
  const report: GcReport = { scanned: 0, uncommitted: 0, unreferenced: 0, temporary: 0 };
  const old: { key: string; committed: boolean }[] = [];
  for await (const object of store.list("handles/")) {
    report.scanned++;
    if (now - object.modifiedAtMs > graceMs) old.push(object);
  }
  // Read after the listing: a handle registered meanwhile is in it.
  const live = await options.liveKeys();
  for (const { key, committed } of old) {
    if (live.has(key)) continue;
    await store.delete(key);
    if (committed) report.unreferenced++;
    else report.uncommitted++;
  }
  if (store.tmpDir !== undefined) {
    for await (const entry of Deno.readDir(store.tmpDir)) {
      const path = `${store.tmpDir}/${entry.name}`;
      const stat = await Deno.stat(path).catch(() => undefined);
      if (stat?.mtime && now - stat.mtime.getTime() > graceMs) {
        await Deno.remove(path).catch(() => {});
        report.temporary++;
      }
    }
  }
  return report;
}
