/**
 * The prevailing quote of each trade with joinAsof
 *
 * Both sides are sorted by time on the server; `by` matches symbols, `strategy` picks the
 * last quote at or before each trade.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  const quotes = pl.scanParquet(`${dir}/quotes.parquet`).sort("ts");
  return pl.scanParquet(`${dir}/trades.parquet`)
    .sort("ts")
    .joinAsof(quotes, { on: "ts", by: "symbol", strategy: "backward" })
    .select("ts", "symbol", "price", "bid", "ask")
    .head(300)
    .collectSync();
}
