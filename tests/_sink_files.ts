/**
 * Helpers of the sink tests: a written file read back for comparison, and the temporary
 * files a sink leaves (there must be none once it is done).
 *
 * @module
 */

import { join } from "node:path";
import pl from "nodejs-polars";
import type { SinkCase } from "./compat/sink.ts";

/** The frame of a Parquet or IPC file, the bytes of any other. */
export function readBack(c: Pick<SinkCase, "method">, path: string): pl.DataFrame | Uint8Array {
  const bytes = Deno.readFileSync(path);
  if (/Parquet$/.test(c.method)) return pl.readParquet(Buffer.from(bytes));
  if (/Ipc$|IPC$/.test(c.method)) return pl.readIPC(Buffer.from(bytes));
  return bytes;
}

/** Paths (relative to `root`) of the sinks' temporary files anywhere under it. */
export async function tempFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [""];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for await (const entry of Deno.readDir(join(root, dir))) {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.name.startsWith(".polaroid-tmp-")) found.push(path);
      else if (entry.isDirectory) pending.push(path);
    }
  }
  return found;
}
