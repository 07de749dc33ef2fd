/**
 * Local market time: convert time zones and truncate
 *
 * Timestamps stored in UTC are shown in New York time and cut to the hour; the `dt`
 * namespace has nodejs-polars' methods and options.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/trades.parquet`)
    .select(
      pl.col("ts").dt.convertTimeZone("America/New_York").alias("ny"),
      pl.col("ts").dt.convertTimeZone("America/New_York").dt.hour().alias("ny_hour"),
      pl.col("ts").dt.truncate("1h").alias("hour_utc"),
      pl.col("ts").dt.weekday().alias("weekday"),
    )
    .head(100)
    .collectSync();
}
