/**
 * Struct functions (`expr.struct`): entries named "struct.<method>".
 *
 * @module
 */

import type { FunctionTable } from "./spec.ts";

/** Struct functions (`expr.struct`). */
export const STRUCT_FUNCTIONS: FunctionTable = {};
