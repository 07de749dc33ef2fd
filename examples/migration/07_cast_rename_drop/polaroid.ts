/**
 * Cast, rename and drop columns
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("trades.parquet")
    .withColumns(pl.col("qty").cast(pl.Int32), pl.col("price").cast(pl.Float32))
    .rename({ qty: "quantity" })
    .drop("side")
    .head(100)
    .toArrow();
}
