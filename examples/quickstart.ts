/**
 * The README's SDK example, runnable: `deno run -A examples/quickstart.ts [endpoint]`
 * against a cluster started with `deno task up`.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import { col, connect } from "../sdk/mod.ts";

/** Uploads three trades and returns volume and average price per symbol. */
export async function quickstart(endpoint?: string): Promise<Table> {
  await using client = await connect(endpoint === undefined ? {} : { endpoint });
  await using trades = await client.fromRecords([
    { symbol: "AAPL", price: 189.5, qty: 100n },
    { symbol: "MSFT", price: 411.2, qty: 250n },
    { symbol: "AAPL", price: 190.1, qty: 300n },
  ]);
  return await trades.lazy()
    .filter(col("qty").gtEq(100n))
    .groupBy("symbol")
    .agg(col("qty").sum().alias("volume"), col("price").mean().alias("avg_price"))
    .sort("volume", true)
    .toArrow();
}

if (import.meta.main) {
  const table = await quickstart(Deno.args[0]);
  console.table(table.toArray().map((row) => row.toJSON()));
}
