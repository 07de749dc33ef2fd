/**
 * Wide to long with unpivot
 *
 * `melt` is accepted as an alias of `unpivot`.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import type { Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("quotes.parquet")
    .head(6)
    .unpivot(["ts", "symbol"], ["bid", "ask"], { variableName: "side", valueName: "px" })
    .toArrow();
}
