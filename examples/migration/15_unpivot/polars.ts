/**
 * Wide to long with unpivot
 *
 * `melt` is accepted as an alias of `unpivot`. Polars defines no order of the long rows: the
 * in-memory engine gives one column after another, the streaming engine (Polaroid's default,
 * and Python Polars 2's) interleaves them, so sort when the order matters.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/quotes.parquet`)
    .head(6)
    .unpivot(["ts", "symbol"], ["bid", "ask"], { variableName: "side", valueName: "px" })
    .sort(["side", "ts", "symbol"])
    .collectSync();
}
