/**
 * Temporal functions (`expr.dt`): entries named "dt.<method>".
 *
 * @module
 */

import type { FunctionTable } from "./spec.ts";

/** Temporal functions (`expr.dt`). */
export const DATETIME_FUNCTIONS: FunctionTable = {};
