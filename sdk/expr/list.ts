/**
 * List functions of an expression (`expr.lst`), named as nodejs-polars' `ExprList`. Each
 * method records a call of the server-side function "lst.<method>".
 *
 * @module
 */

import { type ArgOptions, type ArgValue, callMethod, type Expr } from "../expr.ts";

/** `expr.lst`: list functions. */
export class ExprList {
  readonly #expr: Expr;

  constructor(expr: Expr) {
    this.#expr = expr;
  }

  #call(method: string, args: readonly ArgValue[] = [], options: ArgOptions = {}): Expr {
    return callMethod(this.#expr, `lst.${method}`, args, options);
  }
}
