/**
 * Methods of Expr that pick, order, drop or generate rows: head/tail/slice/gather, sort,
 * unique, filter, explode, extendConstant, repeatBy, reshape, sample, shuffle, and the
 * row-shape flags (isDuplicated, peakMax, ...).
 *
 * @module
 */

import pl, { _Expr } from "nodejs-polars";
import {
  descendingFlags,
  failWhen,
  MAX_GENERATED,
  MAX_RESHAPE_DIMS,
  MAX_SAMPLE_FRAC,
  plainValue,
  SEED_BOUNDS,
  U32_MAX,
} from "./core_args.ts";
import type { Call } from "./call.ts";
import { type FunctionTable, unary } from "./spec.ts";

const LENGTH_BOUNDS = { min: 0, max: Number.MAX_SAFE_INTEGER };
const OFFSET_BOUNDS = { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

/** An integer argument or an expression, as a nodejs-polars expression. */
function intOrExpr(call: Call, key: number): pl.Expr {
  return call.kind(key) === "expr" ? call.expr(key) : pl.lit(call.int(key, OFFSET_BOUNDS));
}

function slice(call: Call): pl.Expr {
  const length = call.isNull(2) ? pl.lit(null) : intOrExpr(call, 2);
  return _Expr(call.expr(0)._expr.slice(intOrExpr(call, 1)._expr, length._expr));
}

function gather(call: Call): pl.Expr {
  if (call.kind(1) !== "list") return call.expr(0).gather(call.expr(1));
  const indices = call.numbers(1);
  indices.forEach((i, k) => {
    if (!Number.isSafeInteger(i)) call.fail(`1[${k}]`, "be an integer", i);
  });
  return call.expr(0).gather(indices);
}

function sortBy(call: Call): pl.Expr {
  const by = call.exprs(1);
  if (by.length === 0) call.fail(1, "name at least one sort key", "[]");
  const descending = descendingFlags(call, by.length);
  return call.expr(0).sortBy(by, descending);
}

/**
 * Each output row repeats its value `by` times: at most MAX_GENERATED values in all (per
 * group in an aggregation). The total counts a scalar `by` once per input row, and is
 * summed as Float64 so no integer overflow wraps it below the bound.
 */
function repeatBy(call: Call): pl.Expr {
  const input = call.expr(0);
  const by = call.expr(1);
  const perRow = by.cast(pl.Float64).add(input.isNull().cast(pl.Float64).mul(pl.lit(0)));
  const guarded = failWhen(
    by,
    perRow.gt(pl.lit(MAX_GENERATED)).or(perRow.sum().gt(pl.lit(MAX_GENERATED))),
    `Cannot repeat values as 'by' must add up to at most ${MAX_GENERATED}`,
  );
  return input.repeatBy(guarded);
}

function reshape(call: Call): pl.Expr {
  const dims = call.numbers(1);
  if (dims.length === 0 || dims.length > MAX_RESHAPE_DIMS) {
    call.fail(1, `hold 1 to ${MAX_RESHAPE_DIMS} dimensions`, dims.length);
  }
  dims.forEach((d, k) => {
    if (!Number.isSafeInteger(d) || d < -1 || d > U32_MAX) {
      call.fail(`1[${k}]`, `be -1 or an integer in [0, ${U32_MAX}]`, d);
    }
  });
  return call.expr(0).reshape(dims);
}

function sample(call: Call): pl.Expr {
  const n = call.maybeInt("n", { min: 0, max: MAX_GENERATED });
  const frac = call.maybeNumber("frac", { min: 0, max: MAX_SAMPLE_FRAC });
  if ((n === undefined) === (frac === undefined)) {
    call.fail("n", "be set, or 'frac' instead, not both", n === undefined ? "unset" : n);
  }
  const seed = call.maybeInt("seed", SEED_BOUNDS);
  const withReplacement = call.bool("withReplacement", false);
  const shuffle = call.bool("shuffle", false);
  return n !== undefined
    ? call.expr(0).sample(n, undefined, withReplacement, seed, shuffle)
    : call.expr(0).sample(undefined, frac, withReplacement, seed, shuffle);
}

/** Row-level methods. */
export const CORE_ROWS_FUNCTIONS: FunctionTable = {
  head: {
    args: [2, 2],
    build: (call) => call.expr(0).head(call.int(1, LENGTH_BOUNDS)),
  },
  tail: {
    args: [2, 2],
    build: (call) => call.expr(0).tail(call.int(1, LENGTH_BOUNDS)),
  },
  slice: { args: [3, 3], build: slice },
  gather: { args: [2, 2], build: gather },
  gatherEvery: {
    args: [2, 3],
    build: (call) =>
      call.expr(0).gatherEvery(
        call.int(1, { min: 1, max: U32_MAX }),
        call.int(2, LENGTH_BOUNDS, 0),
      ),
  },
  sort: {
    args: [1, 1],
    options: ["descending", "nullsLast", "maintainOrder"],
    build: (call) =>
      call.expr(0).sort(
        call.bool("descending", false),
        call.bool("nullsLast", false),
        call.bool("maintainOrder", false),
      ),
  },
  sortBy: { args: [2, 2], options: ["descending"], build: sortBy },
  argSort: {
    args: [1, 1],
    options: ["descending", "nullsLast"],
    build: (call) =>
      call.expr(0).argSort(call.bool("descending", false), call.bool("nullsLast", false)),
  },
  reverse: unary((e) => e.reverse()),
  unique: {
    args: [1, 1],
    options: ["maintainOrder"],
    build: (call) => call.expr(0).unique(call.bool("maintainOrder", false)),
  },
  filter: { args: [2, 2], build: (call) => call.expr(0).filter(call.expr(1)) },
  // Declared by nodejs-polars' typings but missing at run time; Python Polars' alias of filter.
  where: { args: [2, 2], build: (call) => call.expr(0).filter(call.expr(1)) },
  dropNulls: unary((e) => e.dropNulls()),
  dropNans: unary((e) => e.dropNans()),
  explode: unary((e) => e.explode()),
  flatten: unary((e) => e.flatten()),
  extendConstant: {
    args: [3, 3],
    build: (call) =>
      call.expr(0).extendConstant(plainValue(call, 1), call.int(2, { min: 0, max: MAX_GENERATED })),
  },
  repeatBy: { args: [2, 2], build: repeatBy },
  reshape: { args: [2, 2], build: reshape },
  sample: {
    args: [1, 1],
    options: ["n", "frac", "withReplacement", "seed", "shuffle"],
    build: sample,
  },
  shuffle: {
    args: [1, 1],
    options: ["seed"],
    build: (call) => call.expr(0).shuffle(call.maybeInt("seed", SEED_BOUNDS)),
  },
  isDuplicated: unary((e) => e.isDuplicated()),
  isUnique: unary((e) => e.isUnique()),
  isFirstDistinct: unary((e) => e.isFirstDistinct()),
  peakMax: unary((e) => e.peakMax()),
  peakMin: unary((e) => e.peakMin()),
};
