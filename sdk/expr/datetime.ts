/**
 * Temporal functions of an expression (`expr.dt`), named as nodejs-polars' `ExprDateTime`. Each
 * method records a call of the server-side function "dt.<method>".
 *
 * @module
 */

import { type ArgOptions, type ArgValue, callMethod, type Expr } from "../expr.ts";

/** `expr.dt`: temporal functions. */
export class ExprDateTime {
  readonly #expr: Expr;

  constructor(expr: Expr) {
    this.#expr = expr;
  }

  #call(method: string, args: readonly ArgValue[] = [], options: ArgOptions = {}): Expr {
    return callMethod(this.#expr, `dt.${method}`, args, options);
  }
}
