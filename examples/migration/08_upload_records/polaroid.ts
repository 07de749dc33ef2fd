/**
 * Query data that starts in the program
 *
 * A frame built in the program is uploaded once (`fromRecords` or `fromArrow`) and becomes a
 * handle; queries on it run server-side. bigint values stay exact Int64 (in nodejs-polars,
 * build Int64 columns from a BigInt64Array: a plain array of bigints gives nulls).
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  await using df = await client.fromRecords([
    { account: "a", amount: 10n },
    { account: "b", amount: 25n },
    { account: "a", amount: 5n },
    { account: "c", amount: 2n ** 60n },
  ]);
  return await df.lazy()
    .groupBy("account")
    .agg(pl.col("amount").sum().alias("total"))
    .sort("account")
    .toArrow();
}
