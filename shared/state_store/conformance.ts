/**
 * The behaviour every state store backend must have, as Deno tests: `storeConformance(name,
 * open)` registers them for a backend; `open()` gives a fresh, empty store and a way to leave
 * an uncommitted body (what a writer killed between body and metadata leaves).
 *
 * @module
 */

import assert from "node:assert/strict";
import { AlreadyExistsError, InvalidArgumentError, NotFoundError } from "../errors.ts";
import type { ObjectMeta, StateStore } from "./store.ts";

/** A fresh store for one test. */
export interface OpenedStore {
  store: StateStore;
  /** Leaves a body under `key` without metadata. */
  putUncommitted(key: string, body: Uint8Array): Promise<void>;
  /** Removes everything the store used. */
  cleanup(): Promise<void>;
}

const META: Omit<ObjectMeta, "key" | "bytes"> = {
  tenant: "acme",
  rows: 3,
  createdAtMs: 1_700_000_000_000,
  schemaHash: "ab12",
  planHash: "",
  format: "arrow-ipc",
  labels: { "polaroid.timeseries": '{"index":"ts"}' },
};

function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

async function* chunks(body: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < body.byteLength; i += size) yield body.subarray(i, i + size);
}

/** Registers the conformance tests of one backend. */
export function storeConformance(
  name: string,
  open: () => Promise<OpenedStore>,
  options: { sanitizeResources?: boolean; sanitizeOps?: boolean } = {},
): void {
  const test = (title: string, fn: (opened: OpenedStore) => Promise<void>) =>
    Deno.test({
      name: `${name}: ${title}`,
      ...options,
      async fn() {
        const opened = await open();
        try {
          await fn(opened);
        } finally {
          await opened.store.close();
          await opened.cleanup();
        }
      },
    });

  test("put() commits body and metadata; get() and head() read them back", async ({ store }) => {
    const body = bytes(1000);
    const meta = await store.put("handles/acme/a.arrow", body, META);
    assert.deepEqual(meta, { ...META, key: "handles/acme/a.arrow", bytes: 1000 });
    assert.deepEqual(await store.get("handles/acme/a.arrow"), body);
    assert.deepEqual(await store.head("handles/acme/a.arrow"), meta);
    assert.equal(await store.head("handles/acme/b.arrow"), undefined);
  });

  test("put() takes a body in chunks", async ({ store }) => {
    const body = bytes(300_000, 7);
    const meta = await store.put("c/streamed", chunks(body, 65_536), META);
    assert.equal(meta.bytes, 300_000);
    assert.deepEqual(await store.get("c/streamed"), body);
  });

  test("objects are immutable: a second put() of a key is AlreadyExistsError", async ({ store }) => {
    await store.put("k", bytes(10), META);
    await assert.rejects(store.put("k", bytes(20), META), AlreadyExistsError);
    assert.deepEqual(await store.get("k"), bytes(10));
  });

  test("an uncommitted body is listed as such and is not an object", async (opened) => {
    const { store } = opened;
    await opened.putUncommitted("handles/acme/partial.arrow", bytes(50));
    await assert.rejects(store.get("handles/acme/partial.arrow"), NotFoundError);
    assert.equal(await store.head("handles/acme/partial.arrow"), undefined);
    const listed = await Array.fromAsync(store.list("handles/"));
    assert.deepEqual(listed.map((o) => [o.key, o.bytes, o.committed]), [
      ["handles/acme/partial.arrow", 50, false],
    ]);
    // A later writer of the same key commits over it.
    await store.put("handles/acme/partial.arrow", bytes(60), META);
    assert.equal((await store.get("handles/acme/partial.arrow")).byteLength, 60);
  });

  test("list() walks a prefix in key order; delete() removes and is idempotent", async ({ store }) => {
    for (const key of ["handles/b/2", "handles/a/1", "handles/a/0", "other/x"]) {
      await store.put(key, bytes(5), META);
    }
    const all = await Array.fromAsync(store.list(""));
    assert.deepEqual(all.map((o) => o.key), [
      "handles/a/0",
      "handles/a/1",
      "handles/b/2",
      "other/x",
    ]);
    assert.ok(all.every((o) => o.committed && o.bytes === 5 && o.modifiedAtMs > 0));
    const a = await Array.fromAsync(store.list("handles/a/"));
    assert.deepEqual(a.map((o) => o.key), ["handles/a/0", "handles/a/1"]);
    await store.delete("handles/a/0");
    await store.delete("handles/a/0");
    await store.delete("never/was");
    await assert.rejects(store.get("handles/a/0"), NotFoundError);
    assert.deepEqual((await Array.fromAsync(store.list("handles/"))).map((o) => o.key), [
      "handles/a/1",
      "handles/b/2",
    ]);
  });

  test("keys outside the character set are refused before any I/O", async ({ store }) => {
    for (const key of ["", "../x", "a/../b", "/abs", "a//b", "sp ace", "k.meta.json"]) {
      await assert.rejects(store.put(key, bytes(1), META), InvalidArgumentError, key);
      await assert.rejects(store.get(key), InvalidArgumentError, key);
    }
  });

  test("an empty body is an object", async ({ store }) => {
    await store.put("empty", new Uint8Array(0), META);
    assert.equal((await store.get("empty")).byteLength, 0);
  });
}
