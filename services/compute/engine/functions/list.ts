/**
 * List functions (`expr.lst`): entries named "lst.<method>".
 *
 * @module
 */

import type { FunctionTable } from "./spec.ts";

/** List functions (`expr.lst`). */
export const LIST_FUNCTIONS: FunctionTable = {};
