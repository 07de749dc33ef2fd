/**
 * Running a LazyFrame on Polars' streaming engine. nodejs-polars 0.25.2 ignores
 * `collect({ streaming: true })` (it runs the in-memory engine) and only runs the streaming
 * engine from `collectSync({ engine: "streaming" })`, which blocks the event loop, or from a
 * sink. So the plan is sunk to an uncompressed Arrow IPC spill file (the sink runs on the
 * streaming engine, off the main thread, in bounded memory) and the result is read back
 * from it; the file is removed at once.
 *
 * @module
 */

import { join } from "node:path";
import pl from "nodejs-polars";

/** The uncompressed IPC file a streaming run writes (readIPC wants the `.ipc` suffix). */
function spillPath(spillDir: string): string {
  return join(spillDir, `${crypto.randomUUID()}.ipc`);
}

/**
 * Runs the LazyFrame on the streaming engine through a spill file under `spillDir`
 * (created if missing) and returns the result; the spill file is gone when this settles.
 * Engine errors are thrown as they are (the caller maps them).
 */
export async function collectStreaming(
  lf: pl.LazyDataFrame,
  spillDir: string,
): Promise<pl.DataFrame> {
  await Deno.mkdir(spillDir, { recursive: true });
  const path = spillPath(spillDir);
  try {
    await lf.sinkIpc(path, { compression: "uncompressed", maintainOrder: true }).collect();
    return pl.readIPC(path);
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}
