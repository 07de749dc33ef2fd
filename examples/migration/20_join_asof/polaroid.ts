/**
 * The prevailing quote of each trade with joinAsof
 *
 * Both sides are sorted by time on the server; `by` matches symbols, `strategy` picks the
 * last quote at or before each trade.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import type { Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  const quotes = client.scanParquet("quotes.parquet").sort("ts");
  return await client.scanParquet("trades.parquet")
    .sort("ts")
    .joinAsof(quotes, { on: "ts", by: "symbol", strategy: "backward" })
    .select("ts", "symbol", "price", "bid", "ask")
    .head(300)
    .toArrow();
}
