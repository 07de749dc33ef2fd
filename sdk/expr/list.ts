/**
 * List functions of an expression (`expr.lst`), named as nodejs-polars' `ExprList`. Each
 * method records a call of the server-side function "lst.<method>".
 *
 * @module
 */

import {
  type ArgOptions,
  type ArgValue,
  callMethod,
  Expr,
  exprList,
  type ExprOrValue,
  toExpr,
} from "../expr.ts";
import { args } from "./_args.ts";

/** `expr.lst`: list functions. */
export class ExprList {
  readonly #expr: Expr;

  constructor(expr: Expr) {
    this.#expr = expr;
  }

  #call(method: string, list: readonly (ArgValue | undefined)[] = [], options: ArgOptions = {}) {
    return callMethod(this.#expr, `lst.${method}`, args(list), options);
  }

  /** The index of the smallest element. */
  argMin(): Expr {
    return this.#call("argMin");
  }
  /** The index of the largest element. */
  argMax(): Expr {
    return this.#call("argMax");
  }
  /** Concatenates other lists (columns by name, or Exprs) to each list. */
  concat(other: (string | Expr)[] | string | Expr): Expr {
    return this.#call("concat", [exprList(other)]);
  }
  /** Whether each list holds `item`; `nullBehavior` (null equals null) @default true. */
  contains(item: ExprOrValue, nullBehavior?: boolean): Expr {
    const plain = item === null || ["string", "number", "boolean"].includes(typeof item);
    return this.#call("contains", [plain ? item as ArgValue : toExpr(item), nullBehavior]);
  }
  /** The n-th discrete difference within each list; `n` @default 1, `nullBehavior` @default "ignore". */
  diff(n?: number, nullBehavior?: "ignore" | "drop"): Expr {
    return this.#call("diff", [n, nullBehavior]);
  }
  /** The element at `index` (negative: from the end); `nullOnOob` @default true. */
  get(index: number | Expr, nullOnOob?: boolean): Expr {
    return this.#call("get", [index, nullOnOob]);
  }
  /** Runs an expression over each list's elements (`pl.element()`). */
  eval(expr: Expr): Expr {
    if (!(expr instanceof Expr)) {
      throw new TypeError(
        `Cannot evaluate on lists as 'expr' must be an Expr: current value is ${String(expr)}`,
      );
    }
    return this.#call("eval", [expr]);
  }
  /** The first element. */
  first(): Expr {
    return this.#call("first");
  }
  /** The last element. */
  last(): Expr {
    return this.#call("last");
  }
  /** The first `n` elements; `n` @default 5. */
  head(n?: number): Expr {
    return this.#call("head", [n]);
  }
  /** The last `n` elements; `n` @default 5. */
  tail(n?: number): Expr {
    return this.#call("tail", [n]);
  }
  /** Joins string elements; `separator` @default ",", `ignoreNulls` @default false. */
  join(options?: { separator?: string | Expr; ignoreNulls?: boolean } | string | Expr): Expr {
    if (typeof options === "string" || options instanceof Expr) {
      return this.#call("join", [options]);
    }
    return this.#call("join", [options?.separator, options?.ignoreNulls]);
  }
  /** The number of elements (UInt32). */
  lengths(): Expr {
    return this.#call("lengths");
  }
  /** The largest element. */
  max(): Expr {
    return this.#call("max");
  }
  /** The mean of the elements. */
  mean(): Expr {
    return this.#call("mean");
  }
  /** The smallest element. */
  min(): Expr {
    return this.#call("min");
  }
  /** The elements in reverse order. */
  reverse(): Expr {
    return this.#call("reverse");
  }
  /** The elements shifted by `periods` (negative: backwards), filled with null. */
  shift(periods: number | Expr): Expr {
    return this.#call("shift", [periods]);
  }
  /** `length` elements (to the end when absent) from `offset` (negative: from the end). */
  slice(offset: number | Expr, length?: number | Expr | null): Expr {
    return this.#call("slice", [offset, length ?? null]);
  }
  /** The elements sorted; `descending` @default false. */
  sort(descending?: boolean | { descending: boolean }): Expr {
    return this.#call("sort", [
      typeof descending === "object" ? descending.descending : descending,
    ]);
  }
  /** The sum of the elements. */
  sum(): Expr {
    return this.#call("sum");
  }
  /** The distinct elements (in no particular order). */
  unique(): Expr {
    return this.#call("unique");
  }
}
