/**
 * Struct functions of an expression (`expr.struct`), named as nodejs-polars' `ExprStruct`.
 * Each method records a call of the server-side function "struct.<method>".
 *
 * @module
 */

import { type ArgOptions, type ArgValue, callMethod, type Expr, exprList } from "../expr.ts";

/** `expr.struct`: struct functions. */
export class ExprStruct {
  readonly #expr: Expr;

  constructor(expr: Expr) {
    this.#expr = expr;
  }

  #call(method: string, args: readonly ArgValue[] = [], options: ArgOptions = {}): Expr {
    return callMethod(this.#expr, `struct.${method}`, args, options);
  }

  /** The field named `name`. */
  field(name: string): Expr {
    return this.#call("field", [name]);
  }
  /** The field at `index`. */
  nth(index: number): Expr {
    return this.#call("nth", [index]);
  }
  /** The struct with its fields renamed, in order. */
  renameFields(names: string[]): Expr {
    return this.#call("renameFields", [names]);
  }
  /** The struct with these fields added or replaced (columns by name, or Exprs). */
  withFields(fields: (Expr | string)[] | Expr | string): Expr {
    return this.#call("withFields", [exprList(fields)]);
  }
  /** Each struct as JSON text. */
  jsonEncode(): Expr {
    return this.#call("jsonEncode");
  }
}
