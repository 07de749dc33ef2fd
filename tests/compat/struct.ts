/**
 * Compatibility cases: `expr.struct` (nodejs-polars' ExprStruct), on the fixture's `st`
 * struct {g: String, i: Int64}.
 *
 * @module
 */

import type { CompatCase } from "./_harness.ts";

export const STRUCT_CASES: readonly CompatCase[] = [
  {
    covers: ["ExprStruct.field", "ExprStruct.nth"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("st").struct.field("g").alias("g"),
        pl.col("st").struct.field("i").alias("i"),
        pl.col("st").struct.nth(1).alias("nth"),
      ),
  },
  {
    covers: ["ExprStruct.renameFields"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("st").struct.renameFields(["key", "value"]).alias("renamed"),
        pl.col("st").struct.renameFields(["key", "value"]).struct.field("value").alias("v"),
      ),
  },
  {
    covers: ["ExprStruct.withFields"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("st").struct.withFields([pl.col("u"), pl.lit("x").alias("tag")]).alias("more"),
        pl.col("st").struct.withFields([pl.col("f").alias("i")]).alias("replaced"),
      ),
  },
  {
    covers: ["ExprStruct.jsonEncode"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("st").struct.jsonEncode().alias("json"),
        pl.struct([pl.col("l"), pl.col("b")]).struct.jsonEncode().alias("nested"),
      ),
  },
];
