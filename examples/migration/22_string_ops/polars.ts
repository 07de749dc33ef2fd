/**
 * String functions: case, contains, replace, slices
 *
 * The `str` namespace has nodejs-polars' methods and options.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanCSV(`${dir}/symbols.csv`)
    .select(
      pl.col("symbol"),
      pl.col("symbol").str.toLowerCase().alias("lower"),
      pl.col("sector").str.contains("ec").alias("has_ec"),
      pl.col("sector").str.replaceAll("t", "T").alias("replaced"),
      pl.col("symbol").str.slice(0, 2).alias("prefix"),
      pl.col("sector").str.lengths().alias("chars"),
    )
    .collectSync();
}
