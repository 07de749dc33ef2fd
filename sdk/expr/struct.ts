/**
 * Struct functions of an expression (`expr.struct`), named as nodejs-polars' `ExprStruct`.
 * Each method records a call of the server-side function "struct.<method>".
 *
 * @module
 */

import {
  type ArgOptions,
  type ArgValue,
  callMethod,
  type ExprNode,
  type ExprNodeOf,
  nodeList,
} from "./call.ts";

/** `expr.struct`: struct functions. */
export class ExprStruct<R> {
  readonly #expr: ExprNodeOf<R>;

  constructor(expr: ExprNodeOf<R>) {
    this.#expr = expr;
  }

  #call(method: string, args: readonly ArgValue[] = [], options: ArgOptions = {}): R {
    return callMethod(this.#expr, `struct.${method}`, args, options);
  }

  /** The field named `name`. */
  field(name: string): R {
    return this.#call("field", [name]);
  }
  /** The field at `index`. */
  nth(index: number): R {
    return this.#call("nth", [index]);
  }
  /** The struct with its fields renamed, in order. */
  renameFields(names: string[]): R {
    return this.#call("renameFields", [names]);
  }
  /** The struct with these fields added or replaced (columns by name, or Exprs). */
  withFields(fields: (ExprNode | string)[] | ExprNode | string): R {
    return this.#call("withFields", [nodeList(fields)]);
  }
  /** Each struct as JSON text. */
  jsonEncode(): R {
    return this.#call("jsonEncode");
  }
}
