/**
 * How tests/option_audit_test.ts calls each expression method that refuses options: one call
 * per method, the options as given.
 *
 * @module
 */

import type { col as Col } from "../sdk/mod.ts";

/** A call of the method with `opts` as its options. */
export type ExprRecipe = (opts: Record<string, unknown>) => unknown;

/** Recipes by `<Interface>.<method>`, built on the SDK's `col`. */
export function EXPR_RECIPES(col: typeof Col): Record<string, ExprRecipe> {
  const window = (opts: Record<string, unknown>) => ({ windowSize: 3, ...opts });
  return {
    "Expr.rollingMax": (o) => col("a").rollingMax(window(o)),
    "Expr.rollingMean": (o) => col("a").rollingMean(window(o)),
    "Expr.rollingMedian": (o) => col("a").rollingMedian(window(o)),
    "Expr.rollingMin": (o) => col("a").rollingMin(window(o)),
    "Expr.rollingSum": (o) => col("a").rollingSum(window(o)),
    "Expr.rollingQuantile": (o) => col("a").rollingQuantile({ quantile: 0.5, ...window(o) }),
  };
}
