/**
 * SQL over files and frames
 *
 * `client.sql` takes the tables by name, as nodejs-polars' SQLContext does; the query becomes
 * one server-side plan and composes with frame methods around it. `ownedHandles: true` also
 * reads every named handle of the caller as a table of that name.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import type { Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.sql(
    `SELECT symbol, SUM(qty) AS volume, COUNT(*) AS n
     FROM trades WHERE side = 'sell' GROUP BY symbol ORDER BY volume DESC`,
    { tables: { trades: client.scanParquet("trades.parquet") } },
  ).toArrow();
}
