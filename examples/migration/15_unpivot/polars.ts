/**
 * Wide to long with unpivot
 *
 * `melt` is accepted as an alias of `unpivot`.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/quotes.parquet`)
    .head(6)
    .unpivot(["ts", "symbol"], ["bid", "ask"], { variableName: "side", valueName: "px" })
    .collectSync();
}
