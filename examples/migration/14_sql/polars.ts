/**
 * SQL over files and frames
 *
 * `client.sql` takes the tables by name, as nodejs-polars' SQLContext does; the query becomes
 * one server-side plan and composes with frame methods around it. `ownedHandles: true` also
 * reads every named handle of the caller as a table of that name.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  const ctx = pl.SQLContext({ trades: pl.scanParquet(`${dir}/trades.parquet`) });
  return ctx.execute(
    `SELECT symbol, SUM(qty) AS volume, COUNT(*) AS n
     FROM trades WHERE side = 'sell' GROUP BY symbol ORDER BY volume DESC`,
  ).collectSync();
}
