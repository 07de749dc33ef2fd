/**
 * How tests/option_audit_test.ts calls each sink that refuses options: one call per method,
 * the options as given (refused before any call to a server).
 *
 * @module
 */

import type { RemoteLazyFrame } from "../sdk/mod.ts";

/** A call of the method with `opts` as its options. */
export type SinkRecipe = (opts: Record<string, unknown>) => unknown;

/** Recipes by `LazyDataFrame.<sink>`, on frames `frame()` makes. */
export function SINK_RECIPES(frame: () => RemoteLazyFrame): Record<string, SinkRecipe> {
  return {
    "LazyDataFrame.sinkCSV": (o) => frame().sinkCSV("a.csv", o),
    "LazyDataFrame.sinkParquet": (o) => frame().sinkParquet("a.parquet", o),
    "LazyDataFrame.sinkIpc": (o) => frame().sinkIpc("a.arrow", o),
    "LazyDataFrame.sinkNdJson": (o) => frame().sinkNdJson("a.ndjson", o),
  };
}
