/**
 * List functions of an expression (`expr.lst`), named as nodejs-polars' `ExprList`. Each
 * method records a call of the server-side function "lst.<method>".
 *
 * @module
 */

import type { LiteralValue } from "../literal.ts";
import {
  type ArgOptions,
  type ArgValue,
  callMethod,
  ExprNode,
  type ExprNodeOf,
  literalNode,
  nodeList,
} from "./call.ts";
import { args } from "./_args.ts";

/** `expr.lst`: list functions. */
export class ExprList<R> {
  readonly #expr: ExprNodeOf<R>;

  constructor(expr: ExprNodeOf<R>) {
    this.#expr = expr;
  }

  #call(method: string, list: readonly (ArgValue | undefined)[] = [], options: ArgOptions = {}) {
    return callMethod(this.#expr, `lst.${method}`, args(list), options);
  }

  /** The index of the smallest element. */
  argMin(): R {
    return this.#call("argMin");
  }
  /** The index of the largest element. */
  argMax(): R {
    return this.#call("argMax");
  }
  /** Concatenates other lists (columns by name, or Exprs) to each list. */
  concat(other: (string | ExprNode)[] | string | ExprNode): R {
    return this.#call("concat", [nodeList(other)]);
  }
  /** Whether each list holds `item`; `nullBehavior` (null equals null) @default true. */
  contains(item: ExprNode | LiteralValue, nullBehavior?: boolean): R {
    const plain = item === null || ["string", "number", "boolean"].includes(typeof item);
    return this.#call("contains", [plain ? item as ArgValue : literalNode(item), nullBehavior]);
  }
  /** The n-th discrete difference within each list; `n` @default 1, `nullBehavior` @default "ignore". */
  diff(n?: number, nullBehavior?: "ignore" | "drop"): R {
    return this.#call("diff", [n, nullBehavior]);
  }
  /** The element at `index` (negative: from the end); `nullOnOob` @default true. */
  get(index: number | ExprNode, nullOnOob?: boolean): R {
    return this.#call("get", [index, nullOnOob]);
  }
  /** Runs an expression over each list's elements (`pl.element()`). */
  eval(expr: ExprNode): R {
    if (!(expr instanceof ExprNode)) {
      throw new TypeError(
        `Cannot evaluate on lists as 'expr' must be an Expr: current value is ${String(expr)}`,
      );
    }
    return this.#call("eval", [expr]);
  }
  /** The first element. */
  first(): R {
    return this.#call("first");
  }
  /** The last element. */
  last(): R {
    return this.#call("last");
  }
  /** The first `n` elements; `n` @default 5. */
  head(n?: number): R {
    return this.#call("head", [n]);
  }
  /** The last `n` elements; `n` @default 5. */
  tail(n?: number): R {
    return this.#call("tail", [n]);
  }
  /** Joins string elements; `separator` @default ",", `ignoreNulls` @default false. */
  join(options?: { separator?: string | ExprNode; ignoreNulls?: boolean } | string | ExprNode): R {
    if (typeof options === "string" || options instanceof ExprNode) {
      return this.#call("join", [options]);
    }
    return this.#call("join", [options?.separator, options?.ignoreNulls]);
  }
  /** The number of elements (UInt32). */
  lengths(): R {
    return this.#call("lengths");
  }
  /** The largest element. */
  max(): R {
    return this.#call("max");
  }
  /** The mean of the elements. */
  mean(): R {
    return this.#call("mean");
  }
  /** The smallest element. */
  min(): R {
    return this.#call("min");
  }
  /** The elements in reverse order. */
  reverse(): R {
    return this.#call("reverse");
  }
  /** The elements shifted by `periods` (negative: backwards), filled with null. */
  shift(periods: number | ExprNode): R {
    return this.#call("shift", [periods]);
  }
  /** `length` elements (to the end when absent) from `offset` (negative: from the end). */
  slice(offset: number | ExprNode, length?: number | ExprNode | null): R {
    return this.#call("slice", [offset, length ?? null]);
  }
  /** The elements sorted; `descending` @default false. */
  sort(descending?: boolean | { descending: boolean }): R {
    return this.#call("sort", [
      typeof descending === "object" ? descending.descending : descending,
    ]);
  }
  /** The sum of the elements. */
  sum(): R {
    return this.#call("sum");
  }
  /** The distinct elements (in no particular order). */
  unique(): R {
    return this.#call("unique");
  }
}
