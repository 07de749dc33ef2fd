/**
 * Reductions and summaries of Expr beyond the typed aggregates: all/any, argMin/argMax,
 * product, mode, nullCount, entropy, kurtosis, skew, bounds of the type, value counts.
 *
 * @module
 */

import { type FunctionTable, unary } from "./spec.ts";

/** Reductions and summaries. */
export const CORE_AGG_FUNCTIONS: FunctionTable = {
  all: {
    args: [1, 1],
    options: ["ignoreNulls"],
    build: (call) => call.expr(0).all(call.bool("ignoreNulls", true)),
  },
  any: {
    args: [1, 1],
    options: ["ignoreNulls"],
    build: (call) => call.expr(0).any(call.bool("ignoreNulls", true)),
  },
  argMax: unary((e) => e.argMax()),
  argMin: unary((e) => e.argMin()),
  argUnique: unary((e) => e.argUnique()),
  product: unary((e) => e.product()),
  mode: unary((e) => e.mode()),
  nullCount: unary((e) => e.nullCount()),
  lowerBound: unary((e) => e.lowerBound()),
  upperBound: unary((e) => e.upperBound()),
  implode: unary((e) => e.implode()),
  uniqueCounts: unary((e) => e.uniqueCounts()),
  entropy: {
    args: [1, 1],
    options: ["base", "normalize"],
    build: (call) =>
      call.expr(0).entropy(call.number("base", {}, Math.E), call.bool("normalize", true)),
  },
  kurtosis: {
    args: [1, 1],
    options: ["fisher", "bias"],
    build: (call) => call.expr(0).kurtosis(call.bool("fisher", true), call.bool("bias", true)),
  },
  skew: {
    args: [1, 1],
    options: ["bias"],
    build: (call) => call.expr(0).skew(call.bool("bias", true)),
  },
  valueCounts: {
    args: [1, 1],
    options: ["sort", "parallel", "name", "normalize"],
    build: (call) => {
      const normalize = call.bool("normalize", false);
      return call.expr(0).valueCounts(
        call.bool("sort", false),
        call.bool("parallel", false),
        call.string("name", undefined, normalize ? "proportion" : "count"),
        normalize,
      );
    },
  },
};
