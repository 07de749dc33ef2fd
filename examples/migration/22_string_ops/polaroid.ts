/**
 * String functions: case, contains, replace, slices
 *
 * The `str` namespace has nodejs-polars' methods and options.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanCSV("symbols.csv")
    .select(
      pl.col("symbol"),
      pl.col("symbol").str.toLowerCase().alias("lower"),
      pl.col("sector").str.contains("ec").alias("has_ec"),
      pl.col("sector").str.replaceAll("t", "T").alias("replaced"),
      pl.col("symbol").str.slice(0, 2).alias("prefix"),
      pl.col("sector").str.lengths().alias("chars"),
    )
    .toArrow();
}
