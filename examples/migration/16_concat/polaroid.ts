/**
 * Stack frames with concat
 *
 * `pl.concat` of lazy frames stays lazy and runs as one plan on the server.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  const trades = client.scanParquet("trades.parquet");
  const buys = trades.filter(pl.col("side").eq(pl.lit("buy"))).head(3);
  const sells = trades.filter(pl.col("side").eq(pl.lit("sell"))).head(3);
  return await pl.concat([buys, sells], { how: "vertical" }).toArrow();
}
