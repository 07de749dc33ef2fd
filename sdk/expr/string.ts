/**
 * String functions of an expression (`expr.str`), named as nodejs-polars' `ExprString`. Each
 * method records a call of the server-side function "str.<method>".
 *
 * @module
 */

import { type ArgOptions, type ArgValue, callMethod, type Expr } from "../expr.ts";

/** `expr.str`: string functions. */
export class ExprString {
  readonly #expr: Expr;

  constructor(expr: Expr) {
    this.#expr = expr;
  }

  #call(method: string, args: readonly ArgValue[] = [], options: ArgOptions = {}): Expr {
    return callMethod(this.#expr, `str.${method}`, args, options);
  }
}
