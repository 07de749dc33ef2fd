/**
 * Methods of Expr itself (no namespace): math, reductions, windows, rolling statistics,
 * row selection and value mapping, one table per concern.
 *
 * @module
 */

import { CORE_AGG_FUNCTIONS } from "./core_agg.ts";
import { CORE_MATH_FUNCTIONS } from "./core_math.ts";
import { CORE_ROLLING_FUNCTIONS } from "./core_rolling.ts";
import { CORE_ROWS_FUNCTIONS } from "./core_rows.ts";
import { CORE_VALUES_FUNCTIONS } from "./core_values.ts";
import { CORE_WINDOW_FUNCTIONS } from "./core_window.ts";
import type { FunctionTable } from "./spec.ts";

/** Expr methods without a namespace. */
export const CORE_FUNCTIONS: FunctionTable = {
  ...CORE_MATH_FUNCTIONS,
  ...CORE_AGG_FUNCTIONS,
  ...CORE_WINDOW_FUNCTIONS,
  ...CORE_ROLLING_FUNCTIONS,
  ...CORE_ROWS_FUNCTIONS,
  ...CORE_VALUES_FUNCTIONS,
};
