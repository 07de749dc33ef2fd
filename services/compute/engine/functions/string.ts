/**
 * String functions (`expr.str`): entries named "str.<method>".
 *
 * @module
 */

import type { FunctionTable } from "./spec.ts";

/** String functions (`expr.str`). */
export const STRING_FUNCTIONS: FunctionTable = {};
