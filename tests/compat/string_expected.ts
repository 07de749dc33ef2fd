/**
 * Compatibility cases: `expr.str` calls whose Expr arguments nodejs-polars cannot pass to its
 * engine ("Failed to recover `JsExpr` type from napi value": it hands the JS wrapper where
 * the binding wants the native expression), against Python Polars' results built here.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { CompatCase } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

function column<T>(name: string): (T | null)[] {
  return fixtures().mixed.getColumn(name).toArray() as (T | null)[];
}

/** Python's str.zfill, as Polars' zfill: zeros go after a leading sign. */
function zfill(text: string, width: number): string {
  if (text.length >= width) return text;
  const sign = text[0] === "-" || text[0] === "+" ? text[0] : "";
  return sign + "0".repeat(width - text.length) + text.slice(sign.length);
}

export const STRING_EXPECTED_CASES: readonly CompatCase[] = [
  {
    // Python Polars: str.zfill(pl.col("u")) pads each row to its own width.
    covers: ["ExprString.zFill"],
    query: (pl, f) => f.mixed.select(pl.col("i").cast(pl.Utf8).str.zFill(pl.col("u")).alias("z")),
    expected: () => {
      const widths = column<number>("u");
      const values = column<number>("i").map((v, k) =>
        v === null ? null : zfill(String(v), widths[k]!)
      );
      return pl.DataFrame([pl.Series("z", values, pl.Utf8)]);
    },
  },
  {
    // Python Polars: str.slice(offset_expr, length_expr) slices each row by its own values.
    covers: ["ExprString.slice"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.slice(pl.col("u").cast(pl.Int64).sub(pl.lit(1).cast(pl.Int64)), pl.lit(2))
          .alias("s"),
      ),
    expected: () => {
      const offsets = column<number>("u").map((u) => u! - 1);
      const values = column<string>("s").map((t, k) =>
        t === null ? null : [...t].slice(offsets[k], offsets[k]! + 2).join("")
      );
      return pl.DataFrame([pl.Series("s", values, pl.Utf8)]);
    },
  },
];
