/**
 * Running a LazyFrame on Polars' streaming engine. nodejs-polars 0.25.2 ignores
 * `collect({ streaming: true })` (it runs the in-memory engine) and only runs the streaming
 * engine from `collectSync({ engine: "streaming" })`, which blocks the event loop, or from a
 * sink. So the plan is sunk to a Parquet spill file (the sink runs on the streaming engine,
 * off the main thread, in bounded memory), which becomes the result (a SpilledFrame): it is
 * never read into memory whole, and is removed when the result is dropped (docs/adr/0007).
 *
 * @module
 */

import { join } from "node:path";
import pl from "nodejs-polars";
import { frameTypes, SpilledFrame } from "./frame_access.ts";

/**
 * Runs the LazyFrame on the streaming engine into a Parquet file under `spillDir` (created
 * if missing) and returns it as a SpilledFrame; the caller owns the file (and removes it
 * when the frame is dropped). On failure nothing is left behind.
 */
export async function spillStreaming(
  lf: pl.LazyDataFrame,
  spillDir: string,
): Promise<SpilledFrame> {
  await Deno.mkdir(spillDir, { recursive: true });
  const path = join(spillDir, `${crypto.randomUUID()}.parquet`);
  try {
    // lz4: cheap to write and read, and a spilled result takes less disk than in memory.
    await lf.sinkParquet(path, { compression: "lz4", maintainOrder: true }).collect();
    const scan = pl.scanParquet(path);
    // Both read the file's metadata only, off the event loop.
    const [counted, empty] = await Promise.all([
      scan.select(pl.len()).collect(),
      scan.head(0).collect(),
    ]);
    const rows = Number(counted.getColumn("len").get(0));
    const types = frameTypes(empty);
    return new SpilledFrame(path, rows, types, (await Deno.stat(path)).size);
  } catch (error) {
    await Deno.remove(path).catch(() => {});
    throw error;
  }
}
