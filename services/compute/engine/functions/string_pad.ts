/**
 * Padding (`expr.str`): padStart, padEnd and zFill, with bounded widths. A padded string is
 * allocated per row, and a failed allocation aborts the compute process, so widths above
 * MAX_PAD_WIDTH are refused: a literal width when the plan is checked, a width computed
 * from the data when the query runs.
 *
 * @module
 */

import pl, { _Expr } from "nodejs-polars";
import type { Call } from "./call.ts";
import type { FunctionSpec, FunctionTable } from "./spec.ts";
import { int64, zeroUnless } from "./string_args.ts";

/** The widest padding, in characters, that padStart, padEnd and zFill accept. */
export const MAX_PAD_WIDTH = 10_000;

const WIDTH = { min: 0, max: MAX_PAD_WIDTH };

function fillChar(call: Call): string {
  const fill = call.string(2);
  if (fill.length === 0) call.fail(2, "hold one character", fill);
  return fill;
}

function pad(method: "strPadStart" | "strPadEnd"): FunctionSpec {
  return {
    args: [3, 3],
    build: (call) =>
      _Expr(call.expr(0)._expr[method](int64(call.int(1, WIDTH))._expr, fillChar(call))),
  };
}

function zFill(call: Call): pl.Expr {
  const input = call.expr(0);
  if (call.kind(1) !== "expr") return _Expr(input._expr.zfill(int64(call.int(1, WIDTH))._expr));
  const width = call.expr(1).cast(pl.Int64);
  const guarded = width.add(
    zeroUnless(
      width.gt(int64(MAX_PAD_WIDTH)),
      `Cannot call str.zFill() as the width must be at most ${MAX_PAD_WIDTH}`,
    ),
  );
  return _Expr(input._expr.zfill(guarded._expr));
}

/** Padding functions of `expr.str`. */
export const STRING_PAD_FUNCTIONS: FunctionTable = {
  "str.padStart": pad("strPadStart"),
  "str.padEnd": pad("strPadEnd"),
  "str.zFill": { args: [2, 2], build: zFill },
};
