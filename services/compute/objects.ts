/**
 * A worker's side of the external handle store: a result is written to the state store
 * (durably, under a fresh key) before its handle is registered, and a handle this worker
 * does not hold is loaded from its object. Frames in memory travel as Arrow IPC files (lz4),
 * streaming-engine results as the Parquet file they already are.
 *
 * @module
 */

import { join } from "node:path";
import pl from "nodejs-polars";
import type { ObjectMeta, StateStore } from "../../shared/state_store/store.ts";
import { contentKey, keyFormat, resultKey, sha256Hex } from "../../shared/state_store/store.ts";
import { AlreadyExistsError } from "../../shared/errors.ts";
import { createHash } from "node:crypto";
import { type Held, heldHeight, heldTypes, SpilledFrame } from "./engine/frame_access.ts";

/** What persist() needs besides the frame. */
export interface PersistOptions {
  store: StateStore;
  tenant: string;
  /** Where the IPC file is staged (the worker's spill directory). */
  stagingDir: string;
  /** Hash of the producing plan, "" for uploads. */
  planHash: string;
  /** The handle's client metadata. */
  labels: Record<string, string>;
  /** Name the object by the SHA-256 of its bytes; an equal object already stored is reused. */
  contentAddressed?: boolean;
}

/** SHA-256 of a file, read in chunks. */
async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  const file = await Deno.open(path, { read: true });
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}

/** Hash of a frame's column names and types. */
export function schemaHash(held: Held): Promise<string> {
  const types = Object.entries(heldTypes(held)).map(([name, type]) => [name, String(type)]);
  return sha256Hex(new TextEncoder().encode(JSON.stringify(types)));
}

/**
 * The sink's options: lz4 (the engine takes it for IPC, though nodejs-polars' typings list
 * only gzip and zstd) and the oldest compatibility level (LargeUtf8, not string views).
 */
const LZ4_IPC = { compression: "lz4", compatLevel: "oldest" } as unknown as Parameters<
  pl.LazyDataFrame["sinkIpc"]
>[1];

/** Writes `held` to the store; returns its key once the object is committed. */
export async function persist(held: Held, options: PersistOptions): Promise<string> {
  const format: ObjectMeta["format"] = held instanceof SpilledFrame ? "parquet" : "arrow-ipc";
  let key = resultKey(options.tenant, format);
  let path: string;
  let staged: string | undefined;
  if (held instanceof SpilledFrame) {
    path = held.path;
  } else {
    // Where the store can take the file over without a copy, if it can.
    const dir = options.store.putFile ? options.store.stagingDir! : options.stagingDir;
    await Deno.mkdir(dir, { recursive: true });
    staged = join(dir, `${crypto.randomUUID()}.arrow`);
    // On the engine's threads, off the event loop (a 1M-row frame blocked it ~90 ms when
    // written synchronously); LargeUtf8 strings as before, which every reader takes.
    await held.lazy().sinkIpc(staged, LZ4_IPC).collect();
    path = staged;
  }
  try {
    if (options.contentAddressed) {
      key = contentKey(options.tenant, await fileSha256(path), format);
      if (await options.store.head(key)) return key;
    }
    const meta = {
      tenant: options.tenant,
      rows: heldHeight(held),
      createdAtMs: Date.now(),
      schemaHash: await schemaHash(held),
      planHash: options.planHash,
      format,
      labels: options.labels,
    };
    const written = staged !== undefined && options.store.putFile
      ? options.store.putFile(key, staged, meta) // takes the file over
      : Deno.open(path, { read: true }).then((file) => options.store.put(key, file.readable, meta));
    await written.catch((error) => {
      // An equal result committed meanwhile is as good as ours.
      if (!(options.contentAddressed && error instanceof AlreadyExistsError)) throw error;
    });
  } finally {
    if (staged) await Deno.remove(staged).catch(() => {});
  }
  return key;
}

/** The frame of a committed object. */
export async function load(store: StateStore, key: string): Promise<pl.DataFrame> {
  const body = await store.get(key);
  // A view of the body, not a copy of a frame's worth of bytes.
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return keyFormat(key) === "parquet" ? pl.readParquet(bytes) : pl.readIPC(bytes);
}
