/**
 * Long to wide with pivot
 *
 * nodejs-polars pivots eager DataFrames; the SDK pivots on the server (the output columns depend
 * on the data, so that step runs eagerly there) and the result stays lazy.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("trades.parquet")
    .groupBy(["symbol", "side"])
    .agg(pl.col("qty").sum().alias("volume"))
    .sort(["symbol", "side"])
    .pivot("volume", { index: "symbol", on: "side", aggregateFunc: "sum" })
    .toArrow();
}
