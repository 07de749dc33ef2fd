/**
 * Compatibility cases: `expr.lst` calls nodejs-polars cannot run, against Python Polars'
 * results built here with exact types.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { CompatCase } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

function column<T>(name: string): (T | null)[] {
  return fixtures().mixed.getColumn(name).toArray() as (T | null)[];
}

export const LIST_EXPECTED_CASES: readonly CompatCase[] = [
  {
    // nodejs-polars passes an Expr separator to its engine as the JS wrapper ("Failed to
    // recover `JsExpr` type"); Python Polars: list.join(pl.col("g")) joins with each row's g.
    covers: ["ExprList.join"],
    query: (pl, f) =>
      f.mixed.select(pl.col("s").str.split("e").lst.join({ separator: pl.col("g") }).alias("j")),
    expected: () => {
      const separators = column<string>("g");
      const values = column<string>("s").map((t, k) =>
        t === null ? null : t.split("e").join(separators[k]!)
      );
      return pl.DataFrame([pl.Series("j", values, pl.Utf8)]);
    },
  },
];
