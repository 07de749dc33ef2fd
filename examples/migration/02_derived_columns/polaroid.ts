/**
 * Derive columns with arithmetic and when/then/otherwise
 *
 * Expressions are built the same way; they travel in the plan and run server-side.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("trades.parquet")
    .withColumns(
      pl.col("price").mul(pl.col("qty")).alias("notional"),
      pl.when(pl.col("side").eq(pl.lit("buy"))).then(pl.col("qty"))
        .otherwise(pl.col("qty").mul(-1)).alias("signed_qty"),
    )
    .select("symbol", "notional", "signed_qty")
    .head(1000)
    .toArrow();
}
