/**
 * Struct functions of an expression (`expr.struct`), named as nodejs-polars' `ExprStruct`. Each
 * method records a call of the server-side function "struct.<method>".
 *
 * @module
 */

import { type ArgOptions, type ArgValue, callMethod, type Expr } from "../expr.ts";

/** `expr.struct`: struct functions. */
export class ExprStruct {
  readonly #expr: Expr;

  constructor(expr: Expr) {
    this.#expr = expr;
  }

  #call(method: string, args: readonly ArgValue[] = [], options: ArgOptions = {}): Expr {
    return callMethod(this.#expr, `struct.${method}`, args, options);
  }
}
