/**
 * Top-level functions (`pl.concatList`, `pl.corr`, ...): entries named "pl.<method>".
 *
 * @module
 */

import type { FunctionTable } from "./spec.ts";

/** Top-level functions (`pl.concatList`, `pl.corr`, ...). */
export const TOPLEVEL_FUNCTIONS: FunctionTable = {};
