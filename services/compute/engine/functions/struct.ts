/**
 * Struct functions (`expr.struct`): entries named "struct.<method>".
 *
 * @module
 */

import { _Expr } from "nodejs-polars";
import type { FunctionTable } from "./spec.ts";
import { unary } from "./spec.ts";

/** Struct functions (`expr.struct`). */
export const STRUCT_FUNCTIONS: FunctionTable = {
  "struct.field": {
    args: [2, 2],
    build: (call) => _Expr(call.expr(0)._expr.structFieldByName(call.string(1))),
  },
  "struct.nth": {
    args: [2, 2],
    build: (call) =>
      _Expr(
        call.expr(0)._expr.structFieldByIndex(call.int(1, { min: -(2 ** 31), max: 2 ** 31 - 1 })),
      ),
  },
  "struct.renameFields": {
    args: [2, 2],
    build: (call) => _Expr(call.expr(0)._expr.structRenameFields(call.strings(1))),
  },
  "struct.withFields": {
    args: [2, 2],
    build: (call) => _Expr(call.expr(0)._expr.structWithFields(call.exprs(1).map((e) => e._expr))),
  },
  "struct.jsonEncode": unary((input) => _Expr(input._expr.structJsonEncode())),
};
