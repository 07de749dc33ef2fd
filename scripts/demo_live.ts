/**
 * The live part of the demo: a WebSocket tick feed (examples/ws_feed.ts) ingested into a live
 * table, its 1-second OHLCV bars printed as they close, then a query over the table while it
 * grows. The source keeps running afterwards, so that the table can be queried and followed.
 *
 * @module
 */

import { col, connect, connectIngest, liveBars } from "../sdk/mod.ts";
import type { DemoOptions } from "./demo.ts";
import { formatTable } from "./format_table.ts";

/** Options of runLiveDemo(). */
export interface LiveDemoOptions extends Pick<DemoOptions, "print" | "token" | "tls"> {
  /** Closed bar windows to print. @default 3 */
  windows?: number;
  /** Give up after this long. @default 30000 */
  timeoutMs?: number;
}

/** Ingests `feedUrl` through the ingest service and prints its bars and a query. */
export async function runLiveDemo(
  endpoints: { compute: string; ingest: string },
  feedUrl: string,
  options: LiveDemoOptions = {},
): Promise<void> {
  const print = options.print ?? console.log;
  const credentials = {
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
  };
  await using ingest = await connectIngest({ endpoint: endpoints.ingest, ...credentials });
  await using client = await connect({ endpoint: endpoints.compute, ...credentials });
  const source = await ingest.addWebSocketSource({
    name: "demo_ticks",
    url: feedUrl,
    subscribe: [JSON.stringify({ op: "subscribe", symbols: ["*"] })],
    records: "data[*]",
    retention: { maxAgeSeconds: 3600 },
  });
  print(`live: ingesting ${feedUrl} into live table "${source.liveTable}"`);
  const stop = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const windows = options.windows ?? 3;
  const bars = liveBars(ingest, "demo_ticks", {
    time: "ts",
    price: "px",
    volume: "qty",
    by: "sym",
    every: "1s",
    fromEnd: true,
    signal: stop,
  });
  const ends = new Set<number>();
  for await (const bar of bars) {
    if (!ends.has(bar.end)) {
      if (ends.size === windows) break;
      ends.add(bar.end);
      print(`live: 1s bars closing at ${new Date(bar.end).toISOString()}`);
    }
    print(
      `  ${bar.key?.padEnd(5)} open ${bar.open.toFixed(2)} high ${bar.high.toFixed(2)} low ${
        bar.low.toFixed(2)
      } close ${bar.close.toFixed(2)} volume ${bar.volume} (${bar.count} ticks)`,
    );
  }
  if (ends.size < windows) throw new Error(`live: only ${ends.size} bar windows closed in time`);
  const started = performance.now();
  const summary = await client.scanLive("demo_ticks")
    .groupBy("sym")
    .agg(
      col("qty").count().alias("ticks"),
      col("px").last().alias("last"),
      col("px").mul(col("qty")).sum().div(col("qty").sum()).alias("vwap"),
    )
    .sort("sym")
    .toArrow();
  print(
    `live: the table so far, queried on the cluster in ${
      (performance.now() - started).toFixed(1)
    } ms`,
  );
  print(formatTable(summary));
}
