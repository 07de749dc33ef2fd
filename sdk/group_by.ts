/**
 * RemoteLazyGroupBy: `lf.groupBy(keys)` waiting for its aggregations, as nodejs-polars'
 * LazyGroupBy.
 *
 * @module
 */

import type { Plan } from "../shared/gen/polaroid/v1/plan.ts";
import type { Expr } from "./expr.ts";
import { col, type ColumnsOrExpr, len } from "./functions.ts";
import type { RemoteLazyFrame } from "./lazy_frame.ts";
import { groupByPlan } from "./plan.ts";

/** A grouping waiting for `agg()` (or one of its shortcuts). */
export class RemoteLazyGroupBy {
  readonly #input: Plan;
  readonly #keys: ColumnsOrExpr;
  readonly #maintainOrder: boolean;
  readonly #finish: (plan: Plan) => RemoteLazyFrame;

  /** Made by `RemoteLazyFrame.groupBy()`. */
  constructor(
    input: Plan,
    keys: ColumnsOrExpr,
    maintainOrder: boolean,
    finish: (plan: Plan) => RemoteLazyFrame,
  ) {
    this.#input = input;
    this.#keys = keys;
    this.#maintainOrder = maintainOrder;
    this.#finish = finish;
  }

  /** One row per group: the keys, then each aggregation. */
  agg(...aggs: ColumnsOrExpr[]): RemoteLazyFrame {
    return this.#finish(groupByPlan(this.#input, this.#keys, aggs, this.#maintainOrder));
  }

  /** The number of rows of each group, in a column `name`. @default "len" */
  len(name?: string): RemoteLazyFrame {
    return this.agg(name ? len().alias(name) : len());
  }

  /** The first value of every other column. */
  first(): RemoteLazyFrame {
    return this.#all((e) => e.first());
  }
  /** The last value of every other column. */
  last(): RemoteLazyFrame {
    return this.#all((e) => e.last());
  }
  sum(): RemoteLazyFrame {
    return this.#all((e) => e.sum());
  }
  mean(): RemoteLazyFrame {
    return this.#all((e) => e.mean());
  }
  min(): RemoteLazyFrame {
    return this.#all((e) => e.min());
  }
  max(): RemoteLazyFrame {
    return this.#all((e) => e.max());
  }
  median(): RemoteLazyFrame {
    return this.#all((e) => e.median());
  }

  #all(fn: (e: Expr) => Expr): RemoteLazyFrame {
    return this.agg(fn(col("*")));
  }
}
