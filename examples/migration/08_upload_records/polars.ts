/**
 * Query data that starts in the program
 *
 * A frame built in the program is uploaded once (`fromRecords` or `fromArrow`) and becomes a
 * handle; queries on it run server-side. bigint values stay exact Int64 (in nodejs-polars,
 * build Int64 columns from a BigInt64Array: a plain array of bigints gives nulls).
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(_dir: string): pl.DataFrame {
  const df = pl.DataFrame([
    pl.Series("account", ["a", "b", "a", "c"]),
    pl.Series("amount", BigInt64Array.from([10n, 25n, 5n, 2n ** 60n])),
  ]);
  return df.lazy()
    .groupBy("account")
    .agg(pl.col("amount").sum().alias("total"))
    .sort("account")
    .collectSync();
}
